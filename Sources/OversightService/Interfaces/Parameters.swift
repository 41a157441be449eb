import Foundation
import OversightDomain
import Varlink

/// Reads a call's parameters after the Varlink layer has checked them against the IDL.
///
/// Types are already right when a handler runs; what is checked here is meaning (a date that exists, a known
/// kind), and each failure names the parameter in an `InvalidArgument` error of the calling interface.
struct Parameters {
    let values: [String: JSONValue]
    /// The interface whose `InvalidArgument` error is thrown.
    let interface: String

    init(_ call: VarlinkCall) {
        self.init(call.parameters, interface: call.interface)
    }

    /// Parameters of a nested struct, reported under the same interface.
    init(_ values: [String: JSONValue], interface: String) {
        self.values = values
        self.interface = interface
    }

    /// An `InvalidArgument` error of this interface.
    func invalid(_ parameter: String, _ message: String) -> VarlinkError {
        VarlinkError(
            "\(interface).InvalidArgument", parameters: ["parameter": .string(parameter), "message": .string(message)]
        )
    }

    func string(_ name: String) throws -> String {
        guard let value = values[name]?.stringValue else { throw invalid(name, "\(name) is required") }
        return value
    }

    /// An optional text; blank counts as absent.
    func optionalString(_ name: String) -> String? {
        guard let value = values[name]?.stringValue else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func int(_ name: String) throws -> Int {
        guard let value = values[name]?.intValue else { throw invalid(name, "\(name) is required") }
        guard let int = Int(exactly: value) else { throw invalid(name, "\(name) is out of range") }
        return int
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        return try int(name)
    }

    func stringArray(_ name: String) -> [String] {
        values[name]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func date(_ name: String) throws -> LocalDate {
        let text = try string(name)
        guard let date = LocalDate(text) else {
            throw invalid(name, "\(name) must be a calendar day written YYYY-MM-DD, not \"\(text)\"")
        }
        return date
    }

    func departmentCode(_ name: String) throws -> DepartmentCode {
        let text = try string(name)
        guard let code = DepartmentCode(text) else { throw invalid(name, Self.badCode(text)) }
        return code
    }

    func departmentCodes(_ name: String) throws -> [DepartmentCode] {
        try stringArray(name).map { text in
            guard let code = DepartmentCode(text) else { throw invalid(name, Self.badCode(text)) }
            return code
        }
    }

    func topicID(_ name: String) throws -> TopicID {
        try recordID(name, TopicID.self)
    }

    /// A record id of one kind (topic, inquiry, item, evaluation, suggestion, vote, station).
    func recordID<Kind>(_ name: String, _: RecordID<Kind>.Type) throws -> RecordID<Kind> {
        let text = try string(name)
        guard let id = RecordID<Kind>(text) else {
            throw invalid(
                name, "\(name) must be \(Self.article(Kind.noun)) such as \(RecordID<Kind>.example), not \"\(text)\"")
        }
        return id
    }

    /// An optional record id of one kind.
    func optionalRecordID<Kind>(_ name: String, _ type: RecordID<Kind>.Type) throws -> RecordID<Kind>? {
        guard let value = values[name], !value.isNull else { return nil }
        return try recordID(name, type)
    }

    /// A tracked item's parent: a topic, inquiry or station id.
    func itemParent(_ name: String) throws -> ItemParent {
        let text = try string(name)
        guard let parent = ItemParent(text) else {
            throw invalid(
                name,
                "\(name) must be a topic, inquiry or station id such as T2024-003, Q2024-001 or L2024-001, "
                    + "not \"\(text)\"")
        }
        return parent
    }

    private static func article(_ noun: String) -> String {
        (noun.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + noun
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, _: Choice.Type) throws -> Choice
    where Choice.RawValue == String {
        let text = try string(name)
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(name, "\(name) must be one of \(allowed), not \"\(text)\"")
        }
        return value
    }

    func optionalChoice<Choice: RawRepresentable & CaseIterable>(_ name: String, _ type: Choice.Type) throws -> Choice?
    where Choice.RawValue == String {
        guard let value = values[name], !value.isNull else { return nil }
        return try choice(name, type)
    }

    /// The optional `commandId`; when present it must be 1 to 128 printable characters.
    func commandID() throws -> String? {
        guard let value = values["commandId"]?.stringValue else { return nil }
        guard (1...128).contains(value.count), value.allSatisfy({ !$0.isWhitespace && !$0.isNewline }) else {
            throw invalid("commandId", "commandId must be 1 to 128 characters without spaces")
        }
        return value
    }

    private static func badCode(_ text: String) -> String {
        "a department code is a lowercase letter followed by up to 31 lowercase letters, digits or '-', not \"\(text)\""
    }
}
