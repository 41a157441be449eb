import Foundation
import GRDB
import OversightDomain

/// The suggestion board (代表建议), each suggestion's replies and history, and the category list versions.
///
/// Tables:
/// - `suggestion`: one row per suggestion with what the board shows. `state` is a ``SuggestionStatus`` raw value;
///   `assigned_on`/`due_date`/`lead_unit`/`co_units` describe the current assignment (cleared by a return);
///   `replied_on`/`category`/`category_list`/`category_meaning` the latest reply; `rating`/`rated_on` the latest
///   rating of the latest reply (cleared by a new reply). `first_assigned_on` and `first_replied_on` never clear.
/// - `suggestion_unit`: one row per unit of the current assignment, role 'lead' or 'co'.
/// - `suggestion_reply`: one row per reply (per handling round) with its category as recorded, the due date in
///   force, whether it was on time, and the deputy's rating of it.
/// - `suggestion_history`: one row per suggestion event with a one-line summary for people.
/// - `suggestion_category_list`: one row per defined version of a category list (the built-in national version 1
///   is not an event and is not stored).
public struct SuggestionBoardProjection: Projection {
    public let name = "suggestion-board"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS suggestion (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    session TEXT NOT NULL,
                    number TEXT NOT NULL,
                    title TEXT NOT NULL,
                    lead_deputy TEXT NOT NULL,
                    co_signers TEXT NOT NULL,
                    text TEXT,
                    submitted_on TEXT NOT NULL,
                    lead_unit TEXT,
                    co_units TEXT NOT NULL DEFAULT '[]',
                    "key" INTEGER NOT NULL DEFAULT 0,
                    supervising_leader TEXT,
                    state TEXT NOT NULL,
                    assigned_on TEXT,
                    first_assigned_on TEXT,
                    due_date TEXT,
                    complex INTEGER NOT NULL DEFAULT 0,
                    round INTEGER NOT NULL DEFAULT 0,
                    replied_on TEXT,
                    first_replied_on TEXT,
                    category TEXT,
                    category_list TEXT,
                    category_meaning TEXT,
                    rating TEXT,
                    rated_on TEXT,
                    returns INTEGER NOT NULL DEFAULT 0,
                    closed_on TEXT,
                    position INTEGER NOT NULL
                );
                CREATE UNIQUE INDEX IF NOT EXISTS suggestion_by_number ON suggestion (session, number);
                CREATE INDEX IF NOT EXISTS suggestion_by_year ON suggestion (year, state);
                CREATE TABLE IF NOT EXISTS suggestion_unit (
                    suggestion_id TEXT NOT NULL,
                    department TEXT NOT NULL,
                    role TEXT NOT NULL,
                    PRIMARY KEY (suggestion_id, department)
                );
                CREATE INDEX IF NOT EXISTS suggestion_unit_by_department ON suggestion_unit (department);
                CREATE TABLE IF NOT EXISTS suggestion_reply (
                    suggestion_id TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    date TEXT NOT NULL,
                    lead_unit TEXT,
                    category TEXT NOT NULL,
                    category_list TEXT NOT NULL,
                    category_meaning TEXT NOT NULL,
                    text TEXT NOT NULL,
                    reason TEXT,
                    due_date TEXT,
                    on_time INTEGER,
                    rating TEXT,
                    rated_on TEXT,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (suggestion_id, round)
                );
                CREATE TABLE IF NOT EXISTS suggestion_history (
                    position INTEGER PRIMARY KEY NOT NULL,
                    suggestion_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    date TEXT,
                    recorded_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS suggestion_history_by_suggestion
                    ON suggestion_history (suggestion_id, position);
                CREATE TABLE IF NOT EXISTS suggestion_category_list (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    effective_from TEXT NOT NULL,
                    categories TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (name, version)
                );
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS suggestion; DROP TABLE IF EXISTS suggestion_unit;
                DROP TABLE IF EXISTS suggestion_reply; DROP TABLE IF EXISTS suggestion_history;
                DROP TABLE IF EXISTS suggestion_category_list
                """
        )
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        if event.stream.hasPrefix("categories-"),
            SuggestionCategories.Event.eventTypes.contains(event.type)
        {
            try applyCategories(event, db)
            return
        }
        guard event.stream.hasPrefix("suggestion-"), Suggestion.Event.eventTypes.contains(event.type) else { return }
        let id = String(event.stream.dropFirst("suggestion-".count))
        let decoded = try event.decoded(as: Suggestion.Event.self)
        let date: LocalDate
        switch decoded {
        case .submitted(let suggestionID, let s):
            date = s.date
            try db.executeCached(
                sql: """
                    INSERT INTO suggestion (id, year, sequence, session, number, title, lead_deputy, co_signers, text,
                                            submitted_on, state, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    suggestionID.rawValue, suggestionID.year, suggestionID.sequence, s.session, s.number, s.title,
                    s.leadDeputy, try Self.json(s.coSigners), s.text, s.date.description,
                    SuggestionStatus.unassigned.rawValue, event.position,
                ]
            )
        case .assigned(let assigned, let leadUnit, let coUnits, let complex, let dueDate):
            date = assigned
            try db.executeCached(
                sql: """
                    UPDATE suggestion SET state = ?, lead_unit = ?, co_units = ?, complex = ?, assigned_on = ?,
                        first_assigned_on = COALESCE(first_assigned_on, ?), due_date = ?, round = 1, position = ?
                    WHERE id = ?
                    """,
                arguments: [
                    SuggestionStatus.assigned.rawValue, leadUnit.rawValue, try Self.json(coUnits.map(\.rawValue)),
                    complex, assigned.description, assigned.description, dueDate.description, event.position, id,
                ]
            )
            try db.executeCached(sql: "DELETE FROM suggestion_unit WHERE suggestion_id = ?", arguments: [id])
            for (code, role) in [(leadUnit, "lead")] + coUnits.map({ ($0, "co") }) {
                try db.executeCached(
                    sql: "INSERT INTO suggestion_unit (suggestion_id, department, role) VALUES (?, ?, ?)",
                    arguments: [id, code.rawValue, role]
                )
            }
        case .markedKey(let marked, let leader):
            date = marked
            try db.executeCached(
                sql: "UPDATE suggestion SET \"key\" = 1, supervising_leader = ?, position = ? WHERE id = ?",
                arguments: [leader, event.position, id]
            )
        case .returned(let returned, _, _, _):
            date = returned
            try db.executeCached(
                sql: """
                    UPDATE suggestion SET state = ?, lead_unit = NULL, co_units = '[]', complex = 0, assigned_on = NULL,
                        due_date = NULL, round = 0, returns = returns + 1, position = ?
                    WHERE id = ?
                    """,
                arguments: [SuggestionStatus.unassigned.rawValue, event.position, id]
            )
            try db.executeCached(sql: "DELETE FROM suggestion_unit WHERE suggestion_id = ?", arguments: [id])
        case .replied(let reply):
            date = reply.date
            let current = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT lead_unit, due_date FROM suggestion WHERE id = ?"), arguments: [id])
            let dueDate: String? = current?["due_date"]
            let leadUnit: String? = current?["lead_unit"]
            try db.executeCached(
                sql: """
                    INSERT INTO suggestion_reply (suggestion_id, round, date, lead_unit, category, category_list,
                        category_meaning, text, reason, due_date, on_time, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id, reply.round, reply.date.description, leadUnit, reply.category, reply.categoryList,
                    reply.categoryMeaning, reply.text, reply.reason, dueDate,
                    dueDate.map { reply.date.description <= $0 }, event.position,
                ]
            )
            try db.executeCached(
                sql: """
                    UPDATE suggestion SET state = ?, replied_on = ?, first_replied_on = COALESCE(first_replied_on, ?),
                        category = ?, category_list = ?, category_meaning = ?, rating = NULL, rated_on = NULL,
                        position = ?
                    WHERE id = ?
                    """,
                arguments: [
                    SuggestionStatus.replied.rawValue, reply.date.description, reply.date.description, reply.category,
                    reply.categoryList, reply.categoryMeaning, event.position, id,
                ]
            )
        case .rated(let rated, let rating, _, let round):
            date = rated
            try db.executeCached(
                sql: "UPDATE suggestion SET state = ?, rating = ?, rated_on = ?, position = ? WHERE id = ?",
                arguments: [SuggestionStatus.rated.rawValue, rating.rawValue, rated.description, event.position, id]
            )
            try db.executeCached(
                sql: "UPDATE suggestion_reply SET rating = ?, rated_on = ? WHERE suggestion_id = ? AND round = ?",
                arguments: [rating.rawValue, rated.description, id, round]
            )
        case .rehandlingStarted(let started, let dueDate, let round):
            date = started
            try db.executeCached(
                sql: "UPDATE suggestion SET state = ?, due_date = ?, round = ?, position = ? WHERE id = ?",
                arguments: [SuggestionStatus.rehandling.rawValue, dueDate.description, round, event.position, id]
            )
        case .closed(let closed, _):
            date = closed
            try db.executeCached(
                sql: "UPDATE suggestion SET state = ?, closed_on = ?, position = ? WHERE id = ?",
                arguments: [SuggestionStatus.closed.rawValue, closed.description, event.position, id]
            )
        }
        try db.executeCached(
            sql: """
                INSERT INTO suggestion_history (position, suggestion_id, type, date, recorded_at, actor, summary, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.position, id, event.type, date.description, Timestamp.format(event.recordedAt),
                event.meta.actor, Self.summary(of: decoded), event.data,
            ]
        )
    }

    private func applyCategories(_ event: RecordedEvent, _ db: Database) throws {
        let decoded = try event.decoded(as: SuggestionCategories.Event.self)
        switch decoded {
        case .defined(let list):
            // Sorted keys: a rebuild must write the same bytes as the live projection.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let categories = String(decoding: try encoder.encode(list.categories), as: UTF8.self)
            try db.executeCached(
                sql: """
                    INSERT INTO suggestion_category_list (name, version, effective_from, categories, position)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    list.name.rawValue, list.version, list.effectiveFrom.description, categories, event.position,
                ]
            )
        }
    }

    /// A JSON array of strings, as stored in the TEXT columns.
    static func json(_ values: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(values), as: UTF8.self)
    }

    /// A one-line account of an event, for the history.
    static func summary(of event: Suggestion.Event) -> String {
        switch event {
        case .submitted(let id, let s):
            var text = "Submitted \(id): session \(s.session) No. \(s.number), \(s.title); lead deputy \(s.leadDeputy)"
            if !s.coSigners.isEmpty { text += ", co-signed by \(s.coSigners.joined(separator: "、"))" }
            return text
        case .assigned(let date, let leadUnit, let coUnits, let complex, let dueDate):
            var text = "Assigned on \(date) to \(leadUnit)"
            if !coUnits.isEmpty { text += " with \(coUnits.map(\.rawValue).joined(separator: ", "))" }
            return text + (complex ? " (complex)" : "") + ", reply due \(dueDate)"
        case .markedKey(let date, let leader):
            return "Marked key on \(date), supervised by \(leader)"
        case .returned(let date, let unit, let reason, let deadline):
            return "Returned by \(unit) on \(date) as wrongly assigned (deadline \(deadline)): \(reason)"
        case .replied(let reply):
            var text =
                "Replied on \(reply.date) (round \(reply.round)): \(reply.category) \(reply.categoryMeaning) "
                + "[\(reply.categoryList)]"
            if let reason = reply.reason { text += "; reason: \(reason)" }
            return text
        case .rated(let date, let rating, let comment, let round):
            return "Rated \(rating.rawValue) (\(rating.label)) on \(date) for round \(round)"
                + (comment.map { ": \($0)" } ?? "")
        case .rehandlingStarted(let date, let dueDate, let round):
            return "Sent back for re-handling on \(date) (round \(round)), reply due \(dueDate)"
        case .closed(let date, let note):
            return "Closed on \(date)" + (note.map { ": \($0)" } ?? "")
        }
    }
}
