import Foundation
import GRDB

/// One row of the topic board.
public struct TopicRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var kind: String
    public var title: String
    public var committee: String?
    public var leader: String?
    public var departments: [String]
    public var theme: String?
    public var status: String
    public var activities: Int
    public var session: String?
    public var dueDate: String?
    public var round: Int
    public var lastActivity: String?
    public var position: Int64

    /// The columns of `topic` that ``init(row:)`` reads, in the order it reads them; every query of topic rows
    /// selects ``selection``.
    static let columns = [
        "id", "year", "kind", "title", "committee", "leader", "departments", "theme", "status", "activities",
        "session", "due_date", "round", "last_activity", "position",
    ]

    /// ``columns`` as a select list.
    static let selection = columns.joined(separator: ", ")

    /// Reads a row of ``selection``, by index: a read by name looks each column's name up for every row.
    public init(row: Row) throws {
        assert(Array(row.columnNames) == Self.columns, "a topic row is read from TopicRow.selection")
        id = row[0]
        year = row[1]
        kind = row[2]
        title = row[3]
        committee = row[4]
        leader = row[5]
        departments = JSONStringArray.decode(row[6]) ?? []
        theme = row[7]
        status = row[8]
        activities = row[9]
        session = row[10]
        dueDate = row[11]
        round = row[12]
        lastActivity = row[13]
        position = row[14]
    }

    /// Filters of the topic board; nil means any.
    public struct Filter: Sendable, Equatable {
        public var year: Int?
        public var kind: String?
        public var status: String?

        /// Creates a filter.
        public init(year: Int? = nil, kind: String? = nil, status: String? = nil) {
            self.year = year
            self.kind = kind
            self.status = status
        }

        fileprivate var whereClause: (sql: String, arguments: StatementArguments) {
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let year {
                conditions.append("year = ?")
                arguments.append(year)
            }
            if let kind {
                conditions.append("kind = ?")
                arguments.append(kind)
            }
            if let status {
                conditions.append("status = ?")
                arguments.append(status)
            }
            let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return (sql, StatementArguments(arguments))
        }
    }

    /// The board: topics ordered by year and sequence.
    public static func board(_ db: Database, filter: Filter) throws -> [TopicRow] {
        let (clause, arguments) = filter.whereClause
        return try TopicRow.fetchAll(
            db.cachedStatement(sql: "SELECT \(selection) FROM topic\(clause) ORDER BY year, sequence"),
            arguments: arguments)
    }

    /// Number of topics per status under the filter.
    public static func countsByStatus(_ db: Database, filter: Filter) throws -> [(status: String, count: Int)] {
        let (clause, arguments) = filter.whereClause
        return try Row.fetchAll(
            db.cachedStatement(sql: "SELECT status, COUNT(*) AS n FROM topic\(clause) GROUP BY status ORDER BY status"),
            arguments: arguments
        ).map { (status: $0["status"], count: $0["n"]) }
    }

    /// One topic, or nil.
    public static func find(_ db: Database, id: String) throws -> TopicRow? {
        try TopicRow.fetchOne(db.cachedStatement(sql: "SELECT \(selection) FROM topic WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM topic WHERE year = ?"),
            arguments: [year])
            ?? 1
    }
}

/// One entry of a topic's timeline.
public struct TimelineRow: Sendable, Equatable, FetchableRecord {
    public var position: Int64
    public var type: String
    public var recordedAt: String
    public var date: String?
    public var actor: String
    public var summary: String
    public var data: String

    public init(row: Row) throws {
        position = row["position"]
        type = row["type"]
        recordedAt = row["recorded_at"]
        date = row["date"]
        actor = row["actor"]
        summary = row["summary"]
        data = row["data"]
    }

    /// A topic's timeline, oldest first.
    public static func of(_ db: Database, topicID: String) throws -> [TimelineRow] {
        try TimelineRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM topic_timeline WHERE topic_id = ? ORDER BY position"),
            arguments: [topicID]
        )
    }
}
