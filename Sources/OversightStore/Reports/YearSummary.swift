import GRDB

/// The figures a year-end report quotes (as the seed's first paragraph does), computed from the read models.
///
/// Every figure comes from the read models in one read transaction, at the log position ``position`` (with the
/// hash ``headHash``), so a summary can be reproduced and checked against the audit log. Items count "as of" a
/// day for the overdue figure; nothing here is stored.
public struct YearSummary: Sendable, Equatable, Codable {
    /// The year summarized.
    public var year: Int
    /// The day the overdue figures are taken on.
    public var asOf: String
    /// The log position the figures were read at (0 for an empty log).
    public var position: Int64
    /// The hash of the event at ``position`` (empty for an empty log).
    public var headHash: String
    /// Supervision topics of the year.
    public var topics: Topics
    /// Special inquiries held in the year.
    public var inquiries: Inquiries
    /// Tracked items created in the year.
    public var items: Items
    /// Satisfaction evaluations of the year.
    public var evaluations: Evaluations
    /// Deputies' suggestions of the year.
    public var suggestions: Suggestions
    /// Votes of the year.
    public var votes: Votes
    /// Liaison stations (all registered so far) and what they collected in the year.
    public var stations: Stations

    /// A count under a name: a kind, a status, a category.
    public struct Count: Sendable, Equatable, Codable {
        /// The name counted.
        public var key: String
        /// How many.
        public var count: Int
    }

    /// Topics by kind and by status.
    public struct Topics: Sendable, Equatable, Codable {
        /// All topics of the year.
        public var total: Int
        /// By kind (work-report, law-inspection, ...).
        public var byKind: [Count]
        /// By status.
        public var byStatus: [Count]
    }

    /// Inquiries with their rounds and problem lists.
    public struct Inquiries: Sendable, Equatable, Codable {
        /// Inquiries of the year.
        public var total: Int
        /// Rounds of questions over all of them.
        public var rounds: Int
        /// One line per inquiry.
        public var list: [Inquiry]
    }

    /// One inquiry's figures: "14 problems across 7 departments".
    public struct Inquiry: Sendable, Equatable, Codable {
        /// The inquiry id.
        public var id: String
        /// What it was about.
        public var subject: String
        /// The session day.
        public var date: String
        /// Rounds of questions.
        public var rounds: Int
        /// Items on its problem list.
        public var problems: Int
        /// Distinct departments (lead or co) the problems are assigned to.
        public var departments: Int
        /// Mean satisfaction rate of its rounds' evaluations, if any were evaluated.
        public var meanRoundRate: Double?
    }

    /// Items as "N aspects, M items", by kind and state.
    public struct Items: Sendable, Equatable, Codable {
        /// All items created in the year.
        public var total: Int
        /// Aspects over all items; the same aspect name under two parents counts twice, as each topic's
        /// report counts its own ("7 aspects, 18 recommendations").
        public var aspects: Int
        /// By kind: problems, recommendations, opinions, each with its own aspect count (per parent).
        public var byKind: [KindLine]
        /// By state.
        public var byState: [Count]
        /// Items whose implementation was accepted.
        public var accepted: Int
        /// Accepted items over all items (0 when there are none).
        public var resolvedShare: Double
        /// Items overdue on ``YearSummary/asOf``.
        public var overdue: Int
        /// Answers given on or before the due date in force, over all answers (nil without answers).
        public var onTimeShare: Double?
    }

    /// "K aspects, N items" of one kind.
    public struct KindLine: Sendable, Equatable, Codable {
        /// problem, recommendation or opinion.
        public var kind: String
        /// Items of the kind.
        public var count: Int
        /// Distinct aspects among them.
        public var aspects: Int
    }

    /// Evaluations and the departments evaluated.
    public struct Evaluations: Sendable, Equatable, Codable {
        /// Closed evaluations of the year.
        public var total: Int
        /// By subject kind.
        public var bySubject: [Count]
        /// By verdict.
        public var byVerdict: [Count]
        /// Distinct departments evaluated as departments (the "9 departments" of the seed).
        public var departmentsEvaluated: Int
        /// The departments' latest evaluation in the year, best rate first.
        public var departments: [DepartmentLine]
    }

    /// A department's latest evaluation of the year.
    public struct DepartmentLine: Sendable, Equatable, Codable {
        /// The department code.
        public var department: String
        /// Its name.
        public var name: String
        /// The evaluation's satisfaction rate.
        public var rate: Double?
        /// The verdict.
        public var verdict: String?
        /// The day of the evaluation.
        public var date: String
    }

    /// Suggestions assigned, answered, by category and rating.
    public struct Suggestions: Sendable, Equatable, Codable {
        /// Suggestions submitted in the year.
        public var total: Int
        /// Assigned to a lead unit.
        public var assigned: Int
        /// Replied to.
        public var answered: Int
        /// Key suggestions with a supervising leader.
        public var key: Int
        /// By reply category letter.
        public var byCategory: [Count]
        /// By the deputy's rating.
        public var byRating: [Count]
        /// By session.
        public var bySession: [Count]
        /// Satisfied or basically satisfied ratings over all ratings (nil without ratings).
        public var satisfiedShare: Double?
    }

