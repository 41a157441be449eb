import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.topics`: a supervision topic's lifecycle, the topic board and a topic's timeline.
struct TopicsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.topics")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Plan":
                let plan = try Topic.Plan(
                    year: parameters.int("year"),
                    kind: parameters.choice("kind", TopicKind.self),
                    title: parameters.string("title"),
                    committee: parameters.optionalString("committee"),
                    leader: parameters.optionalString("leader"),
                    departments: parameters.departmentCodes("departments"),
                    theme: parameters.optionalString("theme")
                )
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.plan(plan, &context)
                }
            case "RecordActivity":
                let id = try parameters.topicID("id")
                let activity = try Self.activity(
                    call.parameters["activity"]?.objectValue ?? [:], interface: call.interface)
                submit(.recordActivity(activity), id: id, call, context, responder)
            case "Deliberate":
                let id = try parameters.topicID("id")
                let session = Topic.Session(
                    term: try parameters.optionalInt("term"), number: try parameters.int("session"),
                    date: try parameters.date("date")
                )
                submit(.deliberate(session), id: id, call, context, responder)
            case "TransferOpinions":
                let id = try parameters.topicID("id")
                let command = Topic.Command.transferOpinions(
                    date: try parameters.date("date"), dueDate: try parameters.date("dueDate"),
                    summary: parameters.optionalString("summary")
                )
                submit(command, id: id, call, context, responder)
            case "ReceiveHandlingReport":
                let id = try parameters.topicID("id")
                let command = Topic.Command.receiveHandlingReport(
                    date: try parameters.date("date"), summary: parameters.optionalString("summary")
                )
                submit(command, id: id, call, context, responder)
            case "SendBack":
                let id = try parameters.topicID("id")
                let command = Topic.Command.sendBack(
                    date: try parameters.date("date"), dueDate: try parameters.date("dueDate"),
                    reason: try parameters.string("reason")
                )
                submit(command, id: id, call, context, responder)
            case "Close":
                let id = try parameters.topicID("id")
                let command = Topic.Command.close(
                    date: try parameters.date("date"), note: parameters.optionalString("note"))
                submit(command, id: id, call, context, responder)
            case "List":
                let filter = TopicRow.Filter(
                    year: try parameters.optionalInt("year"),
                    kind: try parameters.optionalChoice("kind", TopicKind.self)?.rawValue,
                    status: try parameters.optionalChoice("status", TopicStatus.self)?.rawValue
                )
                queries.answer(call, responder) { db in
                    let topics = try TopicRow.board(db, filter: filter)
                    let counts = try TopicRow.countsByStatus(db, filter: filter)
                    return [
                        "topics": .array(topics.map(Self.encode)),
                        "counts": .array(
                            counts.map { ["status": .string($0.status), "count": .int(Int64($0.count))] }),
                        "total": .int(Int64(topics.count)),
                    ]
                }
            case "Show":
                let id = try parameters.topicID("id")
                queries.answer(call, responder) { db in
                    guard let topic = try TopicRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    let timeline = try TimelineRow.of(db, topicID: id.rawValue)
                    return ["topic": Self.encode(topic), "timeline": .array(try timeline.map(Self.encode))]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Submits a command on an existing topic.
    private func submit(
        _ command: Topic.Command, id: TopicID, _ call: VarlinkCall, _ context: VarlinkCallContext,
        _ responder: VarlinkResponder
    ) {
        gateway.submit(call, context: context, responder: responder) { context in
            try Self.execute(command, id: id, &context)
        }
    }

    /// Plans a new topic under the next free id of its year.
    private static func plan(_ plan: Topic.Plan, _ context: inout CommandContext) throws -> [String: JSONValue] {
        let db = context.transaction.db
        let id = TopicID(year: plan.year, sequence: try TopicRow.nextSequence(db, year: plan.year))
        return try execute(.plan(id: id, plan), id: id, &context, departments: plan.departments)
    }

    /// Decides a topic command against the topic's stream and appends the result.
    private static func execute(
        _ command: Topic.Command, id: TopicID, _ context: inout CommandContext, departments: [DepartmentCode] = []
    ) throws -> [String: JSONValue] {
        let stream = Topic.stream(id)
        let (state, version) = try context.load(stream, initial: Topic.initial) { state, event in
            Topic.evolve(state, try event.decoded(as: Topic.Event.self))
        }
        if case .absent = state, case .plan = command {
        } else if case .absent = state {
            throw notFound(id)
        }
        let db = context.transaction.db
        let known = try DepartmentRow.existing(db, codes: departments.map(\.rawValue))
        let decision = DecisionContext(
            today: context.today, knownDepartments: Set(departments.filter { known.contains($0.rawValue) })
        )
        let events = try Topic.decide(command, state, decision)
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
        )
        guard let row = try TopicRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the topic board has no row for \(id) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "topic": encode(row)]
    }

    /// Reads the `activity` struct of RecordActivity.
    private static func activity(_ values: [String: JSONValue], interface: String) throws -> Topic.Activity {
        let parameters = Parameters(values, interface: interface)
        return Topic.Activity(
            kind: try parameters.choice("kind", ActivityKind.self),
            date: try parameters.date("date"),
            places: parameters.stringArray("places"),
            units: parameters.stringArray("units"),
            peopleMet: try parameters.optionalInt("peopleMet"),
            summary: parameters.optionalString("summary")
        )
    }

    static func notFound(_ id: TopicID) -> VarlinkError {
        VarlinkError("org.oversight.topics.TopicNotFound", parameters: ["id": .string(id.rawValue)])
    }

    static func encode(_ row: TopicRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "kind": .string(row.kind),
            "title": .string(row.title), "departments": .array(row.departments.map(JSONValue.string)),
            "status": .string(row.status), "activities": .int(Int64(row.activities)), "round": .int(Int64(row.round)),
            "position": .int(row.position),
        ]
        object["committee"] = row.committee.map(JSONValue.string)
        object["leader"] = row.leader.map(JSONValue.string)
        object["theme"] = row.theme.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["session"] = row.session.map(JSONValue.string)
        object["lastActivity"] = row.lastActivity.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: TimelineRow) throws -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(row.position), "type": .string(row.type), "recordedAt": .string(row.recordedAt),
            "actor": .string(row.actor), "summary": .string(row.summary), "data": try JSONValue.parse(row.data),
        ]
        object["date"] = row.date.map(JSONValue.string)
        return .object(object)
    }
}
