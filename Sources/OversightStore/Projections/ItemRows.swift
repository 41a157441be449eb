import Foundation
import GRDB

/// One row of the item board.
public struct ItemRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var sequence: Int
    public var parent: String
    public var parentKind: String
    public var kind: String
    public var aspect: String
    public var text: String
    public var leadDepartment: String?
    public var coDepartments: [String]
    public var dueDate: String?
    public var state: String
    public var createdOn: String
    public var assignedOn: String?
    public var answeredOn: String?
    public var answerCount: Int
    public var acceptedOn: String?
    public var reopenCount: Int
    public var dueDateChanges: Int
    public var escalation: String?
    public var escalatedOn: String?
    public var position: Int64

    /// The columns of `item` that ``init(row:)`` reads, in the order it reads them; every query of item rows
    /// selects ``selection``.
    static let columns = [
        "id", "year", "sequence", "parent", "parent_kind", "kind", "aspect", "text", "lead_department",
        "co_departments", "due_date", "state", "created_on", "assigned_on", "answered_on", "answer_count",
        "accepted_on", "reopen_count", "due_date_changes", "escalation", "escalated_on", "position",
    ]

    /// ``columns`` as a select list.
    static let selection = columns.joined(separator: ", ")

    /// Reads a row of ``selection``, by index: a read by name looks each column's name up for every row.
    public init(row: Row) throws {
        assert(Array(row.columnNames) == Self.columns, "an item row is read from ItemRow.selection")
        id = row[0]
        year = row[1]
        sequence = row[2]
        parent = row[3]
        parentKind = row[4]
        kind = row[5]
        aspect = row[6]
        text = row[7]
        leadDepartment = row[8]
        coDepartments = JSONStringArray.decode(row[9]) ?? []
        dueDate = row[10]
        state = row[11]
        createdOn = row[12]
        assignedOn = row[13]
        answeredOn = row[14]
        answerCount = row[15]
        acceptedOn = row[16]
        reopenCount = row[17]
        dueDateChanges = row[18]
        escalation = row[19]
        escalatedOn = row[20]
        position = row[21]
    }

    /// The SQL condition "overdue as of ?" on `item` (under `alias`, if given), with one argument, the day
    /// ("YYYY-MM-DD"); the one definition every query uses.
    ///
    /// Mirrors `Item.Snapshot.isOverdue(asOf:)`: not accepted, not answered since it was last (re)opened (the
    /// states open, assigned and reopened), and a due date before the day.
    public static func overdueCondition(_ alias: String? = nil) -> String {
        let prefix = alias.map { $0 + "." } ?? ""
        return "(\(prefix)state IN ('open', 'assigned', 'reopened') AND \(prefix)due_date IS NOT NULL "
            + "AND \(prefix)due_date < ?)"
    }

    /// The SQL condition "the department (one argument) is on the item" on `item` (under `alias`, if given).
    ///
    /// `narrowed` says the query has a year or a parent condition that SQLite can walk by index (`item_by_year`,
    /// `item_by_parent`): then each of those items is checked by the primary key of `item_department`, so the cost
    /// follows the year's items. Otherwise the items are found from the department's rows
    /// (`item_department_by_department`), every year's, as the question asks for every year.
    static func onDepartmentCondition(_ alias: String? = nil, narrowed: Bool) -> String {
        let table = alias ?? "item"
        return narrowed
            ? "EXISTS (SELECT 1 FROM item_department x WHERE x.item_id = \(table).id AND x.department = ?)"
            : "\(table).id IN (SELECT item_id FROM item_department WHERE department = ?)"
    }

    /// Whether the item is overdue on `day` ("YYYY-MM-DD"), as ``overdueCondition(_:)`` decides.
    public func isOverdue(asOf day: String) -> Bool {
        guard ["open", "assigned", "reopened"].contains(state), let dueDate else { return false }
        return dueDate < day
    }

    /// Filters of the item board; nil means any.
    public struct Filter: Sendable, Equatable {
        /// Items on which this department is the lead or a co-department.
        public var department: String?
        /// Items in this state.
        public var state: String?
        /// Only overdue items (true) or only items not overdue (false) as of ``asOf``.
        public var overdue: Bool?
        /// The day overdue is judged on ("YYYY-MM-DD"); required with ``overdue``.
        public var asOf: String?
        /// Items of this parent (topic, inquiry or station id).
        public var parent: String?
        /// Items of this aspect (exact text).
        public var aspect: String?
        /// Items of this year.
        public var year: Int?
        /// Items of this kind.
        public var kind: String?

        /// Creates a filter.
        public init(
            department: String? = nil, state: String? = nil, overdue: Bool? = nil, asOf: String? = nil,
            parent: String? = nil, aspect: String? = nil, year: Int? = nil, kind: String? = nil
        ) {
            self.department = department
            self.state = state
            self.overdue = overdue
            self.asOf = asOf
            self.parent = parent
            self.aspect = aspect
            self.year = year
            self.kind = kind
        }

        fileprivate var whereClause: (sql: String, arguments: [(any DatabaseValueConvertible)?]) {
            var conditions: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            func add(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
                conditions.append(condition)
                arguments.append(value)
            }
            if let department {
                add(ItemRow.onDepartmentCondition(narrowed: year != nil || parent != nil), department)
            }
            if let state { add("state = ?", state) }
            if let overdue, let asOf { add((overdue ? "" : "NOT ") + ItemRow.overdueCondition(), asOf) }
            if let parent { add("parent = ?", parent) }
            if let aspect { add("aspect = ?", aspect) }
            if let year { add("year = ?", year) }
            if let kind { add("kind = ?", kind) }
            let sql = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return (sql, arguments)
        }
    }

    /// The board: items ordered by year and sequence.
    public static func board(_ db: Database, filter: Filter) throws -> [ItemRow] {
        let (clause, arguments) = filter.whereClause
        return try ItemRow.fetchAll(
            db.cachedStatement(sql: "SELECT \(selection) FROM item\(clause) ORDER BY year, sequence"),
            arguments: StatementArguments(arguments))
    }

    /// Number of items per state under the filter.
    public static func countsByState(_ db: Database, filter: Filter) throws -> [(state: String, count: Int)] {
        let (clause, arguments) = filter.whereClause
        return try Row.fetchAll(
            db.cachedStatement(sql: "SELECT state, COUNT(*) AS n FROM item\(clause) GROUP BY state ORDER BY state"),
            arguments: StatementArguments(arguments)
        ).map { (state: $0["state"], count: $0["n"]) }
    }

    /// Number of distinct aspects under the filter (the "N aspects" of "N aspects, M items").
    public static func aspectCount(_ db: Database, filter: Filter) throws -> Int {
        let (clause, arguments) = filter.whereClause
        return try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COUNT(DISTINCT aspect) FROM item\(clause)"),
            arguments: StatementArguments(arguments)) ?? 0
    }

    /// Number of items under the filter that are overdue as of `day`.
    public static func overdueCount(_ db: Database, filter: Filter, asOf day: String) throws -> Int {
        let (clause, arguments) = filter.whereClause
        let sql =
            "SELECT COUNT(*) FROM item" + (clause.isEmpty ? " WHERE " : clause + " AND ") + overdueCondition()
        return try Int.fetchOne(
            db.cachedStatement(sql: sql),
            arguments: StatementArguments(arguments + [day as (any DatabaseValueConvertible)?])) ?? 0
    }

    /// One item, or nil.
    public static func find(_ db: Database, id: String) throws -> ItemRow? {
        try ItemRow.fetchOne(db.cachedStatement(sql: "SELECT \(selection) FROM item WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM item WHERE year = ?"), arguments: [year]
        )
            ?? 1
    }
}

