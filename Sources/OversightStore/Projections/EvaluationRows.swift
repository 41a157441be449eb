import GRDB

/// One row of the evaluation board.
public struct EvaluationRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var subjectKind: String
    public var subject: String
    public var department: String?
    public var inquiryID: String?
    public var round: Int?
    public var topicID: String?
    public var suggestionID: String?
    public var date: String
    public var entitled: Int
    public var present: Int
    public var satisfied: Int
    public var basicallySatisfied: Int
    public var dissatisfied: Int
    public var notVoting: Int
    public var rule: String
    public var verdict: String?
    public var rate: Double?
    public var quorate: Bool
    public var state: String
    public var mode: String
    public var closedOn: String?
    public var note: String?
    public var position: Int64

    public init(row: Row) throws {
        id = row["id"]
        year = row["year"]
        subjectKind = row["subject_kind"]
        subject = row["subject"]
        department = row["department"]
        inquiryID = row["inquiry_id"]
        round = row["round"]
        topicID = row["topic_id"]
        suggestionID = row["suggestion_id"]
        date = row["date"]
        entitled = row["entitled"]
        present = row["present"]
        satisfied = row["satisfied"]
        basicallySatisfied = row["basically_satisfied"]
        dissatisfied = row["dissatisfied"]
        notVoting = row["not_voting"]
        rule = row["rule"]
        verdict = row["verdict"]
        rate = row["rate"]
        quorate = row["quorate"]
        state = row["state"]
        mode = row["mode"]
        closedOn = row["closed_on"]
        note = row["note"]
        position = row["position"]
    }

    /// The ballots counted so far (the whole tally once closed).
    public var cast: Int { satisfied + basicallySatisfied + dissatisfied + notVoting }

    /// Filters of the evaluation board; nil means any.
    public struct Filter: Sendable, Equatable {
        public var year: Int?
        public var subjectKind: String?
        public var department: String?
        public var verdict: String?
        public var state: String?

        /// Creates a filter.
        public init(
            year: Int? = nil, subjectKind: String? = nil, department: String? = nil, verdict: String? = nil,
            state: String? = nil
        ) {
            self.year = year
            self.subjectKind = subjectKind
            self.department = department
            self.verdict = verdict
            self.state = state
        }

        fileprivate var whereClause: (sql: String, arguments: StatementArguments) {
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            let equalities: [(String, (any DatabaseValueConvertible)?)] = [
                ("year", year), ("subject_kind", subjectKind), ("department", department), ("verdict", verdict),
                ("state", state),
            ]
            for (column, value) in equalities {
                guard let value else { continue }
                conditions.append("\(column) = ?")
                arguments.append(value)
            }
            let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return (sql, StatementArguments(arguments))
        }
    }

    /// The board: evaluations ordered by year and sequence.
    public static func board(_ db: Database, filter: Filter) throws -> [EvaluationRow] {
        let (clause, arguments) = filter.whereClause
        return try EvaluationRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM evaluation\(clause) ORDER BY year, sequence"), arguments: arguments)
    }

    /// Number of evaluations per verdict under the filter ("open" for those still taking ballots).
    public static func countsByVerdict(_ db: Database, filter: Filter) throws -> [(verdict: String, count: Int)] {
        let (clause, arguments) = filter.whereClause
        return try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(verdict, 'open') AS verdict, COUNT(*) AS n FROM evaluation\(clause)
                    GROUP BY COALESCE(verdict, 'open') ORDER BY 1
                    """),
            arguments: arguments
        ).map { (verdict: $0["verdict"], count: $0["n"]) }
    }

    /// One evaluation, or nil.
    public static func find(_ db: Database, id: String) throws -> EvaluationRow? {
        try EvaluationRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM evaluation WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM evaluation WHERE year = ?"),
            arguments: [year]) ?? 1
    }
}
