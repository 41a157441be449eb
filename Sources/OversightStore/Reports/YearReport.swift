import Foundation
import GRDB

/// Everything the year's printed report shows: the summary, the scorecard, the charts' series and the boards.
///
/// Computed from the read models in one read transaction, so every figure is read at the one log position
/// ``position`` (with the hash ``headHash``) printed on the report. Overdue figures are taken on ``asOf``.
public struct YearReport: Sendable, Equatable, Codable {
    /// The year reported on.
    public var year: Int
    /// The day overdue figures are taken on.
    public var asOf: String
    /// The log position every figure was read at (0 for an empty log).
    public var position: Int64
    /// The hash of the event at ``position`` (empty for an empty log).
    public var headHash: String
    /// The year's headline figures.
    public var summary: YearSummary
    /// The departments' figures for the year, ranked.
    public var scorecard: DepartmentScorecard
    /// Twelve lines, January to December: what happened in each month.
    public var months: [Month]
    /// Items of the year by state, per lead department (departments without items are left out).
    public var departmentItems: [DepartmentItems]
    /// Items of the year per aspect, most items first.
    public var aspects: [AspectLine]
    /// Suggestions of the year by reply category and the deputies' rating.
    public var suggestionCategories: [CategoryLine]
    /// The item board of the year.
    public var items: [ItemLine]
    /// The suggestion board of the year.
    public var suggestions: [SuggestionLine]

    /// One month's activity, counted by the dates the records carry (not when they were recorded).
    public struct Month: Sendable, Equatable, Codable {
        /// 1 to 12.
        public var month: Int
        /// Topic activities (inspections, visits, research) held in the month.
        public var topicActivities: Int
        /// Other topic steps: deliberations, transfers, handling reports, send-backs, closings.
        public var topicSteps: Int
        /// Special inquiries held in the month.
        public var inquiries: Int
        /// Items answered in the month (distinct items).
        public var itemsAnswered: Int
        /// Items accepted in the month.
        public var itemsAccepted: Int
        /// Suggestions replied to in the month (distinct suggestions).
        public var suggestionsReplied: Int
    }

    /// One lead department's items by state.
    public struct DepartmentItems: Sendable, Equatable, Codable {
        /// The department code.
        public var department: String
        /// Its name.
        public var name: String
        /// Items it leads.
        public var total: Int
        /// In state open.
        public var open: Int
        /// In state assigned (not yet answered).
        public var assigned: Int
        /// In state answered (not yet accepted).
        public var answered: Int
        /// In state accepted.
        public var accepted: Int
        /// In state reopened.
        public var reopened: Int
        /// Of these, overdue on the report's day.
        public var overdue: Int
    }

    /// Items under one aspect.
    public struct AspectLine: Sendable, Equatable, Codable {
        /// The aspect (方面).
        public var aspect: String
        /// Items under it.
        public var count: Int
        /// Of these, accepted.
        public var accepted: Int
    }

    /// Suggestions under one reply category, by the deputies' rating.
    public struct CategoryLine: Sendable, Equatable, Codable {
        /// The category letter of the latest reply, or "-" for suggestions not replied to.
        public var category: String
        /// All suggestions under it.
        public var total: Int
        /// Rated satisfied.
        public var satisfied: Int
        /// Rated basically satisfied.
        public var basicallySatisfied: Int
        /// Rated dissatisfied.
        public var dissatisfied: Int
        /// Not rated.
        public var unrated: Int
    }

    /// One item of a board.
    public struct ItemLine: Sendable, Equatable, Codable {
        /// The item id.
        public var id: String
        /// The topic, inquiry or station it came from.
        public var parent: String
        /// topic, inquiry or station.
        public var parentKind: String
        /// problem, recommendation or opinion.
        public var kind: String
        /// The aspect.
        public var aspect: String
        /// What it says.
        public var text: String
        /// The lead department's code.
        public var lead: String?
        /// The co-departments' codes.
        public var coDepartments: [String]
        /// The state.
        public var state: String
        /// The day it was added.
        public var createdOn: String
        /// The due date in force.
        public var dueDate: String?
        /// The latest answer's day.
        public var answeredOn: String?
        /// Whether the first answer came on or before the due date in force then (nil without answers).
        public var answeredOnTime: Bool?
        /// The day its implementation was accepted.
        public var acceptedOn: String?
        /// Times reopened.
        public var reopenCount: Int
        /// Overdue on the report's day.
        public var overdue: Bool
        /// The department's role on it (lead or co), in a department's report only.
        public var role: String?
    }