    /// Votes and their results.
    public struct Votes: Sendable, Equatable, Codable {
        /// Votes of the year.
        public var total: Int
        /// Resolutions and decisions adopted.
        public var adopted: Int
        /// Livelihood projects chosen by differential votes.
        public var projectsChosen: Int
        /// Every vote on a resolution or decision with its tally.
        public var resolutions: [VoteLine]
    }

    /// A resolution or decision vote: "58 for, 0 against, 0 abstain, adopted".
    public struct VoteLine: Sendable, Equatable, Codable {
        /// The vote id.
        public var id: String
        /// What was voted.
        public var title: String
        /// resolution or decision.
        public var kind: String
        /// The day.
        public var date: String
        /// Votes for.
        public var votesFor: Int
        /// Votes against.
        public var votesAgainst: Int
        /// Abstentions.
        public var abstentions: Int
        /// Whether it was adopted.
        public var adopted: Bool
    }

    /// Liaison stations and what they collected.
    public struct Stations: Sendable, Equatable, Codable {
        /// Stations registered (all years).
        public var total: Int
        /// Reception days recorded (all years).
        public var receptions: Int
        /// People received (all years).
        public var peopleReceived: Int
        /// Items of the year whose parent is a station.
        public var itemsCollected: Int
    }
}

extension YearSummary {
    /// Computes the summary of `year`, with overdue figures as of `asOf`, in one read transaction.
    public static func compute(_ db: Database, year: Int, asOf: String) throws -> YearSummary {
        let head = try EventRecord.head(db)
        return YearSummary(
            year: year, asOf: asOf, position: head.position, headHash: head.position == 0 ? "" : head.hash.hex,
            topics: try topics(db, year: year), inquiries: try inquiries(db, year: year),
            items: try items(db, year: year, asOf: asOf), evaluations: try evaluations(db, year: year),
            suggestions: try suggestions(db, year: year), votes: try votes(db, year: year),
            stations: try stations(db, year: year)
        )
    }

    private static func counts(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> [Count] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map {
            Count(key: $0[0] ?? "", count: $0[1])
        }
    }

