import GRDB

/// One satisfaction evaluation as a report lists it.
public struct EvaluationLine: Sendable, Equatable, Codable {
    /// The evaluation id.
    public var id: String
    /// The day it was held.
    public var date: String
    /// department, inquiry-round, handling-report or suggestion-reply.
    public var subjectKind: String
    /// What was evaluated (a department code, "Q2024-001/3", a topic id, a suggestion id).
    public var subject: String
    /// The department answerable, if any.
    public var department: String?
    /// Members entitled to evaluate.
    public var entitled: Int
    /// Members present.
    public var present: Int
    /// Satisfied votes.
    public var satisfied: Int
    /// Basically satisfied votes.
    public var basicallySatisfied: Int
    /// Dissatisfied votes.
    public var dissatisfied: Int
    /// The satisfaction rate, once closed.
    public var rate: Double?
    /// The verdict, once closed.
    public var verdict: String?

    /// Closed evaluations matching `condition` (on table `evaluation`), oldest first.
    static func fetch(
        _ db: Database, where condition: String, _ arguments: StatementArguments
    ) throws
        -> [EvaluationLine]
    {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, date, subject_kind, subject, department, entitled, present, satisfied, basically_satisfied,
                      dissatisfied, rate, verdict
                    FROM evaluation WHERE state = 'closed' AND (\(condition)) ORDER BY date, position
                    """), arguments: arguments
        ).map {
            EvaluationLine(
                id: $0["id"], date: $0["date"], subjectKind: $0["subject_kind"], subject: $0["subject"],
                department: $0["department"], entitled: $0["entitled"], present: $0["present"],
                satisfied: $0["satisfied"], basicallySatisfied: $0["basically_satisfied"],
                dissatisfied: $0["dissatisfied"], rate: $0["rate"], verdict: $0["verdict"])
        }
    }
}

/// One department's year: its scorecard line, its items, its evaluations over time and the suggestions it leads.
///
/// Computed in one read transaction at the log position ``position`` (hash ``headHash``).
public struct DepartmentReport: Sendable, Equatable, Codable {
    /// The department code.
    public var department: String
    /// Its name.
    public var name: String
    /// The year reported on.
    public var year: Int
    /// The day overdue figures are taken on.
    public var asOf: String
    /// The log position the figures were read at.
    public var position: Int64
    /// The hash of the event at ``position``.
    public var headHash: String
    /// Its line of the year's scorecard (rank among all departments).
    public var scorecard: DepartmentScorecard.Line
    /// How many departments the scorecard ranks.
    public var departmentsRanked: Int
    /// Items of the year it is on, as lead or co-department (``YearReport/ItemLine/role`` says which).
    public var items: [YearReport.ItemLine]
    /// Its closed evaluations of the year, oldest first.
    public var evaluations: [EvaluationLine]
    /// Suggestions of the year it leads, by reply category.
    public var suggestions: [YearReport.CategoryLine]

    /// Computes the report, or nil when no department has `code`.
    public static func compute(
        _ db: Database, department code: String, year: Int, asOf: String
    ) throws
        -> DepartmentReport?
    {
        guard
            let name = try String.fetchOne(
                db.cachedStatement(sql: "SELECT name FROM department WHERE code = ?"), arguments: [code])
        else { return nil }
        let head = try EventRecord.head(db)
        let scorecard = try DepartmentScorecard.compute(db, year: year, asOf: asOf)
        guard let line = scorecard.lines.first(where: { $0.department == code }) else { return nil }
        let suggestions = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT COALESCE(category, '-') AS c, COUNT(*) AS n,
                      COUNT(CASE WHEN rating = 'satisfied' THEN 1 END) AS s,
                      COUNT(CASE WHEN rating = 'basically-satisfied' THEN 1 END) AS b,
                      COUNT(CASE WHEN rating = 'dissatisfied' THEN 1 END) AS d,
                      COUNT(CASE WHEN rating IS NULL THEN 1 END) AS u
                    FROM suggestion WHERE year = ? AND lead_unit = ? GROUP BY c ORDER BY c = '-', c
                    """), arguments: [year, code]
        ).map {
            YearReport.CategoryLine(
                category: $0["c"], total: $0["n"], satisfied: $0["s"], basicallySatisfied: $0["b"],
                dissatisfied: $0["d"], unrated: $0["u"])
        }
        return DepartmentReport(
            department: code, name: name, year: year, asOf: asOf, position: head.position,
            headHash: head.position == 0 ? "" : head.hash.hex, scorecard: line,
            departmentsRanked: scorecard.lines.count,
            items: try YearReport.itemLines(
                db, where: "year = ? AND " + ItemRow.onDepartmentCondition(narrowed: true),
                [year, code], asOf: asOf, roleOf: code),
            evaluations: try EvaluationLine.fetch(
                db, where: "year = ? AND department = ? AND subject_kind IN ('department', 'inquiry-round')",
                [year, code]),
            suggestions: suggestions)
    }
}

