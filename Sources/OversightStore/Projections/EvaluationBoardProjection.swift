import Foundation
import GRDB
import OversightDomain

/// The evaluation board: one row per satisfaction evaluation (满意度测评), with its subject, counts, rule, verdict and
/// rate.
///
/// Table `evaluation` (the columns the scorecard and the year summary read, and more):
/// id, year, sequence, subject_kind ('department' | 'inquiry-round' | 'handling-report' | 'suggestion-reply'),
/// subject (department code | "Q2024-001/2" | topic id | suggestion id), department (evaluated or answering, or
/// NULL), inquiry_id, round, topic_id, suggestion_id, date, entitled, present, satisfied, basically_satisfied,
/// dissatisfied, not_voting (the ballots so far while open), rule (its stable text), verdict ('satisfied' |
/// 'basically-satisfied' | 'dissatisfied'; NULL while open), rate ((satisfied + basic) / base of the rule; NULL while
/// open), quorate (0/1), state ('open' | 'closed'), mode ('tally' | 'ballots'), closed_on, note, position (of the
/// latest event).
public struct EvaluationBoardProjection: Projection {
    public let name = "evaluation-board"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS evaluation (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    subject_kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    department TEXT,
                    inquiry_id TEXT,
                    round INTEGER,
                    topic_id TEXT,
                    suggestion_id TEXT,
                    date TEXT NOT NULL,
                    entitled INTEGER NOT NULL,
                    present INTEGER NOT NULL,
                    satisfied INTEGER NOT NULL DEFAULT 0,
                    basically_satisfied INTEGER NOT NULL DEFAULT 0,
                    dissatisfied INTEGER NOT NULL DEFAULT 0,
                    not_voting INTEGER NOT NULL DEFAULT 0,
                    rule TEXT NOT NULL,
                    verdict TEXT,
                    rate REAL,
                    quorate INTEGER NOT NULL,
                    state TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    closed_on TEXT,
                    note TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS evaluation_by_year ON evaluation (year, subject_kind, verdict);
                CREATE INDEX IF NOT EXISTS evaluation_by_department ON evaluation (department, year);
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS evaluation")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard event.type.hasPrefix("Evaluation") else { return }
        let id = String(event.stream.dropFirst("evaluation-".count))
        switch try event.decoded(as: Evaluation.Event.self) {
        case .recorded(let evaluationID, let record, let verdict):
            try insert(
                id: evaluationID, subject: record.subject, date: record.date, tally: record.tally, rule: record.rule,
                note: record.note, mode: "tally", position: event.position, db)
            try close(
                id: evaluationID.rawValue, date: record.date, tally: record.tally, rule: record.rule, verdict: verdict,
                position: event.position, db)
        case .opened(let evaluationID, let opening):
            try insert(
                id: evaluationID, subject: opening.subject, date: opening.date,
                tally: Evaluation.Tally(entitled: opening.entitled, present: opening.present), rule: opening.rule,
                note: opening.note, mode: "ballots", position: event.position, db)
        case .ballotCast(let ballot):
            let column =
                switch ballot {
                case .rating(.satisfied): "satisfied"
                case .rating(.basicallySatisfied): "basically_satisfied"
                case .rating(.dissatisfied): "dissatisfied"
                case .notVoting: "not_voting"
                }
            try db.executeCached(
                sql: "UPDATE evaluation SET \(column) = \(column) + 1, position = ? WHERE id = ?",
                arguments: [event.position, id])
        case .closed(let date, let tally, let verdict):
            guard
                let text = try String.fetchOne(
                    db.cachedStatement(sql: "SELECT rule FROM evaluation WHERE id = ?"), arguments: [id]),
                let rule = VerdictRule(text)
            else { throw StoreError.corrupt("the evaluation board has no valid row for \(id) at its closing") }
            try close(id: id, date: date, tally: tally, rule: rule, verdict: verdict, position: event.position, db)
        }
    }

    private func insert(
        id: EvaluationID, subject: Evaluation.Subject, date: LocalDate, tally: Evaluation.Tally, rule: VerdictRule,
        note: String?, mode: String, position: Int64, _ db: Database
    ) throws {
        var inquiry: String?
        var round: Int?
        var topic: String?
        var suggestion: String?
        switch subject {
        case .department: break
        case .inquiryRound(let inquiryID, let number, _): (inquiry, round) = (inquiryID.rawValue, number)
        case .handlingReport(let topicID): topic = topicID.rawValue
        case .suggestionReply(let suggestionID, _): suggestion = suggestionID.rawValue
        }
        try db.executeCached(
            sql: """
                INSERT INTO evaluation (id, year, sequence, subject_kind, subject, department, inquiry_id, round,
                                        topic_id, suggestion_id, date, entitled, present, rule, quorate, state, mode,
                                        note, position)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                id.rawValue, id.year, id.sequence, subject.kind.rawValue, subject.text, subject.department?.rawValue,
                inquiry, round, topic, suggestion, date.description, tally.entitled, tally.present, rule.description,
                tally.isQuorate ? 1 : 0, Evaluation.Status.open.rawValue, mode, note, position,
            ]
        )
    }

    private func close(
        id: String, date: LocalDate, tally: Evaluation.Tally, rule: VerdictRule, verdict: Rating, position: Int64,
        _ db: Database
    ) throws {
        try db.executeCached(
            sql: """
                UPDATE evaluation SET satisfied = ?, basically_satisfied = ?, dissatisfied = ?, not_voting = ?,
                    verdict = ?, rate = ?, state = ?, closed_on = ?, position = ?
                WHERE id = ?
                """,
            arguments: [
                tally.satisfied, tally.basicallySatisfied, tally.dissatisfied, tally.notVoting, verdict.rawValue,
                rule.rate(of: tally), Evaluation.Status.closed.rawValue, date.description, position, id,
            ]
        )
    }
}
