import Foundation
import GRDB
import OversightDomain

/// The inquiry record: every special inquiry and its rounds.
///
/// Table `inquiry` holds one row per inquiry (session, state, round count, conclusion and transfer dates);
/// table `inquiry_round` holds one row per round, keyed by inquiry and round number. The per-round ratings
/// (evaluations whose subject is "Q2024-001/2") and the problem list (items whose parent is the inquiry) live in
/// their own read models and are joined at query time.
public struct InquiryRecordProjection: Projection {
    public let name = "inquiry-record"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS inquiry (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    subject TEXT NOT NULL,
                    topic_id TEXT,
                    committee TEXT,
                    session_term INTEGER,
                    session_number INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    state TEXT NOT NULL,
                    rounds INTEGER NOT NULL DEFAULT 0,
                    last_round_on TEXT,
                    concluded_on TEXT,
                    conclusion_note TEXT,
                    transferred_on TEXT,
                    due_date TEXT,
                    transfer_summary TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS inquiry_by_year ON inquiry (year, state);
                CREATE INDEX IF NOT EXISTS inquiry_by_topic ON inquiry (topic_id);
                CREATE TABLE IF NOT EXISTS inquiry_round (
                    inquiry_id TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    questioner TEXT NOT NULL,
                    respondent TEXT NOT NULL,
                    respondent_department TEXT NOT NULL,
                    question TEXT NOT NULL,
                    answer_summary TEXT,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (inquiry_id, round)
                );
                CREATE INDEX IF NOT EXISTS inquiry_round_by_department ON inquiry_round (respondent_department);
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS inquiry; DROP TABLE IF EXISTS inquiry_round")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard event.type.hasPrefix("Inquiry") else { return }
        let id = String(event.stream.dropFirst("inquiry-".count))
        switch try event.decoded(as: Inquiry.Event.self) {
        case .scheduled(let inquiryID, let schedule):
            try db.executeCached(
                sql: """
                    INSERT INTO inquiry (id, year, sequence, subject, topic_id, committee, session_term, session_number,
                                         date, state, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    inquiryID.rawValue, inquiryID.year, inquiryID.sequence, schedule.subject,
                    schedule.topicID?.rawValue, schedule.committee, schedule.session.term, schedule.session.number,
                    schedule.session.date.description, InquiryStatus.scheduled.rawValue, event.position,
                ]
            )
        case .roundRecorded(let number, let date, let round):
            try db.executeCached(
                sql: """
                    INSERT INTO inquiry_round (inquiry_id, round, date, questioner, respondent, respondent_department,
                                               question, answer_summary, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, number, date.description, round.questioner, round.respondent, round.department.rawValue,
                    round.question, round.answerSummary, event.position,
                ]
            )
            try db.executeCached(
                sql: "UPDATE inquiry SET state = ?, rounds = ?, last_round_on = ?, position = ? WHERE id = ?",
                arguments: [InquiryStatus.held.rawValue, number, date.description, event.position, id]
            )
        case .concluded(let date, let note):
            try db.executeCached(
                sql: "UPDATE inquiry SET state = ?, concluded_on = ?, conclusion_note = ?, position = ? WHERE id = ?",
                arguments: [InquiryStatus.concluded.rawValue, date.description, note, event.position, id]
            )
        case .transferred(let date, let dueDate, let summary):
            try db.executeCached(
                sql: """
                    UPDATE inquiry SET state = ?, transferred_on = ?, due_date = ?, transfer_summary = ?, position = ?
                    WHERE id = ?
                    """,
                arguments: [
                    InquiryStatus.transferred.rawValue, date.description, dueDate.description, summary,
                    event.position, id,
                ]
            )
        }
    }
}
