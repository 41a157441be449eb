/// Routes a call to its interface handler and applies the checks every method shares (VARLINK.md §2).
///
/// Pure: no I/O. Order of checks: interface, method, `upgrade`, parameters, `more` for methods marked
/// `# [Requires 'more' flag]`.
struct VarlinkDispatcher: Sendable {
    private let handlers: [String: any VarlinkInterfaceHandler]

    /// The served interface names, sorted.
    let interfaceNames: [String]

    /// Creates a dispatcher; the first handler for an interface name wins.
    init(handlers: [any VarlinkInterfaceHandler]) {
        var byName: [String: any VarlinkInterfaceHandler] = [:]
        for handler in handlers where byName[handler.interface.name] == nil {
            byName[handler.interface.name] = handler
        }
        self.handlers = byName
        self.interfaceNames = byName.keys.sorted()
    }

    /// The handler for `call`, or the error to reply with.
    func route(_ call: VarlinkCall) -> Result<any VarlinkInterfaceHandler, VarlinkError> {
        guard let handler = handlers[call.interface] else { return .failure(.interfaceNotFound(call.interface)) }
        let interface = handler.interface
        guard interface.hasMethod(call.methodName) else { return .failure(.methodNotFound(call.methodName)) }
        if call.upgrade { return .failure(.invalidParameter("upgrade")) }
        if let parameter = interface.invalidParameter(method: call.methodName, call.parameters) {
            return .failure(.invalidParameter(parameter))
        }
        if !call.more, interface.methodRequiresMore(call.methodName) { return .failure(.expectedMore) }
        return .success(handler)
    }

    /// The interface named `name`, if served.
    func interface(named name: String) -> VarlinkInterface? {
        handlers[name]?.interface
    }
}
