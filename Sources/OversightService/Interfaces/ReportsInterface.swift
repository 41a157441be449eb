import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.reports`: the year summary, the department scorecard and the year's, a department's and a
/// topic's report, read from the read models in one read transaction each.
struct ReportsInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let queries: QueryRunner
    let clock: OfficeClock

    init(queries: QueryRunner, clock: OfficeClock) throws {
        self.interface = try InterfaceResources.load("org.oversight.reports")
        self.queries = queries
        self.clock = clock
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            let asOf = try Self.optionalDay(parameters, "asOf") ?? clock.today(at: clock.now())
            switch call.methodName {
            case "Summary":
                let year = try parameters.int("year")
                guard Topic.years.contains(year) else {
                    throw parameters.invalid("year", "year must be between 2000 and 2100, not \(year)")
                }
                queries.answer(call, responder) { db in
                    ["summary": try JSONValue(encoding: YearSummary.compute(db, year: year, asOf: asOf.description))]
                }
            case "Scorecard":
                let year = try parameters.optionalInt("year")
                if let year, !Topic.years.contains(year) {
                    throw parameters.invalid("year", "year must be between 2000 and 2100, not \(year)")
                }
                queries.answer(call, responder) { db in
                    [
                        "scorecard": try JSONValue(
                            encoding: DepartmentScorecard.compute(db, year: year, asOf: asOf.description))
                    ]
                }
            case "Year":
                let year = try Self.year(parameters)
                queries.answer(call, responder) { db in
                    ["report": try JSONValue(encoding: YearReport.compute(db, year: year, asOf: asOf.description))]
                }
            case "Department":
                let code = try parameters.departmentCode("code").rawValue
                let year = try Self.year(parameters)
                queries.answer(call, responder) { db in
                    guard
                        let report = try DepartmentReport.compute(
                            db, department: code, year: year, asOf: asOf.description)
                    else {
                        throw VarlinkError(
                            "org.oversight.reports.DepartmentNotFound", parameters: ["id": .string(code)])
                    }
                    return ["report": try JSONValue(encoding: report)]
                }
            case "Topic":
                let id = try parameters.topicID("id").rawValue
                queries.answer(call, responder) { db in
                    guard let report = try TopicReport.compute(db, topic: id, asOf: asOf.description) else {
                        throw VarlinkError("org.oversight.reports.TopicNotFound", parameters: ["id": .string(id)])
                    }
                    return ["report": try JSONValue(encoding: report)]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// The required `year` parameter, within the years the domain accepts.
    private static func year(_ parameters: Parameters) throws -> Int {
        let year = try parameters.int("year")
        guard Topic.years.contains(year) else {
            throw parameters.invalid("year", "year must be between 2000 and 2100, not \(year)")
        }
        return year
    }

    /// An optional calendar day parameter.
    private static func optionalDay(_ parameters: Parameters, _ name: String) throws -> LocalDate? {
        guard let value = parameters.values[name], !value.isNull else { return nil }
        return try parameters.date(name)
    }
}
