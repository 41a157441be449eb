import Foundation
import GRDB
import OversightDomain

/// The item board: every tracked item with its departments, answers and history.
///
/// Tables (dates are TEXT "YYYY-MM-DD", lists are JSON arrays as TEXT):
/// - `item`: one row per item with what the board shows: parent, kind, aspect, departments, the due date in
///   force, state, dates, reopenings, the latest escalation step. Being overdue is not stored: it depends on the
///   day asked about (see ``ItemRow/overdueCondition(_:)``).
/// - `item_department`: one row per department on the item, `role` "lead" or "co"; replaced by each assignment.
/// - `item_answer`: one row per answer; `on_time` is 1 when the answer is dated on or before the due date in
///   force when it was recorded (or when no due date was set), else 0; `due_date` is that due date.
/// - `item_history`: one row per item event with a one-line summary for people.
public struct ItemBoardProjection: Projection {
    public let name = "item-board"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS item (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    parent TEXT NOT NULL,
                    parent_kind TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    aspect TEXT NOT NULL,
                    text TEXT NOT NULL,
                    lead_department TEXT,
                    co_departments TEXT NOT NULL,
                    due_date TEXT,
                    state TEXT NOT NULL,
                    created_on TEXT NOT NULL,
                    assigned_on TEXT,
                    answered_on TEXT,
                    answer_count INTEGER NOT NULL DEFAULT 0,
                    accepted_on TEXT,
                    reopen_count INTEGER NOT NULL DEFAULT 0,
                    due_date_changes INTEGER NOT NULL DEFAULT 0,
                    escalation TEXT,
                    escalated_on TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS item_by_year ON item (year, sequence);
                CREATE INDEX IF NOT EXISTS item_by_parent ON item (parent);
                CREATE TABLE IF NOT EXISTS item_department (
                    item_id TEXT NOT NULL,
                    department TEXT NOT NULL,
                    role TEXT NOT NULL,
                    PRIMARY KEY (item_id, department)
                );
                CREATE INDEX IF NOT EXISTS item_department_by_department ON item_department (department);
                CREATE TABLE IF NOT EXISTS item_answer (
                    position INTEGER PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL,
                    department TEXT NOT NULL,
                    date TEXT NOT NULL,
                    claimed TEXT NOT NULL,
                    text TEXT NOT NULL,
                    reason TEXT,
                    due_date TEXT,
                    on_time INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS item_answer_by_item ON item_answer (item_id, position);
                CREATE TABLE IF NOT EXISTS item_history (
                    position INTEGER PRIMARY KEY NOT NULL,
                    item_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    date TEXT,
                    recorded_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    data TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS item_history_by_item ON item_history (item_id, position);
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(
            sql: """
                DROP TABLE IF EXISTS item; DROP TABLE IF EXISTS item_department; DROP TABLE IF EXISTS item_answer;
                DROP TABLE IF EXISTS item_history
                """
        )
    }

    /// The event types this projection reads.
    private static let types = Set(Item.Event.eventTypes)

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard Self.types.contains(event.type) else { return }
        let id = String(event.stream.dropFirst("item-".count))
        let decoded = try event.decoded(as: Item.Event.self)
        let date: LocalDate
        switch decoded {
        case .added(let itemID, let draft):
            date = draft.createdOn
            let state: ItemState = draft.lead == nil ? .open : .assigned
            try db.executeCached(
                sql: """
                    INSERT INTO item (id, year, sequence, parent, parent_kind, kind, aspect, text, lead_department,
                                      co_departments, due_date, state, created_on, assigned_on, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    itemID.rawValue, itemID.year, itemID.sequence, draft.parent.rawValue, draft.parent.kind,
                    draft.kind.rawValue, draft.aspect, draft.text, draft.lead?.rawValue,
                    try Self.json(draft.coDepartments), draft.dueDate?.description, state.rawValue,
                    draft.createdOn.description, draft.lead == nil ? nil : draft.createdOn.description, event.position,
                ]
            )
            if let lead = draft.lead {
                try Self.replaceDepartments(db, id: itemID.rawValue, lead: lead, coDepartments: draft.coDepartments)
            }
        case .assigned(let assigned, let lead, let coDepartments, let dueDate):
            date = assigned
            try db.executeCached(
                sql: """
                    UPDATE item SET lead_department = ?, co_departments = ?, due_date = ?, assigned_on = ?,
                        state = CASE state WHEN ? THEN ? ELSE state END, position = ? WHERE id = ?
                    """,
                arguments: [
                    lead.rawValue, try Self.json(coDepartments), dueDate.description, assigned.description,
                    ItemState.open.rawValue, ItemState.assigned.rawValue, event.position, id,
                ]
            )
            try Self.replaceDepartments(db, id: id, lead: lead, coDepartments: coDepartments)
        case .answered(let answer):
            date = answer.date
            let dueDate = try String.fetchOne(
                db.cachedStatement(sql: "SELECT due_date FROM item WHERE id = ?"), arguments: [id])
            let onTime = dueDate.map { answer.date.description <= $0 } ?? true
            try db.executeCached(
                sql: """
                    INSERT INTO item_answer (position, item_id, department, date, claimed, text, reason, due_date,
                                             on_time)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.position, id, answer.department.rawValue, answer.date.description, answer.claimed.rawValue,
                    answer.text, answer.reason, dueDate, onTime ? 1 : 0,
                ]
            )
            try db.executeCached(
                sql: """
                    UPDATE item SET state = ?, answer_count = answer_count + 1,
                        answered_on = CASE WHEN answered_on IS NULL OR answered_on < ? THEN ? ELSE answered_on END,
                        position = ? WHERE id = ?
                    """,
                arguments: [
                    ItemState.answered.rawValue, answer.date.description, answer.date.description, event.position, id,
                ]
            )
        case .accepted(let accepted, _):
            date = accepted
            try db.executeCached(
                sql: "UPDATE item SET state = ?, accepted_on = ?, position = ? WHERE id = ?",
                arguments: [ItemState.accepted.rawValue, accepted.description, event.position, id]
            )
        case .reopened(let reopened, _):
            date = reopened
            try db.executeCached(
                sql: """
                    UPDATE item SET state = ?, accepted_on = NULL, reopen_count = reopen_count + 1, position = ?
                    WHERE id = ?
                    """,
                arguments: [ItemState.reopened.rawValue, event.position, id]
            )
        case .dueDateChanged(let changed, let dueDate, _, _, _):
            date = changed
            try db.executeCached(
                sql: """
                    UPDATE item SET due_date = ?, due_date_changes = due_date_changes + 1, position = ? WHERE id = ?
                    """,
                arguments: [dueDate.description, event.position, id]
            )
        case .escalated(let escalation):
            date = escalation.date
            try db.executeCached(
                sql: """
                    UPDATE item SET escalation = ?, escalated_on = ?, due_date = COALESCE(?, due_date), position = ?
                    WHERE id = ?
                    """,
                arguments: [
                    escalation.step.rawValue, escalation.date.description, escalation.dueDate?.description,
                    event.position, id,
                ]
            )
        }
        try db.executeCached(
            sql: """
                INSERT INTO item_history (position, item_id, type, date, recorded_at, actor, summary, data)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.position, id, event.type, date.description, Timestamp.format(event.recordedAt),
                event.meta.actor, Self.summary(of: decoded), event.data,
            ]
        )
    }

    /// Replaces the departments of an item: the lead, then the co-departments.
    private static func replaceDepartments(
        _ db: Database, id: String, lead: DepartmentCode, coDepartments: [DepartmentCode]
    ) throws {
        try db.executeCached(sql: "DELETE FROM item_department WHERE item_id = ?", arguments: [id])
        for (code, role) in [(lead, "lead")] + coDepartments.map({ ($0, "co") }) {
            try db.executeCached(
                sql: "INSERT INTO item_department (item_id, department, role) VALUES (?, ?, ?)",
                arguments: [id, code.rawValue, role]
            )
        }
    }

    /// A JSON array of department codes.
    private static func json(_ codes: [DepartmentCode]) throws -> String {
        String(decoding: try JSONEncoder().encode(codes.map(\.rawValue)), as: UTF8.self)
    }

    /// A one-line account of an event, for the history.
    static func summary(of event: Item.Event) -> String {
        func departments(_ lead: DepartmentCode?, _ co: [DepartmentCode]) -> String {
            guard let lead else { return "" }
            return "lead \(lead)" + (co.isEmpty ? "" : ", co " + co.map(\.rawValue).joined(separator: ", "))
        }
        switch event {
        case .added(let id, let draft):
            var text = "Added \(id) (\(draft.kind.rawValue)) to \(draft.parent) on \(draft.createdOn), "
            text += "aspect \(draft.aspect): \(draft.text)"
            if draft.lead != nil { text += "; " + departments(draft.lead, draft.coDepartments) }
            if let due = draft.dueDate { text += "; due \(due)" }
            return text
        case .assigned(let date, let lead, let co, let dueDate):
            return "Assigned on \(date) to \(departments(lead, co)); due \(dueDate)"
        case .answered(let answer):
            var text = "Answered by \(answer.department) on \(answer.date) (\(answer.claimed.rawValue)): \(answer.text)"
            if let reason = answer.reason { text += "; reason: \(reason)" }
            return text
        case .accepted(let date, let note):
            return "Implementation accepted on \(date)" + (note.map { ": \($0)" } ?? "")
        case .reopened(let date, let reason):
            return "Reopened on \(date): \(reason)"
        case .dueDateChanged(let date, let dueDate, let previous, let reason, let approver):
            return "Due date moved on \(date) from \(previous) to \(dueDate), approved by \(approver): \(reason)"
        case .escalated(let escalation):
            var text = "Escalated on \(escalation.date): \(escalation.step.rawValue)"
            if let due = escalation.dueDate { text += ", new due date \(due)" }
            if let leader = escalation.leader { text += ", supervised by \(leader)" }
            if let note = escalation.note { text += "; \(note)" }
            return text
        }
    }
}
