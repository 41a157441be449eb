import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.evaluations`: satisfaction evaluations (满意度测评), recorded with a tally or cast ballot by ballot,
/// and the evaluation board.
///
/// Every command checks its subject in the same write transaction: a registered department, a recorded inquiry round
/// (an "InquiryRoundRecorded" event with that "round" on the inquiry's stream), a topic whose handling report is
/// awaiting evaluation, a suggestion with a "SuggestionReplied" event. A failed handling-report evaluation appends the
/// topic's send-back in the same transaction: both are written, or neither.
struct EvaluationsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner
    /// The rule in force (reloadable) for an evaluation recorded or opened without one.
    let defaultRule: @Sendable () -> VerdictRule

    init(
        gateway: CommandGateway, queries: QueryRunner,
        defaultRule: @escaping @Sendable () -> VerdictRule = { .majorityOfEntitled }
    ) throws {
        self.interface = try InterfaceResources.load("org.oversight.evaluations")
        self.gateway = gateway
        self.queries = queries
        self.defaultRule = defaultRule
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Record":
                let tally = Evaluation.Tally(
                    entitled: try parameters.int("entitled"), present: try parameters.int("present"),
                    satisfied: try parameters.int("satisfied"),
                    basicallySatisfied: try parameters.int("basicallySatisfied"),
                    dissatisfied: try parameters.int("dissatisfied"), notVoting: try parameters.int("notVoting")
                )
                let record = Evaluation.Record(
                    subject: try Self.subject(call), date: try parameters.date("date"), tally: tally,
                    rule: try Self.rule(parameters, default: defaultRule()), note: parameters.optionalString("note")
                )
                let dueDate = try parameters.optionalDate("reRectificationDueDate")
                gateway.submit(call, context: context, responder: responder) { context in
                    let id = try Self.nextID(date: record.date, context)
                    return try Self.execute(
                        .record(id: id, record, reRectificationDueDate: dueDate), id: id, &context,
                        newSubject: record.subject, dueDate: dueDate)
                }
            case "Open":
                let opening = Evaluation.Opening(
                    subject: try Self.subject(call), date: try parameters.date("date"),
                    entitled: try parameters.int("entitled"), present: try parameters.int("present"),
                    rule: try Self.rule(parameters, default: defaultRule()), note: parameters.optionalString("note")
                )
                gateway.submit(call, context: context, responder: responder) { context in
                    let id = try Self.nextID(date: opening.date, context)
                    return try Self.execute(.open(id: id, opening), id: id, &context, newSubject: opening.subject)
                }
            case "Cast":
                let id = try parameters.recordID("id", EvaluationID.self)
                let text = try parameters.string("ballot")
                guard let ballot = Evaluation.Ballot(rawValue: text) else {
                    let allowed = Evaluation.Ballot.allCases.map(\.rawValue).joined(separator: ", ")
                    throw parameters.invalid("ballot", "ballot must be one of \(allowed), not \"\(text)\"")
                }
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.execute(.cast(ballot), id: id, &context)
                }
            case "Close":
                let id = try parameters.recordID("id", EvaluationID.self)
                let date = try parameters.date("date")
                let dueDate = try parameters.optionalDate("reRectificationDueDate")
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.execute(
                        .close(date: date, reRectificationDueDate: dueDate), id: id, &context, dueDate: dueDate)
                }
            case "List":
                let filter = EvaluationRow.Filter(
                    year: try parameters.optionalInt("year"),
                    subjectKind: try parameters.optionalChoice("subjectKind", Evaluation.SubjectKind.self)?.rawValue,
                    department: try parameters.optionalDepartmentCode("department")?.rawValue,
                    verdict: try parameters.optionalChoice("verdict", Rating.self)?.rawValue,
                    state: try parameters.optionalChoice("state", Evaluation.Status.self)?.rawValue
                )
                queries.answer(call, responder) { db in
                    let evaluations = try EvaluationRow.board(db, filter: filter)
                    let counts = try EvaluationRow.countsByVerdict(db, filter: filter)
                    return [
                        "evaluations": .array(evaluations.map(Self.encode)),
                        "counts": .array(
                            counts.map { ["verdict": .string($0.verdict), "count": .int(Int64($0.count))] }),
                        "total": .int(Int64(evaluations.count)),
                    ]
                }
            case "Show":
                let id = try parameters.recordID("id", EvaluationID.self)
                queries.answer(call, responder) { db in
                    guard let row = try EvaluationRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    return ["evaluation": Self.encode(row)]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    // MARK: Commands

    /// The next free id of the year of `date`.
    private static func nextID(date: LocalDate, _ context: CommandContext) throws -> EvaluationID {
        EvaluationID(
            year: date.year, sequence: try EvaluationRow.nextSequence(context.transaction.db, year: date.year))
    }

    /// Decides an evaluation command against the evaluation's stream, checks a new evaluation's subject, appends the
    /// result, and sends a topic back after a failed handling-report evaluation.
    ///
    /// - Parameters:
    ///   - newSubject: The subject of a new evaluation (record, open), checked against the log.
    ///   - dueDate: The re-rectification due date the clerk gave, if any.
    private static func execute(
        _ command: Evaluation.Command, id: EvaluationID, _ context: inout CommandContext,
        newSubject: Evaluation.Subject? = nil, dueDate: LocalDate? = nil
    ) throws -> [String: JSONValue] {
        let stream = Evaluation.stream(id)
        let (state, version) = try context.load(stream, initial: Evaluation.initial) { state, event in
            Evaluation.evolve(
                state, try event.decoded(as: Evaluation.Event.self))
        }
        if case .absent = state, newSubject == nil { throw notFound(id) }
        var command = command
        var newSubject = newSubject
        // The subject is read from the log once, before deciding; a round's evaluation counts for the department
        // that answered it, filled in when the clerk left it out.
        let found = try newSubject.map { try finding($0, context) }
        if case .inquiryRound(let inquiry, let round, nil)? = newSubject,
            case .inquiry(_, _, let departments, _)? = found, let answered = departments[round]
        {
            let filled = Evaluation.Subject.inquiryRound(inquiry, round: round, department: answered)
            newSubject = filled
            switch command {
            case .record(let id, var record, let due):
                record.subject = filled
                command = .record(id: id, record, reRectificationDueDate: due)
            case .open(let id, var opening):
                opening.subject = filled
                command = .open(id: id, opening)
            case .cast, .close:
                break
            }
        }
        let db = context.transaction.db
        let codes = newSubject?.department.map { [$0] } ?? []
        let known = try DepartmentRow.existing(db, codes: codes.map(\.rawValue))
        let decision = DecisionContext(
            today: context.today, knownDepartments: Set(codes.filter { known.contains($0.rawValue) }))
        let events = try Evaluation.decide(command, state, decision)
        if let subject = newSubject, let found, case .absent = state {
            let date: LocalDate
            switch command {
            case .record(_, let record, _): date = record.date
            case .open(_, let opening): date = opening.date
            case .cast, .close: date = context.today
            }
            try Evaluation.checkSubject(subject, date: date, found: found)
        }
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version))
        var reply: [String: JSONValue] = [:]
        if let event = events.first,
            let consequence = Evaluation.topicConsequence(of: event, after: state, reRectificationDueDate: dueDate)
        {
            reply["sentBack"] = try sendBack(consequence.topic, consequence.command, &context)
        }
        guard let row = try EvaluationRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the evaluation board has no row for \(id) after its event was recorded")
        }
        reply["position"] = .int(context.appended.last?.position ?? recorded.last?.position ?? row.position)
        reply["evaluation"] = encode(row)
        return reply
    }

    /// What the log holds about a subject, read inside the command's transaction.
    private static func finding(
        _ subject: Evaluation.Subject, _ context: CommandContext
    ) throws -> Evaluation.SubjectFinding {
        switch subject {
        case .department:
            return .department
        case .inquiryRound(let inquiry, _, _):
            let events = try context.transaction.events(inStream: inquiry.stream.rawValue)
            var departments: [Int: DepartmentCode] = [:]
            for event in events where event.type == "InquiryRoundRecorded" {
                let decoded = try event.decoded(as: Inquiry.Event.self)
                if case .roundRecorded(let round, _, let detail) = decoded { departments[round] = detail.department }
            }
            let evaluated = try Int.fetchAll(
                context.transaction.db,
                sql: "SELECT round FROM evaluation WHERE subject_kind = 'inquiry-round' AND inquiry_id = ?",
                arguments: [inquiry.rawValue])
            return .inquiry(
                exists: !events.isEmpty, rounds: Set(departments.keys), departments: departments,
                evaluated: Set(evaluated))
        case .handlingReport(let topic):
            // Evaluated already when an evaluation of this topic came after its latest handling report.
            let reportedAt =
                try context.transaction.events(inStream: topic.stream.rawValue)
                .last { $0.type == "TopicHandlingReported" }?.position ?? 0
            let later =
                try Int.fetchOne(
                    context.transaction.db,
                    sql: """
                        SELECT COUNT(*) FROM evaluation WHERE subject_kind = 'handling-report' AND topic_id = ?
                        AND position > ?
                        """, arguments: [topic.rawValue, reportedAt]) ?? 0
            return .topic(try loadTopic(topic, context).state, alreadyEvaluated: later > 0)
        case .suggestionReply(let suggestion, _):
            let events = try context.transaction.events(inStream: suggestion.stream.rawValue)
            return .suggestion(exists: !events.isEmpty, replied: events.contains { $0.type == "SuggestionReplied" })
        }
    }

    /// A topic's state and stream version.
    private static func loadTopic(
        _ id: TopicID, _ context: CommandContext
    ) throws -> (state: Topic.State, version: Int64) {
        try context.load(Topic.stream(id), initial: Topic.initial) { state, event in
            Topic.evolve(state, try event.decoded(as: Topic.Event.self))
        }
    }

    /// Appends a topic's send-back in the command's transaction; returns the `SentBack` reply value.
    private static func sendBack(
        _ topic: TopicID, _ command: Topic.Command, _ context: inout CommandContext
    ) throws -> JSONValue {
        let (state, version) = try loadTopic(topic, context)
        let events = try Topic.decide(command, state, DecisionContext(today: context.today))
        try context.append(events, to: Topic.stream(topic), expectedVersion: .exactly(version))
        guard let row = try TopicRow.find(context.transaction.db, id: topic.rawValue), let dueDate = row.dueDate else {
            throw StoreError.corrupt("the topic board has no due date for \(topic) after it was sent back")
        }
        return ["topic": .string(topic.rawValue), "round": .int(Int64(row.round)), "dueDate": .string(dueDate)]
    }

    // MARK: Parameters

    /// Reads the `subject` struct.
    private static func subject(_ call: VarlinkCall) throws -> Evaluation.Subject {
        let parameters = Parameters(call.parameters["subject"]?.objectValue ?? [:], interface: call.interface)
        let kind = try parameters.choice("kind", Evaluation.SubjectKind.self)
        let allowed: Set<String> =
            switch kind {
            case .department: ["kind", "department"]
            case .inquiryRound: ["kind", "inquiry", "round", "department"]
            case .handlingReport: ["kind", "topic"]
            case .suggestionReply: ["kind", "suggestion", "department"]
            }
        if let extra = parameters.values.filter({ !$0.value.isNull }).keys.sorted().first(where: {
            !allowed.contains($0)
        }) {
            throw parameters.invalid(extra, "a \(kind.rawValue) subject has no \(extra)")
        }
        switch kind {
        case .department:
            return .department(try parameters.departmentCode("department"))
        case .inquiryRound:
            return .inquiryRound(
                try parameters.recordID("inquiry", InquiryID.self), round: try parameters.int("round"),
                department: try parameters.optionalDepartmentCode("department"))
        case .handlingReport:
            return .handlingReport(try parameters.recordID("topic", TopicID.self))
        case .suggestionReply:
            return .suggestionReply(
                try parameters.recordID("suggestion", SuggestionID.self),
                department: try parameters.optionalDepartmentCode("department"))
        }
    }

    /// The optional `rule`; without one, `defaultRule` (`evaluation-rule` of the configuration, by default the
    /// majority of all members entitled).
    private static func rule(_ parameters: Parameters, default defaultRule: VerdictRule) throws -> VerdictRule {
        guard let text = parameters.optionalString("rule") else { return defaultRule }
        guard let rule = VerdictRule(text) else {
            throw parameters.invalid(
                "rule",
                "rule must be entitled-majority, present-majority or <base>><threshold> with base entitled or "
                    + "present and a threshold strictly between 0 and 1 (such as present>0.5 or entitled>2/3), "
                    + "not \"\(text)\"")
        }
        return rule
    }

    // MARK: Replies

    static func notFound(_ id: EvaluationID) -> VarlinkError {
        VarlinkError(
            "org.oversight.evaluations.EvaluationNotFound",
            parameters: [
                "id": .string(id.rawValue),
                "message": .string("No evaluation has the id \(id); see `oversightctl evaluation list`."),
            ])
    }

    static func encode(_ row: EvaluationRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "subjectKind": .string(row.subjectKind),
            "subject": .string(row.subject), "date": .string(row.date), "entitled": .int(Int64(row.entitled)),
            "present": .int(Int64(row.present)), "satisfied": .int(Int64(row.satisfied)),
            "basicallySatisfied": .int(Int64(row.basicallySatisfied)), "dissatisfied": .int(Int64(row.dissatisfied)),
            "notVoting": .int(Int64(row.notVoting)), "cast": .int(Int64(row.cast)), "rule": .string(row.rule),
            "quorate": .bool(row.quorate), "state": .string(row.state), "mode": .string(row.mode),
            "position": .int(row.position),
        ]
        object["department"] = row.department.map(JSONValue.string)
        object["inquiry"] = row.inquiryID.map(JSONValue.string)
        object["round"] = row.round.map { .int(Int64($0)) }
        object["topic"] = row.topicID.map(JSONValue.string)
        object["suggestion"] = row.suggestionID.map(JSONValue.string)
        object["verdict"] = row.verdict.map(JSONValue.string)
        object["rate"] = row.rate.map(JSONValue.double)
        object["closedOn"] = row.closedOn.map(JSONValue.string)
        object["note"] = row.note.map(JSONValue.string)
        return .object(object)
    }
}

extension Parameters {
    /// An optional calendar day.
    fileprivate func optionalDate(_ name: String) throws -> LocalDate? {
        guard let value = values[name], !value.isNull else { return nil }
        return try date(name)
    }

    /// An optional department code.
    fileprivate func optionalDepartmentCode(_ name: String) throws -> DepartmentCode? {
        guard let value = values[name], !value.isNull else { return nil }
        return try departmentCode(name)
    }
}