/// One supervision topic: its timeline, its inquiries, the items it raised and their evaluations.
///
/// Items count when their parent is the topic or one of its inquiries. Computed in one read transaction at the
/// log position ``position`` (hash ``headHash``).
public struct TopicReport: Sendable, Equatable, Codable {
    /// The topic id.
    public var id: String
    /// The title.
    public var title: String
    /// The year.
    public var year: Int
    /// The kind.
    public var kind: String
    /// The status.
    public var status: String
    /// The committee in charge.
    public var committee: String?
    /// The departments supervised (codes).
    public var departments: [String]
    /// The due date of the handling report, if transferred.
    public var dueDate: String?
    /// The day overdue figures are taken on.
    public var asOf: String
    /// The log position the figures were read at.
    public var position: Int64
    /// The hash of the event at ``position``.
    public var headHash: String
    /// The topic's steps, in log order.
    public var timeline: [Step]
    /// Its special inquiries.
    public var inquiries: [YearSummary.Inquiry]
    /// The items it raised (directly or through its inquiries).
    public var items: [YearReport.ItemLine]
    /// Its evaluations (handling reports, inquiry rounds), oldest first.
    public var evaluations: [EvaluationLine]

    /// One step of the topic's timeline.
    public struct Step: Sendable, Equatable, Codable {
        /// The event type (TopicPlanned, TopicActivityRecorded, ...).
        public var event: String
        /// The day the step carries, if any.
        public var date: String?
        /// One line for people.
        public var summary: String
    }

    /// Computes the report, or nil when no topic has `id`.
    public static func compute(_ db: Database, topic id: String, asOf: String) throws -> TopicReport? {
        guard let topic = try TopicRow.find(db, id: id) else { return nil }
        let head = try EventRecord.head(db)
        let timeline = try Row.fetchAll(
            db.cachedStatement(
                sql: "SELECT type, date, summary FROM topic_timeline WHERE topic_id = ? ORDER BY position"),
            arguments: [id]
        ).map { Step(event: $0["type"], date: $0["date"], summary: $0["summary"]) }
        let inquiries = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT q.id, q.subject, q.date, q.rounds,
                      (SELECT COUNT(*) FROM item i WHERE i.parent = q.id) AS problems,
                      (SELECT COUNT(DISTINCT d.department) FROM item_department d JOIN item i ON i.id = d.item_id
                        WHERE i.parent = q.id) AS departments,
                      (SELECT AVG(e.rate) FROM evaluation e WHERE e.subject_kind = 'inquiry-round'
                        AND e.state = 'closed' AND e.inquiry_id = q.id) AS mean_rate
                    FROM inquiry q WHERE q.topic_id = ? ORDER BY q.date, q.id
                    """), arguments: [id]
        ).map {
            YearSummary.Inquiry(
                id: $0["id"], subject: $0["subject"], date: $0["date"], rounds: $0["rounds"],
                problems: $0["problems"], departments: $0["departments"], meanRoundRate: $0["mean_rate"])
        }
        let ofTopic = "parent = ? OR parent IN (SELECT q.id FROM inquiry q WHERE q.topic_id = ?)"
        return TopicReport(
            id: topic.id, title: topic.title, year: topic.year, kind: topic.kind, status: topic.status,
            committee: topic.committee, departments: topic.departments, dueDate: topic.dueDate, asOf: asOf,
            position: head.position, headHash: head.position == 0 ? "" : head.hash.hex, timeline: timeline,
            inquiries: inquiries,
            items: try YearReport.itemLines(db, where: ofTopic, [id, id], asOf: asOf),
            evaluations: try EvaluationLine.fetch(
                db, where: "topic_id = ? OR inquiry_id IN (SELECT q.id FROM inquiry q WHERE q.topic_id = ?)",
                [id, id]))
    }
}