    /// One suggestion of the board.
    public struct SuggestionLine: Sendable, Equatable, Codable {
        /// The suggestion id.
        public var id: String
        /// The session it was submitted at.
        public var session: String
        /// Its number in the session.
        public var number: String
        /// The title.
        public var title: String
        /// The lead deputy.
        public var leadDeputy: String
        /// The lead unit's code.
        public var leadUnit: String?
        /// A key suggestion with a supervising leader.
        public var key: Bool
        /// The state.
        public var state: String
        /// The day it was submitted.
        public var submittedOn: String
        /// The reply's due date.
        public var dueDate: String?
        /// The latest reply's day.
        public var repliedOn: String?
        /// The latest reply's category letter.
        public var category: String?
        /// The deputy's rating of the latest reply.
        public var rating: String?
    }
}

extension YearReport {
    /// Computes the report of `year`, overdue taken on `asOf`; call inside one read transaction.
    public static func compute(_ db: Database, year: Int, asOf: String) throws -> YearReport {
        let head = try EventRecord.head(db)
        return YearReport(
            year: year, asOf: asOf, position: head.position, headHash: head.position == 0 ? "" : head.hash.hex,
            summary: try YearSummary.compute(db, year: year, asOf: asOf),
            scorecard: try DepartmentScorecard.compute(db, year: year, asOf: asOf),
            months: try months(db, year: year),
            departmentItems: try departmentItems(db, year: year, asOf: asOf),
            aspects: try aspects(db, year: year),
            suggestionCategories: try suggestionCategories(db, year: year),
            items: try itemLines(db, where: "year = ?", [year], asOf: asOf),
            suggestions: try suggestionLines(db, year: year)
        )
    }