    private static func int(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) ?? 0
    }

    private static func topics(_ db: Database, year: Int) throws -> Topics {
        Topics(
            total: try int(db, "SELECT COUNT(*) FROM topic WHERE year = ?", [year]),
            byKind: try counts(
                db, "SELECT kind, COUNT(*) FROM topic WHERE year = ? GROUP BY kind ORDER BY kind", [year]),
            byStatus: try counts(
                db, "SELECT status, COUNT(*) FROM topic WHERE year = ? GROUP BY status ORDER BY status", [year])
        )
    }

    private static func inquiries(_ db: Database, year: Int) throws -> Inquiries {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT q.id, q.subject, q.date, q.rounds,
                      (SELECT COUNT(*) FROM item i WHERE i.parent = q.id AND i.kind = 'problem') AS problems,
                      (SELECT COUNT(DISTINCT d.department) FROM item_department d JOIN item i ON i.id = d.item_id
                        WHERE i.parent = q.id AND i.kind = 'problem') AS departments,
                      (SELECT AVG(e.rate) FROM evaluation e WHERE e.subject_kind = 'inquiry-round'
                        AND e.state = 'closed' AND e.inquiry_id = q.id) AS mean_rate
                    FROM inquiry q WHERE q.year = ? ORDER BY q.date, q.id
                    """), arguments: [year])
        let list = rows.map { row in
            Inquiry(
                id: row["id"], subject: row["subject"], date: row["date"], rounds: row["rounds"],
                problems: row["problems"], departments: row["departments"], meanRoundRate: row["mean_rate"])
        }
        return Inquiries(total: list.count, rounds: list.reduce(0) { $0 + $1.rounds }, list: list)
    }

    private static func items(_ db: Database, year: Int, asOf: String) throws -> Items {
        let total = try int(db, "SELECT COUNT(*) FROM item WHERE year = ?", [year])
        let accepted = try int(db, "SELECT COUNT(*) FROM item WHERE year = ? AND state = 'accepted'", [year])
        let byKind = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT kind, COUNT(*) AS n, COUNT(DISTINCT parent || char(31) || aspect) AS aspects FROM item WHERE year = ?
                    GROUP BY kind ORDER BY kind
                    """), arguments: [year]
        ).map { KindLine(kind: $0["kind"], count: $0["n"], aspects: $0["aspects"]) }
        let answers = try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    SELECT COUNT(*) AS n, SUM(a.on_time) AS on_time FROM item_answer a JOIN item i ON i.id = a.item_id
                    WHERE i.year = ?
                    """), arguments: [year])
        let answered: Int = answers?["n"] ?? 0
        let onTime: Int = answers?["on_time"] ?? 0
        return Items(
            total: total,
            aspects: try int(
                db, "SELECT COUNT(DISTINCT parent || char(31) || aspect) FROM item WHERE year = ?", [year]),
            byKind: byKind,
            byState: try counts(
                db, "SELECT state, COUNT(*) FROM item WHERE year = ? GROUP BY state ORDER BY state", [year]),
            accepted: accepted,
            resolvedShare: total == 0 ? 0 : Double(accepted) / Double(total),
            overdue: try int(
                db, "SELECT COUNT(*) FROM item WHERE year = ? AND \(ItemRow.overdueCondition())", [year, asOf]),
            onTimeShare: answered == 0 ? nil : Double(onTime) / Double(answered)
        )
    }

    private static func evaluations(_ db: Database, year: Int) throws -> Evaluations {
        let closed = "FROM evaluation WHERE year = ? AND state = 'closed'"
        let departments = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT e.subject AS department, COALESCE(d.name, e.subject) AS name, e.rate, e.verdict, e.date
                    FROM evaluation e LEFT JOIN department d ON d.code = e.subject
                    WHERE e.year = ? AND e.state = 'closed' AND e.subject_kind = 'department'
                      AND e.id = (SELECT x.id FROM evaluation x WHERE x.year = e.year AND x.state = 'closed'
                        AND x.subject_kind = 'department' AND x.subject = e.subject
                        ORDER BY x.date DESC, x.position DESC LIMIT 1)
                    ORDER BY e.rate DESC, e.subject
                    """), arguments: [year]
        ).map {
            DepartmentLine(
                department: $0["department"], name: $0["name"], rate: $0["rate"], verdict: $0["verdict"],
                date: $0["date"])
        }
        return Evaluations(
            total: try int(db, "SELECT COUNT(*) \(closed)", [year]),
            bySubject: try counts(
                db, "SELECT subject_kind, COUNT(*) \(closed) GROUP BY subject_kind ORDER BY subject_kind", [year]),
            byVerdict: try counts(db, "SELECT verdict, COUNT(*) \(closed) GROUP BY verdict ORDER BY verdict", [year]),
            departmentsEvaluated: departments.count, departments: departments
        )
    }

    private static func suggestions(_ db: Database, year: Int) throws -> Suggestions {
        let ratings = try counts(
            db,
            "SELECT rating, COUNT(*) FROM suggestion WHERE year = ? AND rating IS NOT NULL GROUP BY rating ORDER BY rating",
            [year])
        let rated = ratings.reduce(0) { $0 + $1.count }
        let satisfied = ratings.filter { $0.key != "dissatisfied" }.reduce(0) { $0 + $1.count }
        return Suggestions(
            total: try int(db, "SELECT COUNT(*) FROM suggestion WHERE year = ?", [year]),
            assigned: try int(
                db, "SELECT COUNT(*) FROM suggestion WHERE year = ? AND first_assigned_on IS NOT NULL", [year]),
            answered: try int(db, "SELECT COUNT(*) FROM suggestion WHERE year = ? AND replied_on IS NOT NULL", [year]),
            key: try int(db, "SELECT COUNT(*) FROM suggestion WHERE year = ? AND \"key\" = 1", [year]),
            byCategory: try counts(
                db,
                """
                SELECT category, COUNT(*) FROM suggestion WHERE year = ? AND category IS NOT NULL
                GROUP BY category ORDER BY category
                """, [year]),
            byRating: ratings,
            bySession: try counts(
                db, "SELECT session, COUNT(*) FROM suggestion WHERE year = ? GROUP BY session ORDER BY session", [year]),
            satisfiedShare: rated == 0 ? nil : Double(satisfied) / Double(rated)
        )
    }

    private static func votes(_ db: Database, year: Int) throws -> Votes {
        let resolutions = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, title, kind, date, for_count, against_count, abstain_count, adopted FROM vote
                    WHERE year = ? AND kind IN ('resolution', 'decision') ORDER BY date, id
                    """), arguments: [year]
        ).map {
            VoteLine(
                id: $0["id"], title: $0["title"], kind: $0["kind"], date: $0["date"], votesFor: $0["for_count"],
                votesAgainst: $0["against_count"], abstentions: $0["abstain_count"], adopted: $0["adopted"] ?? false)
        }
        return Votes(
            total: try int(db, "SELECT COUNT(*) FROM vote WHERE year = ?", [year]),
            adopted: resolutions.filter(\.adopted).count,
            projectsChosen: try int(
                db,
                "SELECT COUNT(*) FROM vote_candidate c JOIN vote v ON v.id = c.vote_id WHERE v.year = ? AND c.chosen = 1",
                [year]),
            resolutions: resolutions
        )
    }

    private static func stations(_ db: Database, year: Int) throws -> Stations {
        let totals = try Row.fetchOne(
            db.cachedStatement(
                sql: "SELECT COUNT(*) AS n, SUM(receptions) AS r, SUM(people_received) AS p FROM station"))
        return Stations(
            total: totals?["n"] ?? 0, receptions: totals?["r"] ?? 0, peopleReceived: totals?["p"] ?? 0,
            itemsCollected: try int(
                db, "SELECT COUNT(*) FROM item WHERE year = ? AND parent_kind = 'station'", [year])
        )
    }
}