/// One department on an item: the lead or a co-department.
public struct ItemDepartmentRow: Sendable, Equatable, FetchableRecord {
    public var department: String
    public var role: String

    public init(row: Row) throws {
        department = row["department"]
        role = row["role"]
    }

    /// The departments of an item, the lead first, then the co-departments in the order assigned.
    public static func of(_ db: Database, itemID: String) throws -> [ItemDepartmentRow] {
        try ItemDepartmentRow.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT department, role FROM item_department WHERE item_id = ?
                    ORDER BY CASE role WHEN 'lead' THEN 0 ELSE 1 END, rowid
                    """),
            arguments: [itemID]
        )
    }
}

/// One answer to an item.
public struct ItemAnswerRow: Sendable, Equatable, FetchableRecord {
    public var position: Int64
    public var department: String
    public var date: String
    public var claimed: String
    public var text: String
    public var reason: String?
    public var dueDate: String?
    public var onTime: Bool

    public init(row: Row) throws {
        position = row["position"]
        department = row["department"]
        date = row["date"]
        claimed = row["claimed"]
        text = row["text"]
        reason = row["reason"]
        dueDate = row["due_date"]
        onTime = row["on_time"]
    }

    /// The answers to an item, oldest first.
    public static func of(_ db: Database, itemID: String) throws -> [ItemAnswerRow] {
        try ItemAnswerRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM item_answer WHERE item_id = ? ORDER BY position"),
            arguments: [itemID])
    }
}

/// One entry of an item's history.
public struct ItemHistoryRow: Sendable, Equatable, FetchableRecord {
    public var position: Int64
    public var type: String
    public var date: String?
    public var recordedAt: String
    public var actor: String
    public var summary: String
    public var data: String

    public init(row: Row) throws {
        position = row["position"]
        type = row["type"]
        date = row["date"]
        recordedAt = row["recorded_at"]
        actor = row["actor"]
        summary = row["summary"]
        data = row["data"]
    }

    /// An item's history, oldest first.
    public static func of(_ db: Database, itemID: String) throws -> [ItemHistoryRow] {
        try ItemHistoryRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM item_history WHERE item_id = ? ORDER BY position"),
            arguments: [itemID])
    }
}