    /// Counts per month (1...12) of a query returning (month, count) rows.
    private static func perMonth(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments) {
            counts[row[0] ?? 0] = row[1] ?? 0
        }
        return counts
    }

    private static func months(_ db: Database, year: Int) throws -> [Month] {
        let prefix = String(format: "%04d-", year)
        let month = "CAST(substr(date, 6, 2) AS INTEGER)"
        let inYear = "date IS NOT NULL AND substr(date, 1, 5) = ?"
        let activities = try perMonth(
            db,
            "SELECT \(month), COUNT(*) FROM topic_timeline WHERE \(inYear) AND type = 'TopicActivityRecorded' GROUP BY 1",
            [prefix])
        let steps = try perMonth(
            db,
            """
            SELECT \(month), COUNT(*) FROM topic_timeline WHERE \(inYear)
              AND type NOT IN ('TopicActivityRecorded', 'TopicPlanned') GROUP BY 1
            """, [prefix])
        let inquiries = try perMonth(db, "SELECT \(month), COUNT(*) FROM inquiry WHERE \(inYear) GROUP BY 1", [prefix])
        let answered = try perMonth(
            db, "SELECT \(month), COUNT(DISTINCT item_id) FROM item_answer WHERE \(inYear) GROUP BY 1", [prefix])
        let accepted = try perMonth(
            db,
            """
            SELECT CAST(substr(accepted_on, 6, 2) AS INTEGER), COUNT(*) FROM item
            WHERE accepted_on IS NOT NULL AND substr(accepted_on, 1, 5) = ? GROUP BY 1
            """, [prefix])
        let replied = try perMonth(
            db, "SELECT \(month), COUNT(DISTINCT suggestion_id) FROM suggestion_reply WHERE \(inYear) GROUP BY 1",
            [prefix])
        return (1...12).map {
            Month(
                month: $0, topicActivities: activities[$0] ?? 0, topicSteps: steps[$0] ?? 0,
                inquiries: inquiries[$0] ?? 0, itemsAnswered: answered[$0] ?? 0, itemsAccepted: accepted[$0] ?? 0,
                suggestionsReplied: replied[$0] ?? 0)
        }
    }

    private static func departmentItems(_ db: Database, year: Int, asOf: String) throws -> [DepartmentItems] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT i.lead_department AS code, COALESCE(d.name, i.lead_department) AS name, COUNT(*) AS total,
                      COUNT(CASE WHEN i.state = 'open' THEN 1 END) AS open,
                      COUNT(CASE WHEN i.state = 'assigned' THEN 1 END) AS assigned,
                      COUNT(CASE WHEN i.state = 'answered' THEN 1 END) AS answered,
                      COUNT(CASE WHEN i.state = 'accepted' THEN 1 END) AS accepted,
                      COUNT(CASE WHEN i.state = 'reopened' THEN 1 END) AS reopened,
                      COUNT(CASE WHEN \(ItemRow.overdueCondition("i")) THEN 1 END) AS overdue
                    FROM item i LEFT JOIN department d ON d.code = i.lead_department
                    WHERE i.year = ? AND i.lead_department IS NOT NULL
                    GROUP BY i.lead_department ORDER BY total DESC, code
                    """), arguments: [asOf, year]
        ).map {
            DepartmentItems(
                department: $0["code"], name: $0["name"], total: $0["total"], open: $0["open"],
                assigned: $0["assigned"], answered: $0["answered"], accepted: $0["accepted"],
                reopened: $0["reopened"], overdue: $0["overdue"])
        }
    }

    private static func aspects(_ db: Database, year: Int) throws -> [AspectLine] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT aspect, COUNT(*) AS n, COUNT(CASE WHEN state = 'accepted' THEN 1 END) AS accepted FROM item WHERE year = ?
                    GROUP BY aspect ORDER BY n DESC, aspect
                    """), arguments: [year]
        ).map { AspectLine(aspect: $0["aspect"], count: $0["n"], accepted: $0["accepted"]) }
    }

    private static func suggestionCategories(_ db: Database, year: Int) throws -> [CategoryLine] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(category, '-') AS c, COUNT(*) AS n,
                      COUNT(CASE WHEN rating = 'satisfied' THEN 1 END) AS s,
                      COUNT(CASE WHEN rating = 'basically-satisfied' THEN 1 END) AS b,
                      COUNT(CASE WHEN rating = 'dissatisfied' THEN 1 END) AS d, COUNT(CASE WHEN rating IS NULL THEN 1 END) AS u
                    FROM suggestion WHERE year = ? GROUP BY c ORDER BY c = '-', c
                    """), arguments: [year]
        ).map {
            CategoryLine(
                category: $0["c"], total: $0["n"], satisfied: $0["s"], basicallySatisfied: $0["b"],
                dissatisfied: $0["d"], unrated: $0["u"])
        }
    }

    /// Item lines of the items matching `condition` (on table `item`), in id order, with overdue as of `asOf`.
    static func itemLines(
        _ db: Database, where condition: String, _ arguments: StatementArguments, asOf: String,
        roleOf department: String? = nil
    ) throws -> [ItemLine] {
        let rows = try ItemRow.fetchAll(
            db.cachedStatement(
                sql: "SELECT \(ItemRow.selection) FROM item WHERE (\(condition)) ORDER BY year, sequence"),
            arguments: arguments)
        var firstOnTime: [String: Bool] = [:]
        for row in try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT a.item_id, a.on_time FROM item_answer a JOIN item ON item.id = a.item_id
                    WHERE (\(condition)) AND a.position = (SELECT MIN(b.position) FROM item_answer b WHERE b.item_id = a.item_id)
                    """), arguments: arguments)
        {
            firstOnTime[row[0]] = row[1]
        }
        var roles: [String: String] = [:]
        if let department {
            // Only the roles on the items asked for, each looked up by the primary key (item_id, department).
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT x.item_id, x.role FROM item CROSS JOIN item_department x
                          ON x.item_id = item.id AND x.department = ?
                        WHERE (\(condition))
                        """), arguments: StatementArguments([department]) + arguments)
            {
                roles[row[0]] = row[1]
            }
        }
        return rows.map { row in
            ItemLine(
                id: row.id, parent: row.parent, parentKind: row.parentKind, kind: row.kind, aspect: row.aspect,
                text: row.text, lead: row.leadDepartment, coDepartments: row.coDepartments, state: row.state,
                createdOn: row.createdOn, dueDate: row.dueDate, answeredOn: row.answeredOn,
                answeredOnTime: firstOnTime[row.id], acceptedOn: row.acceptedOn, reopenCount: row.reopenCount,
                overdue: row.isOverdue(asOf: asOf), role: roles[row.id])
        }
    }

    private static func suggestionLines(_ db: Database, year: Int) throws -> [SuggestionLine] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, session, number, title, lead_deputy, lead_unit, "key", state, submitted_on, due_date,
                      replied_on, category, rating
                    FROM suggestion WHERE year = ? ORDER BY session, number
                    """), arguments: [year]
        ).map {
            SuggestionLine(
                id: $0["id"], session: $0["session"], number: $0["number"], title: $0["title"],
                leadDeputy: $0["lead_deputy"], leadUnit: $0["lead_unit"], key: $0["key"], state: $0["state"],
                submittedOn: $0["submitted_on"], dueDate: $0["due_date"], repliedOn: $0["replied_on"],
                category: $0["category"], rating: $0["rating"])
        }
    }
}
