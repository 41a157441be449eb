import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.inquiries`: a special inquiry's lifecycle (schedule, rounds, conclusion, transfer), the list of
/// inquiries and one inquiry's record.
struct InquiriesInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.inquiries")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Schedule":
                let schedule = Inquiry.Schedule(
                    subject: try parameters.string("subject"),
                    session: Inquiry.Session(
                        term: try parameters.optionalInt("term"), number: try parameters.int("session"),
                        date: try parameters.date("date")),
                    topicID: try parameters.optionalRecordID("topicId", TopicID.self),
                    committee: parameters.optionalString("committee")
                )
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.schedule(schedule, &context)
                }
            case "RecordRound":
                let id = try parameters.recordID("id", InquiryID.self)
                let round = Inquiry.Round(
                    questioner: try parameters.string("questioner"),
                    respondent: try parameters.string("respondent"),
                    department: try parameters.departmentCode("department"),
                    question: try parameters.string("question"),
                    answerSummary: parameters.optionalString("answerSummary")
                )
                let date = try parameters.values["date"].flatMap { $0.isNull ? nil : try parameters.date("date") }
                gateway.submit(call, context: context, responder: responder) { context in
                    var reply = try Self.execute(
                        .recordRound(round, date: date), id: id, &context, departments: [round.department])
                    let number = Int(reply["inquiry"]?["rounds"]?.intValue ?? 0)
                    guard
                        let row = try InquiryRoundRow.find(
                            context.transaction.db, inquiryID: id.rawValue, round: number)
                    else {
                        throw StoreError.corrupt(
                            "the inquiry record has no round \(number) of \(id) after recording it")
                    }
                    reply["round"] = Self.encode(row)
                    return reply
                }
            case "Conclude":
                let id = try parameters.recordID("id", InquiryID.self)
                let command = Inquiry.Command.conclude(
                    date: try parameters.date("date"), note: parameters.optionalString("note"))
                submit(command, id: id, call, context, responder)
            case "Transfer":
                let id = try parameters.recordID("id", InquiryID.self)
                let command = Inquiry.Command.transfer(
                    date: try parameters.date("date"), dueDate: try parameters.date("dueDate"),
                    summary: parameters.optionalString("summary")
                )
                submit(command, id: id, call, context, responder)
            case "List":
                let filter = InquiryRow.Filter(
                    year: try parameters.optionalInt("year"),
                    state: try parameters.optionalChoice("state", InquiryStatus.self)?.rawValue,
                    topicID: try parameters.optionalRecordID("topicId", TopicID.self)?.rawValue
                )
                queries.answer(call, responder) { db in
                    let inquiries = try InquiryRow.list(db, filter: filter)
                    return ["inquiries": .array(inquiries.map(Self.encode)), "total": .int(Int64(inquiries.count))]
                }
            case "Show":
                let id = try parameters.recordID("id", InquiryID.self)
                let asOf = try parameters.values["asOf"].flatMap { $0.isNull ? nil : $0 }.map { _ in
                    try parameters.date("asOf").description
                }
                queries.answer(call, responder) { db in try Self.show(db, id: id, asOf: asOf) }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// The reply of `Show`: the inquiry and its rounds.
    ///
    /// The one place where an inquiry's record is put together: the per-round ratings and the problem list are to
    /// be joined here (and declared on `Round` and in `Show`'s reply).
    static func show(_ db: Database, id: InquiryID, asOf: String?) throws -> [String: JSONValue] {
        guard let inquiry = try InquiryRow.find(db, id: id.rawValue) else { throw notFound(id) }
        let rounds = try InquiryRoundRow.of(db, inquiryID: id.rawValue)
        // The latest closed evaluation of each round wins (a re-vote replaces an earlier one).
        var ratings: [Int: EvaluationRow] = [:]
        for evaluation in try EvaluationRow.fetchAll(
            db,
            sql: """
                SELECT * FROM evaluation WHERE subject_kind = 'inquiry-round' AND inquiry_id = ? AND state = 'closed'
                ORDER BY position
                """, arguments: [id.rawValue])
        {
            if let round = evaluation.round { ratings[round] = evaluation }
        }
        let problems = try ItemRow.board(db, filter: ItemRow.Filter(parent: id.rawValue, kind: "problem"))
        let departments = Set(problems.flatMap { ($0.leadDepartment.map { [$0] } ?? []) + $0.coDepartments })
        return [
            "inquiry": encode(inquiry),
            "rounds": .array(rounds.map { encode($0, rating: ratings[$0.round]) }),
            "problems": .array(problems.map { encodeProblem($0, asOf: asOf) }),
            "problemDepartments": .int(Int64(departments.count)),
        ]
    }

    static func encodeProblem(_ row: ItemRow, asOf: String?) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "aspect": .string(row.aspect), "text": .string(row.text),
            "coDepartments": .array(row.coDepartments.map(JSONValue.string)), "state": .string(row.state),
        ]
        object["lead"] = row.leadDepartment.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["overdue"] = asOf.map { .bool(row.isOverdue(asOf: $0)) }
        return .object(object)
    }

    /// Submits a command on an existing inquiry.
    private func submit(
        _ command: Inquiry.Command, id: InquiryID, _ call: VarlinkCall, _ context: VarlinkCallContext,
        _ responder: VarlinkResponder
    ) {
        gateway.submit(call, context: context, responder: responder) { context in
            try Self.execute(command, id: id, &context)
        }
    }

    /// Schedules a new inquiry under the next free id of its session's year, after checking the linked topic.
    private static func schedule(
        _ schedule: Inquiry.Schedule, _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        if let topicID = schedule.topicID, try context.transaction.events(inStream: topicID.stream.rawValue).isEmpty {
            throw VarlinkError("org.oversight.inquiries.TopicNotFound", parameters: ["id": .string(topicID.rawValue)])
        }
        let year = schedule.session.date.year
        let id = InquiryID(year: year, sequence: try InquiryRow.nextSequence(context.transaction.db, year: year))
        return try execute(.schedule(id: id, schedule), id: id, &context)
    }

    /// Decides an inquiry command against the inquiry's stream and appends the result.
    private static func execute(
        _ command: Inquiry.Command, id: InquiryID, _ context: inout CommandContext, departments: [DepartmentCode] = []
    ) throws -> [String: JSONValue] {
        let stream = Inquiry.stream(id)
        let (state, version) = try context.load(stream, initial: Inquiry.initial) { state, event in
            Inquiry.evolve(state, try event.decoded(as: Inquiry.Event.self))
        }
        if case .absent = state, case .schedule = command {
        } else if case .absent = state {
            throw notFound(id)
        }
        let db = context.transaction.db
        let known = try DepartmentRow.existing(db, codes: departments.map(\.rawValue))
        let decision = DecisionContext(
            today: context.today, knownDepartments: Set(departments.filter { known.contains($0.rawValue) })
        )
        let events = try Inquiry.decide(command, state, decision)
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
        )
        guard let row = try InquiryRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the inquiry record has no row for \(id) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "inquiry": encode(row)]
    }

    static func notFound(_ id: InquiryID) -> VarlinkError {
        VarlinkError("org.oversight.inquiries.InquiryNotFound", parameters: ["id": .string(id.rawValue)])
    }

    static func encode(_ row: InquiryRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "subject": .string(row.subject),
            "sessionNumber": .int(Int64(row.sessionNumber)), "date": .string(row.date),
            "session": .string(row.session), "state": .string(row.state), "rounds": .int(Int64(row.rounds)),
            "position": .int(row.position),
        ]
        object["topicId"] = row.topicID.map(JSONValue.string)
        object["committee"] = row.committee.map(JSONValue.string)
        object["sessionTerm"] = row.sessionTerm.map { .int(Int64($0)) }
        object["concludedOn"] = row.concludedOn.map(JSONValue.string)
        object["conclusionNote"] = row.conclusionNote.map(JSONValue.string)
        object["transferredOn"] = row.transferredOn.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["transferSummary"] = row.transferSummary.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: InquiryRoundRow, rating: EvaluationRow? = nil) -> JSONValue {
        var object: [String: JSONValue] = [
            "round": .int(Int64(row.round)), "date": .string(row.date), "questioner": .string(row.questioner),
            "respondent": .string(row.respondent), "department": .string(row.respondentDepartment),
            "question": .string(row.question), "position": .int(row.position),
        ]
        object["answerSummary"] = row.answerSummary.map(JSONValue.string)
        if let rating {
            var value: [String: JSONValue] = [
                "evaluation": .string(rating.id), "present": .int(Int64(rating.present)),
                "satisfied": .int(Int64(rating.satisfied)),
                "basicallySatisfied": .int(Int64(rating.basicallySatisfied)),
                "dissatisfied": .int(Int64(rating.dissatisfied)), "notVoting": .int(Int64(rating.notVoting)),
            ]
            value["rate"] = rating.rate.map(JSONValue.double)
            value["verdict"] = rating.verdict.map(JSONValue.string)
            object["rating"] = .object(value)
        }
        return .object(object)
    }
}

extension Inquiry.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notScheduled: "notScheduled"
        case .alreadyScheduled: "alreadyScheduled"
        case .alreadyTransferred: "alreadyTransferred"
        case .wrongStatus: "wrongStatus"
        case .noRounds: "noRounds"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .emptyText: "emptyText"
        case .textTooLong: "textTooLong"
        case .unknownDepartment: "unknownDepartment"
        case .invalidSessionNumber: "invalidSessionNumber"
        case .invalidTerm: "invalidTerm"
        case .dateInFuture: "dateInFuture"
        case .dateBeforeSession: "dateBeforeSession"
        case .dateBeforePreviousStep: "dateBeforePreviousStep"
        case .dueDateNotAfterDate: "dueDateNotAfterDate"
        }
    }
}
