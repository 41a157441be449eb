extension VarlinkInterface {
    /// Checks a call's input parameters against the method's declaration.
    ///
    /// Rules: an undeclared parameter, a missing non-optional parameter, or a value of the wrong type is invalid,
    /// checked recursively through structs, enums, arrays, maps and named types. An integer is accepted for
    /// `float`, an integral number for `int`; `null` and absent are the same for `?T`; enum values must be
    /// declared; `object` accepts any value.
    /// - Parameters:
    ///   - method: The bare method name.
    ///   - parameters: The call's parameters.
    /// - Returns: `nil` when valid (or when the method is not declared), else the name of the first offending
    ///   top-level parameter: undeclared ones first (sorted), then declared ones in declaration order.
    public func invalidParameter(method: String, _ parameters: [String: JSONValue]) -> String? {
        guard let declaration = methods[method] else { return nil }
        return invalidField(in: declaration.input, parameters)
    }

    /// The first field of `object` that does not match `fields`, or `nil`.
    private func invalidField(in fields: [VarlinkField], _ object: [String: JSONValue]) -> String? {
        if object.count > fields.count || object.keys.contains(where: { key in !fields.contains { $0.name == key } }) {
            let declared = Set(fields.map(\.name))
            if let unknown = object.keys.sorted().first(where: { !declared.contains($0) }) { return unknown }
        }
        for field in fields where !matches(object[field.name], field.type) {
            return field.name
        }
        return nil
    }

    /// Whether `value` (`nil` when absent) is valid for `type`.
    func matches(_ value: JSONValue?, _ type: VarlinkType) -> Bool {
        if case .optional(let wrapped) = type {
            guard let value, !value.isNull else { return true }
            return matches(value, wrapped)
        }
        guard let value else { return false }
        switch type {
        case .optional: return false  // handled above
        case .object: return true
        case .bool: return value.boolValue != nil
        case .int: return value.intValue != nil
        case .float: return value.doubleValue != nil
        case .string: return value.stringValue != nil
        case .named(let name):
            guard let resolved = types[name] else { return false }
            return matches(value, resolved)
        case .enumeration(let cases):
            guard let string = value.stringValue else { return false }
            return cases.contains(string)
        case .structure(let fields):
            guard let object = value.objectValue else { return false }
            return invalidField(in: fields, object) == nil
        case .array(let element):
            guard let array = value.arrayValue else { return false }
            return array.allSatisfy { matches($0, element) }
        case .map(let element):
            guard let object = value.objectValue else { return false }
            return object.values.allSatisfy { matches($0, element) }
        }
    }
}
