import Foundation
import GRDB
import OversightDomain

/// The topic board and every topic's timeline.
///
/// Table `topic` holds one row per topic with what the board shows (status, counts, due date, last activity);
/// table `topic_timeline` holds one row per topic event with a one-line summary for people.
public struct TopicBoardProjection: Projection {
    public let name = "topic-board"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS topic (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    committee TEXT,
                    leader TEXT,
                    departments TEXT NOT NULL,
                    theme TEXT,
                    status TEXT NOT NULL,
                    activities INTEGER NOT NULL DEFAULT 0,
                    session TEXT,
                    due_date TEXT,
                    round INTEGER NOT NULL DEFAULT 1,
                    last_activity TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS topic_by_year ON topic (year, kind, status);
                CREATE INDEX IF NOT EXISTS topic_by_sequence ON topic (year, sequence);
                CREATE TABLE IF NOT EXISTS topic_timeline (
                    position INTEGER PRIMARY KEY NOT NULL,
                    topic_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    date TEXT,
                    actor TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS topic_timeline_by_topic ON topic_timeline (topic_id, position);
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS topic; DROP TABLE IF EXISTS topic_timeline")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard event.type.hasPrefix("Topic") else { return }
        let id = String(event.stream.dropFirst("topic-".count))
        let decoded = try event.decoded(as: Topic.Event.self)
        let date: LocalDate?
        var lastActivitySet = false
        switch decoded {
        case .planned(let topicID, let plan):
            date = nil
            let departments = try String(
                decoding: JSONEncoder().encode(plan.departments.map(\.rawValue)), as: UTF8.self)
            try db.executeCached(
                sql: """
                    INSERT INTO topic (id, year, sequence, kind, title, committee, leader, departments, theme, status,
                                       position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    topicID.rawValue, plan.year, Self.sequence(of: topicID.rawValue), plan.kind.rawValue, plan.title,
                    plan.committee, plan.leader, departments, plan.theme, TopicStatus.planned.rawValue,
                    event.position,
                ]
            )
        case .activityRecorded(let activity):
            // The most frequent topic event: one statement moves the count, the status and the last activity.
            date = activity.date
            lastActivitySet = true
            let day = activity.date.description
            try db.executeCached(
                sql: """
                    UPDATE topic SET activities = activities + 1,
                        status = CASE status WHEN ? THEN ? ELSE status END, position = ?,
                        last_activity = CASE WHEN last_activity IS NULL OR last_activity < ? THEN ?
                            ELSE last_activity END
                    WHERE id = ?
                    """,
                arguments: [
                    TopicStatus.planned.rawValue, TopicStatus.underWay.rawValue, event.position, day, day, id,
                ]
            )
        case .deliberated(let session):
            date = session.date
            try setStatus(
                .deliberated, db, id: id, position: event.position, extra: "session = ?",
                [Self.describe(session)])
        case .opinionsTransferred(let transferred, let dueDate, _):
            date = transferred
            try setStatus(
                .opinionsTransferred, db, id: id, position: event.position, extra: "due_date = ?",
                [dueDate.description])
        case .handlingReported(let reported, _):
            date = reported
            try setStatus(.handlingReported, db, id: id, position: event.position)
        case .sentBack(let sent, let dueDate, _, let round):
            date = sent
            try setStatus(
                .opinionsTransferred, db, id: id, position: event.position, extra: "due_date = ?, round = ?",
                [dueDate.description, round])
        case .closed(let closed, _):
            date = closed
            try setStatus(.closed, db, id: id, position: event.position)
        }
        if let date, !lastActivitySet {
            try db.executeCached(
                sql: """
                    UPDATE topic SET last_activity = ? WHERE id = ? AND (last_activity IS NULL OR last_activity < ?)
                    """,
                arguments: [date.description, id, date.description]
            )
        }
        try db.executeCached(
            sql: """
                INSERT INTO topic_timeline (position, topic_id, type, recorded_at, date, actor, summary, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.position, id, event.type, Timestamp.format(event.recordedAt), date?.description,
                event.meta.actor, Self.summary(of: decoded), event.data,
            ]
        )
    }

    private func setStatus(
        _ status: TopicStatus, _ db: Database, id: String, position: Int64, extra: String? = nil,
        _ extraArguments: [(any DatabaseValueConvertible)?] = []
    ) throws {
        let assignments = ["status = ?", "position = ?"] + (extra.map { [$0] } ?? [])
        var arguments: [(any DatabaseValueConvertible)?] = [status.rawValue, position]
        arguments += extraArguments
        arguments.append(id)
        try db.executeCached(
            sql: "UPDATE topic SET \(assignments.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(arguments)
        )
    }

    /// The per-year sequence number of an id such as `T2024-003`.
    static func sequence(of id: String) -> Int {
        id.split(separator: "-").last.flatMap { Int($0) } ?? 0
    }

    /// "12th committee, 13th session, 2024-08-19".
    static func describe(_ session: Topic.Session) -> String {
        let number = "\(Ordinal.english(session.number)) session, \(session.date)"
        guard let term = session.term else { return number }
        return "\(Ordinal.english(term)) committee, \(number)"
    }

    /// A one-line account of an event, for the timeline.
    static func summary(of event: Topic.Event) -> String {
        switch event {
        case .planned(let id, let plan):
            var text = "Planned \(id) for \(plan.year) (\(plan.kind.rawValue)): \(plan.title)"
            if !plan.departments.isEmpty {
                text += "; departments \(plan.departments.map(\.rawValue).joined(separator: ", "))"
            }
            return text
        case .activityRecorded(let activity):
            var text = "\(activity.kind.rawValue) on \(activity.date)"
            if !activity.places.isEmpty { text += "; places: \(activity.places.joined(separator: "、"))" }
            if !activity.units.isEmpty { text += "; units: \(activity.units.joined(separator: "、"))" }
            if let people = activity.peopleMet { text += "; \(people) people met" }
            if let summary = activity.summary { text += "; \(summary)" }
            return text
        case .deliberated(let session):
            return "Deliberated at the \(describe(session))"
        case .opinionsTransferred(let date, let dueDate, let summary):
            return "Opinions transferred on \(date), due \(dueDate)" + (summary.map { ": \($0)" } ?? "")
        case .handlingReported(let date, let summary):
            return "Handling report received on \(date)" + (summary.map { ": \($0)" } ?? "")
        case .sentBack(let date, let dueDate, let reason, let round):
            return "Sent back on \(date) for re-rectification (round \(round)), due \(dueDate): \(reason)"
        case .closed(let date, let note):
            return "Closed on \(date)" + (note.map { ": \($0)" } ?? "")
        }
    }
}

/// English ordinals for session and committee numbers.
enum Ordinal {
    /// 1 → "1st", 12 → "12th", 22 → "22nd".
    static func english(_ number: Int) -> String {
        let tens = (number / 10) % 10
        let suffix: String
        switch (tens, number % 10) {
        case (1, _): suffix = "th"
        case (_, 1): suffix = "st"
        case (_, 2): suffix = "nd"
        case (_, 3): suffix = "rd"
        default: suffix = "th"
        }
        return "\(number)\(suffix)"
    }
}
