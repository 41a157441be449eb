import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.departments`: register, rename and list departments.
struct DepartmentsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.departments")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "Add":
                let code = try parameters.departmentCode("code")
                let name = try parameters.string("name")
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.execute(.add(code: code, name: name), code: code, &context)
                }
            case "Rename":
                let code = try parameters.departmentCode("code")
                let name = try parameters.string("name")
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.execute(.rename(name: name), code: code, &context)
                }
            case "List":
                queries.answer(call, responder) { db in
                    ["departments": .array(try DepartmentRow.all(db).map(Self.encode))]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Decides a department command against its stream and appends the result.
    private static func execute(
        _ command: Department.Command, code: DepartmentCode, _ context: inout CommandContext
    ) throws -> [String: JSONValue] {
        let stream = Department.stream(code)
        let (state, version) = try context.load(stream, initial: Department.initial) { state, event in
            Department.evolve(state, try event.decoded(as: Department.Event.self))
        }
        let events = try Department.decide(command, state, DecisionContext(today: context.today))
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
        )
        guard let row = try DepartmentRow.find(context.transaction.db, code: code.rawValue) else {
            throw StoreError.corrupt("the department list has no row for \(code) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "department": encode(row)]
    }

    static func encode(_ row: DepartmentRow) -> JSONValue {
        ["code": .string(row.code), "name": .string(row.name), "position": .int(row.position)]
    }
}
