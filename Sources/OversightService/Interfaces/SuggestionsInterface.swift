import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.suggestions`: deputies' suggestions through their lifecycle, the suggestion board, and the
/// versions of the reply category lists.
///
/// Checks that need more than the suggestion's own stream happen here, inside the command's write transaction:
/// the number is unique within its session (the `suggestion` table), the units are registered departments, and the
/// category list version in force on the reply's day is loaded from its stream ("categories-<name>").
struct SuggestionsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner
    /// The office's working days in force (reloadable), for the 7-working-day return clock.
    let currentCalendar: @Sendable () -> WorkingCalendar

    init(
        gateway: CommandGateway, queries: QueryRunner,
        calendar: @escaping @Sendable () -> WorkingCalendar = { .mondayToFriday }
    ) throws {
        self.interface = try InterfaceResources.load("org.oversight.suggestions")
        self.gateway = gateway
        self.queries = queries
        self.currentCalendar = calendar
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        let calendar = currentCalendar()
        do {
            switch call.methodName {
            case "Submit":
                let submission = Suggestion.Submission(
                    session: try parameters.string("session"), number: try parameters.string("number"),
                    title: try parameters.string("title"), leadDeputy: try parameters.string("leadDeputy"),
                    coSigners: parameters.stringArray("coSigners"), text: parameters.optionalString("text"),
                    date: try parameters.date("date"))
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.submit(submission, &context, calendar: calendar)
                }
            case "Assign":
                let id = try parameters.recordID("id", SuggestionID.self)
                let command = Suggestion.Command.assign(
                    date: try parameters.date("date"), leadUnit: try parameters.departmentCode("leadUnit"),
                    coUnits: try parameters.departmentCodes("coUnits"),
                    complex: parameters.values["complex"]?.boolValue ?? false)
                submit(command, id: id, call, context, responder)
            case "MarkKey":
                let id = try parameters.recordID("id", SuggestionID.self)
                let command = Suggestion.Command.markKey(
                    date: try parameters.date("date"), leader: try parameters.string("leader"))
                submit(command, id: id, call, context, responder)
            case "Return":
                let id = try parameters.recordID("id", SuggestionID.self)
                let command = Suggestion.Command.returnAssignment(
                    date: try parameters.date("date"), unit: try parameters.departmentCode("unit"),
                    reason: try parameters.string("reason"))
                submit(command, id: id, call, context, responder)
            case "Reply":
                let id = try parameters.recordID("id", SuggestionID.self)
                let date = try parameters.date("date")
                let category = try parameters.string("category")
                let text = try parameters.string("text")
                let reason = parameters.optionalString("reason")
                let listName = try Self.listName(parameters, "categoryList") ?? SuggestionCategoryList.nationalName
                gateway.submit(call, context: context, responder: responder) { context in
                    let list = try Self.listInForce(listName, on: date, &context)
                    return try Self.execute(
                        .reply(date: date, category: category, text: text, reason: reason, list: list), id: id,
                        &context, calendar: calendar)
                }
            case "Rate":
                let id = try parameters.recordID("id", SuggestionID.self)
                let command = Suggestion.Command.rate(
                    date: try parameters.date("date"), rating: try parameters.choice("rating", Rating.self),
                    comment: parameters.optionalString("comment"))
                submit(command, id: id, call, context, responder)
            case "Close":
                let id = try parameters.recordID("id", SuggestionID.self)
                let command = Suggestion.Command.close(
                    date: try parameters.date("date"), note: parameters.optionalString("note"))
                submit(command, id: id, call, context, responder)
            case "DefineCategories":
                guard let name = try Self.listName(parameters, "name") else {
                    throw parameters.invalid("name", "name is required")
                }
                let effectiveFrom = try parameters.values["effectiveFrom"].flatMap { $0.isNull ? nil : $0 }
                    .map { _ in try parameters.date("effectiveFrom") }
                let categories = try (call.parameters["categories"]?.arrayValue ?? []).map { value in
                    let fields = Parameters(value.objectValue ?? [:], interface: call.interface)
                    return SuggestionCategoryList.Category(
                        letter: try fields.string("letter"), meaning: try fields.string("meaning"),
                        reasonRequired: fields.values["reasonRequired"]?.boolValue ?? false)
                }
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.define(name, effectiveFrom: effectiveFrom ?? context.today, categories, &context)
                }
            case "ShowCategories":
                let name = try Self.listName(parameters, "name") ?? SuggestionCategoryList.nationalName
                queries.answer(call, responder) { db in
                    ["lists": .array(try Self.versions(of: name, db).map { Self.encode($0.list, builtIn: $0.builtIn) })]
                }
            case "List":
                let filter = SuggestionRow.Filter(
                    session: parameters.optionalString("session"),
                    state: try parameters.optionalChoice("state", SuggestionStatus.self)?.rawValue,
                    category: parameters.optionalString("category"),
                    rating: try parameters.optionalChoice("rating", Rating.self)?.rawValue,
                    unit: try parameters.values["unit"].flatMap { $0.isNull ? nil : $0 }
                        .map { _ in try parameters.departmentCode("unit").rawValue },
                    key: parameters.values["key"]?.boolValue,
                    year: try parameters.optionalInt("year")
                )
                queries.answer(call, responder) { db in
                    let suggestions = try SuggestionRow.board(db, filter: filter)
                    func counts(_ column: SuggestionRow.CountColumn) throws -> JSONValue {
                        .array(
                            try SuggestionRow.counts(db, by: column, filter: filter).map {
                                ["value": .string($0.value), "count": .int(Int64($0.count))]
                            })
                    }
                    let byState = try counts(.state)
                    let byCategory = try counts(.category)
                    let byRating = try counts(.rating)
                    return [
                        "suggestions": .array(suggestions.map(Self.encode)), "byState": byState,
                        "byCategory": byCategory, "byRating": byRating, "total": .int(Int64(suggestions.count)),
                    ]
                }
            case "Show":
                let id = try parameters.recordID("id", SuggestionID.self)
                queries.answer(call, responder) { db in
                    guard let row = try SuggestionRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    return [
                        "suggestion": Self.encode(row),
                        "replies": .array(try SuggestionReplyRow.of(db, suggestionID: id.rawValue).map(Self.encode)),
                        "history": .array(
                            try SuggestionHistoryRow.of(db, suggestionID: id.rawValue).map(Self.encode)),
                    ]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Submits a command on an existing suggestion.
    private func submit(
        _ command: Suggestion.Command, id: SuggestionID, _ call: VarlinkCall, _ context: VarlinkCallContext,
        _ responder: VarlinkResponder
    ) {
        let calendar = currentCalendar()
        gateway.submit(call, context: context, responder: responder) { context in
            try Self.execute(command, id: id, &context, calendar: calendar)
        }
    }

    /// Records a new suggestion under the next free id of its year, refusing a number already used in the session.
    private static func submit(
        _ submission: Suggestion.Submission, _ context: inout CommandContext, calendar: WorkingCalendar
    ) throws -> [String: JSONValue] {
        let db = context.transaction.db
        let year = submission.date.year
        let id = SuggestionID(year: year, sequence: try SuggestionRow.nextSequence(db, year: year))
        return try execute(.submit(id: id, submission), id: id, &context, calendar: calendar) { events in
            for case .submitted(_, let cleaned) in events {
                if let existing = try SuggestionRow.find(db, session: cleaned.session, number: cleaned.number),
                    let existingID = SuggestionID(existing.id)
                {
                    throw Suggestion.Error.duplicateNumber(
                        session: cleaned.session, number: cleaned.number, existing: existingID)
                }
            }
        }
    }

    /// Decides a suggestion command against the suggestion's stream and appends the result.
    ///
    /// `check` sees the decided events before they are appended and may refuse them.
    private static func execute(
        _ command: Suggestion.Command, id: SuggestionID, _ context: inout CommandContext, calendar: WorkingCalendar,
        check: ([Suggestion.Event]) throws -> Void = { _ in }
    ) throws -> [String: JSONValue] {
        let stream = id.stream
        let (state, version) = try context.load(stream, initial: Suggestion.initial) { state, event in
            Suggestion.evolve(state, try event.decoded(as: Suggestion.Event.self))
        }
        if case .absent = state, case .submit = command {
        } else if case .absent = state {
            throw notFound(id)
        }
        let db = context.transaction.db
        var departments: [DepartmentCode] = []
        if case .assign(_, let lead, let co, _) = command { departments = [lead] + co }
        let known = try DepartmentRow.existing(db, codes: departments.map(\.rawValue))
        let decision = DecisionContext(
            today: context.today, knownDepartments: Set(departments.filter { known.contains($0.rawValue) }),
            calendar: calendar)
        let events = try Suggestion.decide(command, state, decision)
        try check(events)
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version))
        guard let row = try SuggestionRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the suggestion board has no row for \(id) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "suggestion": encode(row)]
    }

    /// The version of a category list in force on `date`, loaded from the list's stream inside the transaction.
    private static func listInForce(
        _ name: SuggestionCategoryList.Name, on date: LocalDate, _ context: inout CommandContext
    ) throws -> SuggestionCategoryList {
        let (defined, _) = try loadList(name, context)
        guard let list = SuggestionCategories.inForce(name, on: date, defined: defined) else {
            throw Suggestion.Error.noCategoryListInForce(name: name.rawValue, date: date)
        }
        return list
    }

    private static func loadList(
        _ name: SuggestionCategoryList.Name, _ context: CommandContext
    ) throws -> (state: SuggestionCategories.State, version: Int64) {
        try context.load(SuggestionCategories.stream(name), initial: SuggestionCategories.initial) { state, event in
            SuggestionCategories.evolve(
                state, try event.decoded(as: SuggestionCategories.Event.self))
        }
    }

    /// Defines the next version of a category list.
    private static func define(
        _ name: SuggestionCategoryList.Name, effectiveFrom: LocalDate, _ categories: [SuggestionCategoryList.Category],
        _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        let (defined, version) = try loadList(name, context)
        let events = try SuggestionCategories.decide(
            .define(name: name, effectiveFrom: effectiveFrom, categories), defined,
            DecisionContext(today: context.today))
        let recorded = try context.append(
            events, to: SuggestionCategories.stream(name),
            expectedVersion: version == 0 ? .noStream : .exactly(version))
        let list = SuggestionCategories.state(after: events).last
        return [
            "position": .int(recorded.last?.position ?? 0),
            "list": list.map { encode($0, builtIn: false) } ?? .null,
        ]
    }

    /// Every version of the list `name`: the built-in one (if any), then the defined ones.
    private static func versions(
        of name: SuggestionCategoryList.Name, _ db: Database
    ) throws -> [(list: SuggestionCategoryList, builtIn: Bool)] {
        let builtIn = SuggestionCategoryList.builtIn(name).map { [(list: $0, builtIn: true)] } ?? []
        let defined = try SuggestionCategoryListRow.all(db, name: name.rawValue).compactMap {
            row -> (list: SuggestionCategoryList, builtIn: Bool)? in
            guard let from = LocalDate(row.effectiveFrom),
                let categories = try? JSONDecoder().decode(
                    [SuggestionCategoryList.Category].self, from: Data(row.categories.utf8))
            else { return nil }
            return (
                SuggestionCategoryList(name: name, version: row.version, effectiveFrom: from, categories: categories),
                false
            )
        }
        return builtIn + defined
    }

    /// A list name parameter, validated; nil when absent.
    private static func listName(_ parameters: Parameters, _ name: String) throws -> SuggestionCategoryList.Name? {
        guard let text = parameters.optionalString(name) else { return nil }
        guard let listName = SuggestionCategoryList.Name(text) else {
            throw parameters.invalid(
                name,
                "\(name) must be a list name: a lowercase letter followed by up to 31 lowercase letters, digits or "
                    + "'-', not \"\(text)\"")
        }
        return listName
    }

    static func notFound(_ id: SuggestionID) -> VarlinkError {
        VarlinkError(
            "org.oversight.suggestions.SuggestionNotFound",
            parameters: [
                "id": .string(id.rawValue),
                "message": .string("no suggestion has the id \(id); see `oversightctl suggestion list`"),
            ])
    }

    static func encode(_ row: SuggestionRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "session": .string(row.session),
            "number": .string(row.number), "title": .string(row.title), "leadDeputy": .string(row.leadDeputy),
            "coSigners": .array(row.coSigners.map(JSONValue.string)), "submittedOn": .string(row.submittedOn),
            "state": .string(row.state), "coUnits": .array(row.coUnits.map(JSONValue.string)),
            "complex": .bool(row.complex), "round": .int(Int64(row.round)), "key": .bool(row.key),
            "returns": .int(Int64(row.returns)), "position": .int(row.position),
        ]
        object["text"] = row.text.map(JSONValue.string)
        object["leadUnit"] = row.leadUnit.map(JSONValue.string)
        object["assignedOn"] = row.assignedOn.map(JSONValue.string)
        object["firstAssignedOn"] = row.firstAssignedOn.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["supervisingLeader"] = row.supervisingLeader.map(JSONValue.string)
        object["repliedOn"] = row.repliedOn.map(JSONValue.string)
        object["category"] = row.category.map(JSONValue.string)
        object["categoryList"] = row.categoryList.map(JSONValue.string)
        object["categoryMeaning"] = row.categoryMeaning.map(JSONValue.string)
        object["rating"] = row.rating.map(JSONValue.string)
        object["ratedOn"] = row.ratedOn.map(JSONValue.string)
        object["closedOn"] = row.closedOn.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: SuggestionReplyRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "round": .int(Int64(row.round)), "date": .string(row.date), "category": .string(row.category),
            "categoryList": .string(row.categoryList), "categoryMeaning": .string(row.categoryMeaning),
            "text": .string(row.text),
        ]
        object["leadUnit"] = row.leadUnit.map(JSONValue.string)
        object["reason"] = row.reason.map(JSONValue.string)
        object["dueDate"] = row.dueDate.map(JSONValue.string)
        object["onTime"] = row.onTime.map(JSONValue.bool)
        object["rating"] = row.rating.map(JSONValue.string)
        object["ratedOn"] = row.ratedOn.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: SuggestionHistoryRow) throws -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(row.position), "type": .string(row.type), "recordedAt": .string(row.recordedAt),
            "actor": .string(row.actor), "summary": .string(row.summary), "data": try JSONValue.parse(row.data),
        ]
        object["date"] = row.date.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ list: SuggestionCategoryList, builtIn: Bool) -> JSONValue {
        [
            "name": .string(list.name.rawValue), "version": .int(Int64(list.version)),
            "effectiveFrom": .string(list.effectiveFrom.description), "builtIn": .bool(builtIn),
            "categories": .array(
                list.categories.map {
                    [
                        "letter": .string($0.letter), "meaning": .string($0.meaning),
                        "reasonRequired": .bool($0.reasonRequired),
                    ]
                }),
        ]
    }
}
