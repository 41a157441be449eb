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
    ///
    /// The item figures come from two set-based passes grouped by department, each starting from the year's items
    /// (index `item_by_year`) when a year is given and joining their departments or answers by item: so their cost
    /// follows the items of the year, not the departments' items of every year. The evaluation figures are read
    /// per department through `evaluation_by_department (department, year)`, which is already bounded by the year.
    public static func compute(_ db: Database, year: Int?, asOf: String) throws -> DepartmentScorecard {
        let items = try itemFigures(db, year: year, asOf: asOf)
        let answers = try answerFigures(db, year: year)
        let evaluationYear = year == nil ? "" : " AND e.year = ?"
        let evaluated = """
            FROM evaluation e WHERE e.department = d.code AND e.state = 'closed'
              AND e.subject_kind IN ('department', 'inquiry-round')\(evaluationYear)
            """
        let yearArgument: [(any DatabaseValueConvertible)?] = year.map { [$0] } ?? []
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT d.code, d.name,
                      (SELECT COUNT(*) \(evaluated)) AS evaluations,
                      (SELECT e.rate \(evaluated) ORDER BY e.date DESC, e.position DESC LIMIT 1) AS latest_rate,
                      (SELECT e.verdict \(evaluated) ORDER BY e.date DESC, e.position DESC LIMIT 1) AS latest_verdict,
                      (SELECT AVG(e.rate) \(evaluated)) AS mean_rate
                    FROM department d ORDER BY d.code
                    """), arguments: StatementArguments(yearArgument + yearArgument + yearArgument + yearArgument))
        var lines = rows.map { row -> Line in
            let code: String = row["code"]
            let onItems = items[code] ?? ItemFigures()
            let answered = answers[code] ?? AnswerFigures()
            return Line(
                rank: 0, department: code, name: row["name"], assigned: onItems.assigned, lead: onItems.lead,
                answered: answered.answered, answeredOnTime: answered.onTime, overdue: onItems.overdue,
                accepted: onItems.accepted, reopened: onItems.reopened, evaluations: row["evaluations"],
                latestRate: row["latest_rate"], latestVerdict: row["latest_verdict"], meanRate: row["mean_rate"],
                onTimeShare: answered.answered == 0 ? nil : Double(answered.onTime) / Double(answered.answered))
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

    /// A department's figures over the items it is on.
    private struct ItemFigures {
        var assigned = 0
        var lead = 0
        var overdue = 0
        var accepted = 0
        var reopened = 0
    }

    /// A department's figures over its answers.
    private struct AnswerFigures {
        var answered = 0
        var onTime = 0
    }

    /// Assigned, lead, overdue, accepted and reopened per department, in one pass over the (year's) items.
    ///
    /// `CROSS JOIN` keeps `item` the outer loop (SQLite never reorders it), so with a year the pass walks
    /// `item_by_year` and looks each item's departments up by the primary key `(item_id, department)`.
    private static func itemFigures(_ db: Database, year: Int?, asOf: String) throws -> [String: ItemFigures] {
        var arguments: [(any DatabaseValueConvertible)?] = [asOf]
        if let year { arguments.append(year) }
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT x.department, COUNT(*) AS assigned, COUNT(CASE WHEN x.role = 'lead' THEN 1 END) AS lead,
                      COUNT(CASE WHEN \(ItemRow.overdueCondition("i")) THEN 1 END) AS overdue,
                      COUNT(CASE WHEN i.state = 'accepted' THEN 1 END) AS accepted,
                      COALESCE(SUM(i.reopen_count), 0) AS reopened
                    FROM item i CROSS JOIN item_department x ON x.item_id = i.id\(year == nil ? "" : " WHERE i.year = ?")
                    GROUP BY x.department
                    """), arguments: StatementArguments(arguments))
        var figures: [String: ItemFigures] = [:]
        for row in rows {
            figures[row["department"]] = ItemFigures(
                assigned: row["assigned"], lead: row["lead"], overdue: row["overdue"], accepted: row["accepted"],
                reopened: row["reopened"])
        }
        return figures
    }

    /// Items answered, and of these answered on time at the department's first answer, per department.
    ///
    /// The inner pass finds each (item, department)'s first answer over the (year's) items, joining `item_answer`
    /// by `item_answer_by_item`; the outer one counts those pairs and the on-time first answers.
    private static func answerFigures(_ db: Database, year: Int?) throws -> [String: AnswerFigures] {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT f.department, COUNT(*) AS answered, COUNT(CASE WHEN a.on_time = 1 THEN 1 END) AS on_time
                    FROM (
                      SELECT b.department, MIN(b.position) AS first
                      FROM item i CROSS JOIN item_answer b ON b.item_id = i.id\(year == nil ? "" : " WHERE i.year = ?")
                      GROUP BY b.item_id, b.department
                    ) f
                    CROSS JOIN item_answer a ON a.position = f.first
                    GROUP BY f.department
                    """), arguments: StatementArguments(year.map { [$0] } ?? []))
        var figures: [String: AnswerFigures] = [:]
        for row in rows {
            figures[row["department"]] = AnswerFigures(answered: row["answered"], onTime: row["on_time"])
        }
        return figures
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
