import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.items`: tracked items from adding to accepted implementation, the item board and an item's
/// history.
struct ItemsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.items")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Add":
                let draft = Item.Draft(
                    parent: try parameters.itemParent("parent"),
                    kind: try parameters.choice("kind", ItemKind.self),
                    aspect: try parameters.string("aspect"),
                    text: try parameters.string("text"),
                    lead: try Self.optionalDepartment(parameters, "lead"),
                    coDepartments: try parameters.departmentCodes("coDepartments"),
                    dueDate: try Self.optionalDate(parameters, "dueDate"),
                    createdOn: try parameters.date("date")
                )
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.add(draft, &context)
                }
            case "Assign":
                let id = try parameters.recordID("id", ItemID.self)
                let command = Item.Command.assign(
                    date: try parameters.date("date"), lead: try parameters.departmentCode("lead"),
                    coDepartments: try parameters.departmentCodes("coDepartments"),
                    dueDate: try Self.optionalDate(parameters, "dueDate"))
                submit(command, id: id, call, context, responder)
            case "Answer":
                let id = try parameters.recordID("id", ItemID.self)
                let answer = Item.Answer(
                    department: try parameters.departmentCode("department"), date: try parameters.date("date"),
                    text: try parameters.string("text"), claimed: try parameters.choice("claimed", ClaimedStatus.self),
                    reason: parameters.optionalString("reason"))
                submit(.answer(answer), id: id, call, context, responder)
            case "Accept":
                let id = try parameters.recordID("id", ItemID.self)
                let command = Item.Command.accept(
                    date: try parameters.date("date"), note: parameters.optionalString("note"))
                submit(command, id: id, call, context, responder)
            case "Reopen":
                let id = try parameters.recordID("id", ItemID.self)
                let command = Item.Command.reopen(
                    date: try parameters.date("date"), reason: try parameters.string("reason"))
                submit(command, id: id, call, context, responder)
            case "ChangeDueDate":
                let id = try parameters.recordID("id", ItemID.self)
                let command = Item.Command.changeDueDate(
                    date: try parameters.date("date"), dueDate: try parameters.date("dueDate"),
                    reason: try parameters.string("reason"), approver: try parameters.string("approver"))
                submit(command, id: id, call, context, responder)
            case "Escalate":
                let id = try parameters.recordID("id", ItemID.self)
                let escalation = Item.Escalation(
                    step: try parameters.choice("step", EscalationStep.self), date: try parameters.date("date"),
                    dueDate: try Self.optionalDate(parameters, "dueDate"), leader: parameters.optionalString("leader"),
                    note: parameters.optionalString("note"))
                submit(.escalate(escalation), id: id, call, context, responder)
            case "List":
                let filter = try Self.filter(parameters)
                queries.answer(call, responder) { db in
                    // A filter on a department nobody registered is a typo, not an empty board.
                    if let department = filter.department, try DepartmentRow.existing(db, codes: [department]).isEmpty {
                        throw parameters.invalid(
                            "department", "no department has the code \(department); see `oversightctl department list`"
                        )
                    }
                    let items = try ItemRow.board(db, filter: filter)
                    let counts = try ItemRow.countsByState(db, filter: filter)
                    var reply: [String: JSONValue] = [
                        "items": .array(items.map { Self.encode($0, asOf: filter.asOf) }),
                        "counts": .array(counts.map { ["state": .string($0.state), "count": .int(Int64($0.count))] }),
                        "total": .int(Int64(items.count)),
                        "aspects": .int(Int64(try ItemRow.aspectCount(db, filter: filter))),
                    ]
                    if let asOf = filter.asOf {
                        reply["asOf"] = .string(asOf)
                        reply["overdue"] = .int(Int64(try ItemRow.overdueCount(db, filter: filter, asOf: asOf)))
                    }
                    return reply
                }
            case "Show":
                let id = try parameters.recordID("id", ItemID.self)
                let asOf = try Self.optionalDate(parameters, "asOf")?.description
                queries.answer(call, responder) { db in
                    guard let item = try ItemRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    return [
                        "item": Self.encode(item, asOf: asOf),
                        "departments": .array(
                            try ItemDepartmentRow.of(db, itemID: id.rawValue).map {
                                ["department": .string($0.department), "role": .string($0.role)]
                            }),
                        "answers": .array(try ItemAnswerRow.of(db, itemID: id.rawValue).map(Self.encode)),
                        "history": .array(try ItemHistoryRow.of(db, itemID: id.rawValue).map(Self.encode)),
                    ]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Submits a command on an existing item.
    private func submit(
        _ command: Item.Command, id: ItemID, _ call: VarlinkCall, _ context: VarlinkCallContext,
        _ responder: VarlinkResponder
    ) {
        gateway.submit(call, context: context, responder: responder) { context in
            try Self.execute(command, id: id, &context)
        }
    }

    /// Adds a new item under the next free id of its year, after checking that its parent exists.
    private static func add(_ draft: Item.Draft, _ context: inout CommandContext) throws -> [String: JSONValue] {
        guard try context.transaction.streamVersion(draft.parent.stream.rawValue) > 0 else {
            throw parentNotFound(draft.parent)
        }
        let year = draft.createdOn.year
        let id = ItemID(year: year, sequence: try ItemRow.nextSequence(context.transaction.db, year: year))
        return try execute(.add(id: id, draft), id: id, &context)
    }

    /// Decides an item command against the item's stream and appends the result.
    private static func execute(
        _ command: Item.Command, id: ItemID, _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        let stream = Item.stream(id)
        let (state, version) = try context.load(stream, initial: Item.initial) { state, event in
            Item.evolve(state, try event.decoded(as: Item.Event.self))
        }
        if case .absent = state, case .add = command {
        } else if case .absent = state {
            throw notFound(id)
        }
        let db = context.transaction.db
        let named = departments(named: command)
        let known = try DepartmentRow.existing(db, codes: named.map(\.rawValue))
        let decision = DecisionContext(
            today: context.today, knownDepartments: Set(named.filter { known.contains($0.rawValue) }))
        let events = try Item.decide(command, state, decision)
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version))
        guard let row = try ItemRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the item board has no row for \(id) after its event was recorded")
        }
        var reply: [String: JSONValue] = [
            "position": .int(recorded.last?.position ?? row.position), "item": encode(row, asOf: nil),
        ]
        if case .answer = command, let position = recorded.last?.position,
            let answer = try ItemAnswerRow.of(db, itemID: id.rawValue).last(where: { $0.position == position })
        {
            reply["onTime"] = .bool(answer.onTime)
        }
        return reply
    }

    /// The departments a command names, whose registration the decider checks.
    private static func departments(named command: Item.Command) -> [DepartmentCode] {
        switch command {
        case .add(_, let draft): (draft.lead.map { [$0] } ?? []) + draft.coDepartments
        case .assign(_, let lead, let coDepartments, _): [lead] + coDepartments
        case .answer, .accept, .reopen, .changeDueDate, .escalate: []
        }
    }

    /// Reads the List filters; `overdue` needs `asOf`.
    private static func filter(_ parameters: Parameters) throws -> ItemRow.Filter {
        let overdue = parameters.values["overdue"]?.boolValue
        let asOf = try optionalDate(parameters, "asOf")
        if overdue != nil, asOf == nil {
            throw parameters.invalid("asOf", "asOf (the day overdue is judged on, YYYY-MM-DD) is required with overdue")
        }
        var parent: String?
        if let value = parameters.values["parent"], !value.isNull {
            parent = try parameters.itemParent("parent").rawValue
        }
        return ItemRow.Filter(
            department: try optionalDepartment(parameters, "department")?.rawValue,
            state: try parameters.optionalChoice("state", ItemState.self)?.rawValue,
            overdue: overdue,
            asOf: asOf?.description,
            parent: parent,
            aspect: parameters.optionalString("aspect"),
            year: try parameters.optionalInt("year"),
            kind: try parameters.optionalChoice("kind", ItemKind.self)?.rawValue
        )
    }

    /// An optional calendar day; absent or null is nil.
    private static func optionalDate(_ parameters: Parameters, _ name: String) throws -> LocalDate? {
        guard let value = parameters.values[name], !value.isNull else { return nil }
        return try parameters.date(name)
    }

    /// An optional department code; absent or null is nil.
    private static func optionalDepartment(_ parameters: Parameters, _ name: String) throws -> DepartmentCode? {
        guard let value = parameters.values[name], !value.isNull else { return nil }
        return try parameters.departmentCode(name)
    }

    static func notFound(_ id: ItemID) -> VarlinkError {
        VarlinkError(
            "org.oversight.items.ItemNotFound",
            parameters: [
                "id": .string(id.rawValue),
                "message": .string("No item has the id \(id); see `oversightctl item list`."),
            ])
    }

    static func parentNotFound(_ parent: ItemParent) -> VarlinkError {
        VarlinkError(
            "org.oversight.items.ParentNotFound",
            parameters: [
                "parent": .string(parent.rawValue),
                "message": .string(
                    "No \(parent.kind) has the id \(parent); record the \(parent.kind) first or correct the parent."),
            ])
    }

    static func encode(_ row: ItemRow, asOf: String?) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "parent": .string(row.parent),
            "parentKind": .string(row.parentKind), "kind": .string(row.kind), "aspect": .string(row.aspect),
            "text": .string(row.text), "coDepartments": .array(row.coDepartments.map(JSONValue.string)),
            "state": .string(row.state), "createdOn": .string(row.createdOn), "answers": .int(Int64(row.answerCount)),
            "reopenCount": .int(Int64(row.reopenCount)), "dueDateChanges": .int(Int64(row.dueDateChanges)),
            "position": .int(row.position),
        ]
        object["lead"] = row.leadDepartment.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["assignedOn"] = row.assignedOn.map(JSONValue.string)
        object["answeredOn"] = row.answeredOn.map(JSONValue.string)
        object["acceptedOn"] = row.acceptedOn.map(JSONValue.string)
        object["escalation"] = row.escalation.map(JSONValue.string)
        object["escalatedOn"] = row.escalatedOn.map(JSONValue.string)
        object["overdue"] = asOf.map { .bool(row.isOverdue(asOf: $0)) }
        return .object(object)
    }

    static func encode(_ row: ItemAnswerRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(row.position), "department": .string(row.department), "date": .string(row.date),
            "claimed": .string(row.claimed), "text": .string(row.text), "onTime": .bool(row.onTime),
        ]
        object["reason"] = row.reason.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: ItemHistoryRow) throws -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(row.position), "type": .string(row.type), "recordedAt": .string(row.recordedAt),
            "actor": .string(row.actor), "summary": .string(row.summary), "data": try JSONValue.parse(row.data),
        ]
        object["date"] = row.date.map(JSONValue.string)
        return .object(object)
    }
}
