import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.stations`: register deputies' liaison stations, record their reception days, list and show them.
struct StationsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    /// The states a station can be in, as listed.
    enum StationState: String, CaseIterable {
        case open
        case closed
    }

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.stations")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Register":
                let registration = Station.Registration(
                    name: try parameters.string("name"), place: try parameters.string("place"),
                    date: try parameters.date("date"), note: parameters.optionalString("note")
                )
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.register(registration, &context)
                }
            case "RecordReception":
                let id = try parameters.recordID("id", StationID.self)
                let reception = Station.Reception(
                    date: try parameters.date("date"), peopleReceived: try parameters.int("peopleReceived"),
                    deputies: parameters.stringArray("deputies"), note: parameters.optionalString("note")
                )
                submit(.recordReception(reception), id: id, call, context, responder)
            case "Rename":
                let id = try parameters.recordID("id", StationID.self)
                let command = Station.Command.rename(
                    date: try parameters.date("date"), name: try parameters.string("name"))
                submit(command, id: id, call, context, responder)
            case "Relocate":
                let id = try parameters.recordID("id", StationID.self)
                let command = Station.Command.relocate(
                    date: try parameters.date("date"), place: try parameters.string("place"))
                submit(command, id: id, call, context, responder)
            case "Close":
                let id = try parameters.recordID("id", StationID.self)
                let command = Station.Command.close(
                    date: try parameters.date("date"), note: parameters.optionalString("note"))
                submit(command, id: id, call, context, responder)
            case "List":
                let place = parameters.optionalString("place")
                let state = try parameters.optionalChoice("state", StationState.self)?.rawValue
                queries.answer(call, responder) { db in
                    let stations = try StationRow.list(db, place: place, state: state)
                    return [
                        "stations": .array(stations.map(Self.encode)), "total": .int(Int64(stations.count)),
                        "receptions": .int(Int64(stations.reduce(0) { $0 + $1.receptions })),
                        "peopleReceived": .int(Int64(stations.reduce(0) { $0 + $1.peopleReceived })),
                    ]
                }
            case "Show":
                let id = try parameters.recordID("id", StationID.self)
                queries.answer(call, responder) { db in
                    guard let station = try StationRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    let receptions = try StationReceptionRow.of(db, stationID: id.rawValue)
                    return ["station": Self.encode(station), "receptions": .array(receptions.map(Self.encode))]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Submits a command on an existing station.
    private func submit(
        _ command: Station.Command, id: StationID, _ call: VarlinkCall, _ context: VarlinkCallContext,
        _ responder: VarlinkResponder
    ) {
        gateway.submit(call, context: context, responder: responder) { context in
            try Self.execute(command, id: id, &context)
        }
    }

    /// Registers a new station under the next free id of its registration year.
    private static func register(
        _ registration: Station.Registration, _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        let year = registration.date.year
        let id = StationID(year: year, sequence: try StationRow.nextSequence(context.transaction.db, year: year))
        return try execute(.register(id: id, registration), id: id, &context)
    }

    /// Decides a station command against the station's stream and appends the result.
    private static func execute(
        _ command: Station.Command, id: StationID, _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        let stream = Station.stream(id)
        let (state, version) = try context.load(stream, initial: Station.initial) { state, event in
            Station.evolve(state, try event.decoded(as: Station.Event.self))
        }
        if case .absent = state, case .register = command {
        } else if case .absent = state {
            throw notFound(id)
        }
        let events = try Station.decide(command, state, DecisionContext(today: context.today))
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
        )
        guard let row = try StationRow.find(context.transaction.db, id: id.rawValue) else {
            throw StoreError.corrupt("the station list has no row for \(id) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "station": encode(row)]
    }

    static func notFound(_ id: StationID) -> VarlinkError {
        VarlinkError("org.oversight.stations.StationNotFound", parameters: ["id": .string(id.rawValue)])
    }

    static func encode(_ row: StationRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "name": .string(row.name),
            "place": .string(row.place), "registeredOn": .string(row.registeredOn),
            "receptions": .int(Int64(row.receptions)), "peopleReceived": .int(Int64(row.peopleReceived)),
            "state": .string(row.state), "position": .int(row.position),
        ]
        object["note"] = row.note.map(JSONValue.string)
        object["lastReception"] = row.lastReception.map(JSONValue.string)
        object["closedOn"] = row.closedOn.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: StationReceptionRow) -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(row.position), "date": .string(row.date),
            "peopleReceived": .int(Int64(row.peopleReceived)), "deputies": .array(row.deputies.map(JSONValue.string)),
        ]
        object["note"] = row.note.map(JSONValue.string)
        return .object(object)
    }
}

extension Station.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .notRegistered: "notRegistered"
        case .alreadyRegistered: "alreadyRegistered"
        case .alreadyClosed: "alreadyClosed"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .dateInFuture: "dateInFuture"
        case .dateBeforeRegistration: "dateBeforeRegistration"
        case .emptyName: "emptyName"
        case .emptyPlace: "emptyPlace"
        case .textTooLong: "textTooLong"
        case .nameUnchanged: "nameUnchanged"
        case .placeUnchanged: "placeUnchanged"
        case .peopleReceivedOutOfRange: "peopleReceivedOutOfRange"
        case .duplicateDeputy: "duplicateDeputy"
        }
    }
}
