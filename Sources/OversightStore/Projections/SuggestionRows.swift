import Foundation
import GRDB

/// One row of the suggestion board.
public struct SuggestionRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var session: String
    public var number: String
    public var title: String
    public var leadDeputy: String
    public var coSigners: [String]
    public var text: String?
    public var submittedOn: String
    public var leadUnit: String?
    public var coUnits: [String]
    public var key: Bool
    public var supervisingLeader: String?
    public var state: String
    public var assignedOn: String?
    public var firstAssignedOn: String?
    public var dueDate: String?
    public var complex: Bool
    public var round: Int
    public var repliedOn: String?
    public var firstRepliedOn: String?
    public var category: String?
    public var categoryList: String?
    public var categoryMeaning: String?
    public var rating: String?
    public var ratedOn: String?
    public var returns: Int
    public var closedOn: String?
    public var position: Int64

    public init(row: Row) throws {
        id = row["id"]
        year = row["year"]
        session = row["session"]
        number = row["number"]
        title = row["title"]
        leadDeputy = row["lead_deputy"]
        coSigners = Self.strings(row["co_signers"])
        text = row["text"]
        submittedOn = row["submitted_on"]
        leadUnit = row["lead_unit"]
        coUnits = Self.strings(row["co_units"])
        key = row["key"]
        supervisingLeader = row["supervising_leader"]
        state = row["state"]
        assignedOn = row["assigned_on"]
        firstAssignedOn = row["first_assigned_on"]
        dueDate = row["due_date"]
        complex = row["complex"]
        round = row["round"]
        repliedOn = row["replied_on"]
        firstRepliedOn = row["first_replied_on"]
        category = row["category"]
        categoryList = row["category_list"]
        categoryMeaning = row["category_meaning"]
        rating = row["rating"]
        ratedOn = row["rated_on"]
        returns = row["returns"]
        closedOn = row["closed_on"]
        position = row["position"]
    }

    private static func strings(_ json: String?) -> [String] {
        guard let json else { return [] }
        return JSONStringArray.decode(json) ?? []
    }

    /// Filters of the suggestion board; nil means any.
    public struct Filter: Sendable, Equatable {
        /// The congress session, such as "十二届二次".
        public var session: String?
        /// A ``OversightDomain/SuggestionStatus`` raw value.
        public var state: String?
        /// A category letter of the latest reply.
        public var category: String?
        /// A rating raw value of the latest reply.
        public var rating: String?
        /// A department code: the lead unit or a co-unit of the current assignment.
        public var unit: String?
        /// Only key suggestions (true) or only the others (false).
        public var key: Bool?
        /// The year of submission.
        public var year: Int?

        /// Creates a filter.
        public init(
            session: String? = nil, state: String? = nil, category: String? = nil, rating: String? = nil,
            unit: String? = nil, key: Bool? = nil, year: Int? = nil
        ) {
            self.session = session
            self.state = state
            self.category = category
            self.rating = rating
            self.unit = unit
            self.key = key
            self.year = year
        }

        fileprivate var whereClause: (sql: String, arguments: StatementArguments) {
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
                conditions.append(condition)
                arguments.append(value)
            }
            if let session { add("session = ?", session) }
            if let state { add("state = ?", state) }
            if let category { add("category = ?", category) }
            if let rating { add("rating = ?", rating) }
            if let unit {
                add(
                    "EXISTS (SELECT 1 FROM suggestion_unit u WHERE u.suggestion_id = suggestion.id AND u.department = ?)",
                    unit)
            }
            if let key { add("\"key\" = ?", key) }
            if let year { add("year = ?", year) }
            let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return (sql, StatementArguments(arguments))
        }
    }

    /// The board: suggestions ordered by year and sequence.
    public static func board(_ db: Database, filter: Filter) throws -> [SuggestionRow] {
        let (clause, arguments) = filter.whereClause
        return try SuggestionRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM suggestion\(clause) ORDER BY year, sequence"), arguments: arguments)
    }

    /// What the board's counts group by.
    public enum CountColumn: String, Sendable, CaseIterable {
        /// By state.
        case state
        /// By the latest reply's category letter ("" when not replied).
        case category
        /// By the latest reply's rating ("" when not rated).
        case rating
    }

    /// Number of suggestions per value of `column` under the filter, ordered by value.
    public static func counts(
        _ db: Database, by column: CountColumn, filter: Filter
    ) throws -> [(value: String, count: Int)] {
        let (clause, arguments) = filter.whereClause
        return try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(\(column.rawValue), '') AS value, COUNT(*) AS n FROM suggestion\(clause)
                    GROUP BY value ORDER BY value
                    """),
            arguments: arguments
        ).map { (value: $0["value"], count: $0["n"]) }
    }

    /// One suggestion, or nil.
    public static func find(_ db: Database, id: String) throws -> SuggestionRow? {
        try SuggestionRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM suggestion WHERE id = ?"), arguments: [id])
    }

    /// The suggestion with `number` in `session`, or nil.
    public static func find(_ db: Database, session: String, number: String) throws -> SuggestionRow? {
        try SuggestionRow.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM suggestion WHERE session = ? AND number = ?"),
            arguments: [session, number])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM suggestion WHERE year = ?"),
            arguments: [year]) ?? 1
    }
}

/// One reply to a suggestion (one per handling round), with the category as recorded and the deputy's rating.
public struct SuggestionReplyRow: Sendable, Equatable, FetchableRecord {
    public var round: Int
    public var date: String
    public var leadUnit: String?
    public var category: String
    public var categoryList: String
    public var categoryMeaning: String
    public var text: String
    public var reason: String?
    public var dueDate: String?
    public var onTime: Bool?
    public var rating: String?
    public var ratedOn: String?

    public init(row: Row) throws {
        round = row["round"]
        date = row["date"]
        leadUnit = row["lead_unit"]
        category = row["category"]
        categoryList = row["category_list"]
        categoryMeaning = row["category_meaning"]
        text = row["text"]
        reason = row["reason"]
        dueDate = row["due_date"]
        onTime = row["on_time"]
        rating = row["rating"]
        ratedOn = row["rated_on"]
    }

    /// A suggestion's replies, first round first.
    public static func of(_ db: Database, suggestionID: String) throws -> [SuggestionReplyRow] {
        try SuggestionReplyRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM suggestion_reply WHERE suggestion_id = ? ORDER BY round"),
            arguments: [suggestionID])
    }
}

/// One entry of a suggestion's history.
public struct SuggestionHistoryRow: Sendable, Equatable, FetchableRecord {
    public var position: Int64
    public var type: String
    public var date: String?
    public var recordedAt: String
    public var actor: String
    public var summary: String
    public var data: String

    public init(row: Row) throws {
        position = row["position"]
        type = row["type"]
        date = row["date"]
        recordedAt = row["recorded_at"]
        actor = row["actor"]
        summary = row["summary"]
        data = row["data"]
    }

    /// A suggestion's history, oldest first.
    public static func of(_ db: Database, suggestionID: String) throws -> [SuggestionHistoryRow] {
        try SuggestionHistoryRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM suggestion_history WHERE suggestion_id = ? ORDER BY position"),
            arguments: [suggestionID])
    }
}

/// One defined version of a category list; the categories as their stored JSON.
public struct SuggestionCategoryListRow: Sendable, Equatable, FetchableRecord {
    public var name: String
    public var version: Int
    public var effectiveFrom: String
    /// A JSON array of `{"letter", "meaning", "reasonRequired"}` objects.
    public var categories: String
    public var position: Int64

    public init(row: Row) throws {
        name = row["name"]
        version = row["version"]
        effectiveFrom = row["effective_from"]
        categories = row["categories"]
        position = row["position"]
    }

    /// The defined versions of the list `name` (every list when nil), by name and version.
    public static func all(_ db: Database, name: String?) throws -> [SuggestionCategoryListRow] {
        if let name {
            return try SuggestionCategoryListRow.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM suggestion_category_list WHERE name = ? ORDER BY version"),
                arguments: [name])
        }
        return try SuggestionCategoryListRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM suggestion_category_list ORDER BY name, version"))
    }
}
