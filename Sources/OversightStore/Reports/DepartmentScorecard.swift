import GRDB

/// Each department's record of follow-through: items assigned, answered on time, overdue, accepted, reopened,
/// its satisfaction evaluations, and a ranking.
///
/// Items count when the department is on them, as lead (牵头) or co-department (配合); `year` restricts items and
/// evaluations to one year. Overdue is taken "as of" a day and never stored.
///
/// Ranking rule (documented in the CLI help and the README): departments with a satisfaction rate come first,
/// by their latest rate, highest first; then by on-time share of answers, highest first; then by fewer overdue
/// items; then by code. Equal keys share a rank.
public struct DepartmentScorecard: Sendable, Equatable, Codable {
    /// The year the figures are restricted to, if any.
    public var year: Int?
    /// The day overdue is taken on.
    public var asOf: String
    /// The log position the figures were read at.
    public var position: Int64
    /// One line per registered department, in ranking order.
    public var lines: [Line]

    /// One department's figures.
    public struct Line: Sendable, Equatable, Codable {
        /// The rank, 1 for the best; departments with equal keys share a rank.
        public var rank: Int
        /// The department code.
        public var department: String
        /// The department name.
        public var name: String
        /// Items the department is on (lead or co).
        public var assigned: Int
        /// Items it leads.
        public var lead: Int
        /// Items it answered at least once.
        public var answered: Int
        /// Items whose first answer by this department was on or before the due date in force.
        public var answeredOnTime: Int
        /// Items overdue on the day asked about.
        public var overdue: Int
        /// Items whose implementation was accepted.
        public var accepted: Int
        /// Times its items were reopened.
        public var reopened: Int
        /// Closed evaluations of the department (as a department, or answering an inquiry round).
        public var evaluations: Int
        /// The latest evaluation's satisfaction rate, if evaluated.
        public var latestRate: Double?
        /// The latest evaluation's verdict, if evaluated.
        public var latestVerdict: String?
        /// The mean satisfaction rate over its evaluations, if any.
        public var meanRate: Double?
        /// answeredOnTime over answered (nil when it answered nothing).
        public var onTimeShare: Double?
    }
}

extension DepartmentScorecard {
    /// Computes the scorecard in one read transaction.
    public static func compute(_ db: Database, year: Int?, asOf: String) throws -> DepartmentScorecard {
        let yearCondition = year == nil ? "" : " AND i.year = ?"
        let evaluationYear = year == nil ? "" : " AND e.year = ?"
        var arguments: [(any DatabaseValueConvertible)?] = []
        let yearArgument: [(any DatabaseValueConvertible)?] = year.map { [$0] } ?? []
        arguments += yearArgument  // assigned
        arguments += yearArgument  // lead
        arguments += yearArgument  // answered
        arguments += yearArgument  // on time
        arguments += [asOf] + yearArgument  // overdue
        arguments += yearArgument  // accepted
        arguments += yearArgument  // reopened
        arguments += yearArgument  // evaluations
        arguments += yearArgument  // latest rate
        arguments += yearArgument  // latest verdict
        arguments += yearArgument  // mean rate
        let onDepartment = "FROM item_department x JOIN item i ON i.id = x.item_id WHERE x.department = d.code"
        let evaluated = """
            FROM evaluation e WHERE e.department = d.code AND e.state = 'closed'
              AND e.subject_kind IN ('department', 'inquiry-round')
            """
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT d.code, d.name,
                  (SELECT COUNT(*) \(onDepartment)\(yearCondition)) AS assigned,
                  (SELECT COUNT(*) \(onDepartment) AND x.role = 'lead'\(yearCondition)) AS lead,
                  (SELECT COUNT(DISTINCT a.item_id) FROM item_answer a JOIN item i ON i.id = a.item_id
                    WHERE a.department = d.code\(yearCondition)) AS answered,
                  (SELECT COUNT(*) FROM item_answer a JOIN item i ON i.id = a.item_id
                    WHERE a.department = d.code AND a.on_time = 1\(yearCondition)
                      AND a.position = (SELECT MIN(b.position) FROM item_answer b
                        WHERE b.item_id = a.item_id AND b.department = a.department)) AS on_time,
                  (SELECT COUNT(*) \(onDepartment) AND \(ItemRow.overdueCondition("i"))\(yearCondition)) AS overdue,
                  (SELECT COUNT(*) \(onDepartment) AND i.state = 'accepted'\(yearCondition)) AS accepted,
                  (SELECT COALESCE(SUM(i.reopen_count), 0) \(onDepartment)\(yearCondition)) AS reopened,
                  (SELECT COUNT(*) \(evaluated)\(evaluationYear)) AS evaluations,
                  (SELECT e.rate \(evaluated)\(evaluationYear) ORDER BY e.date DESC, e.position DESC LIMIT 1)
                    AS latest_rate,
                  (SELECT e.verdict \(evaluated)\(evaluationYear) ORDER BY e.date DESC, e.position DESC LIMIT 1)
                    AS latest_verdict,
                  (SELECT AVG(e.rate) \(evaluated)\(evaluationYear)) AS mean_rate
                FROM department d ORDER BY d.code
                """, arguments: StatementArguments(arguments))
        var lines = rows.map { row -> Line in
            let answered: Int = row["answered"]
            let onTime: Int = row["on_time"]
            return Line(
                rank: 0, department: row["code"], name: row["name"], assigned: row["assigned"], lead: row["lead"],
                answered: answered, answeredOnTime: onTime, overdue: row["overdue"], accepted: row["accepted"],
                reopened: row["reopened"], evaluations: row["evaluations"], latestRate: row["latest_rate"],
                latestVerdict: row["latest_verdict"], meanRate: row["mean_rate"],
                onTimeShare: answered == 0 ? nil : Double(onTime) / Double(answered))
        }
        lines.sort { rankingKey($0) < rankingKey($1) }
        for index in lines.indices {
            if index > 0, rankingKey(lines[index]).isTied(with: rankingKey(lines[index - 1])) {
                lines[index].rank = lines[index - 1].rank
            } else {
                lines[index].rank = index + 1
            }
        }
        return DepartmentScorecard(year: year, asOf: asOf, position: try EventRecord.head(db).position, lines: lines)
    }

    private static func rankingKey(_ line: Line) -> RankingKey {
        RankingKey(
            rate: line.latestRate ?? -1, onTime: line.onTimeShare ?? -1, overdue: line.overdue,
            code: line.department)
    }

    /// Orders best first: higher rate, higher on-time share, fewer overdue, then code.
    private struct RankingKey: Comparable {
        var rate: Double
        var onTime: Double
        var overdue: Int
        var code: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            if lhs.rate != rhs.rate { return lhs.rate > rhs.rate }
            if lhs.onTime != rhs.onTime { return lhs.onTime > rhs.onTime }
            if lhs.overdue != rhs.overdue { return lhs.overdue < rhs.overdue }
            return lhs.code < rhs.code
        }

        func isTied(with other: Self) -> Bool {
            rate == other.rate && onTime == other.onTime && overdue == other.overdue
        }
    }
}
