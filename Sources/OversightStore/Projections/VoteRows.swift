import Foundation
import GRDB

/// One row of the vote board.
public struct VoteRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var kind: String
    public var title: String
    public var date: String
    public var sessionTerm: Int?
    public var sessionNumber: Int?
    public var entitled: Int
    public var forCount: Int?
    public var againstCount: Int?
    public var abstainCount: Int?
    public var voters: Int?
    public var rule: String
    public var adopted: Bool?
    public var places: Int?
    public var chosen: [String]?
    public var tied: [String]?
    public var note: String?
    public var position: Int64

    public init(row: Row) throws {
        id = row["id"]
        year = row["year"]
        kind = row["kind"]
        title = row["title"]
        date = row["date"]
        sessionTerm = row["session_term"]
        sessionNumber = row["session_number"]
        entitled = row["entitled"]
        forCount = row["for_count"]
        againstCount = row["against_count"]
        abstainCount = row["abstain_count"]
        voters = row["voters"]
        rule = row["rule"]
        adopted = row["adopted"]
        places = row["places"]
        chosen = Self.names(row["chosen"])
        tied = Self.names(row["tied"])
        note = row["note"]
        position = row["position"]
    }

    private static func names(_ json: String?) -> [String]? {
        guard let json else { return nil }
        return JSONStringArray.decode(json) ?? []
    }

    /// "12th committee, 11th session", when the session is recorded.
    public var session: String? {
        guard let sessionNumber else { return nil }
        let number = "\(Ordinal.english(sessionNumber)) session"
        guard let sessionTerm else { return number }
        return "\(Ordinal.english(sessionTerm)) committee, \(number)"
    }

    /// Filters of the vote board; nil means any.
    public struct Filter: Sendable, Equatable {
        public var year: Int?
        public var kind: String?

        /// Creates a filter.
        public init(year: Int? = nil, kind: String? = nil) {
            self.year = year
            self.kind = kind
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
            let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return (sql, StatementArguments(arguments))
        }
    }

    /// The board: votes ordered by year and sequence.
    public static func board(_ db: Database, filter: Filter) throws -> [VoteRow] {
        let (clause, arguments) = filter.whereClause
        return try VoteRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM vote\(clause) ORDER BY year, sequence"), arguments: arguments)
    }

    /// One vote, or nil.
    public static func find(_ db: Database, id: String) throws -> VoteRow? {
        try VoteRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM vote WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM vote WHERE year = ?"), arguments: [year]
        )
            ?? 1
    }
}

/// One candidate of a differential vote.
public struct VoteCandidateRow: Sendable, Equatable, FetchableRecord {
    public var ordinal: Int
    public var candidate: String
    public var votes: Int
    public var chosen: Bool
    public var tied: Bool

    public init(row: Row) throws {
        ordinal = row["ordinal"]
        candidate = row["candidate"]
        votes = row["votes"]
        chosen = row["chosen"]
        tied = row["tied"]
    }

    /// A vote's candidates in ballot order.
    public static func of(_ db: Database, voteID: String) throws -> [VoteCandidateRow] {
        try VoteCandidateRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM vote_candidate WHERE vote_id = ? ORDER BY ordinal"),
            arguments: [voteID])
    }
}
