/// The built-in `org.varlink.service` interface: `GetInfo` and `GetInterfaceDescription`.
struct ServiceInterfaceHandler: VarlinkInterfaceHandler {
    let interface = VarlinkInterface.service
    let info: VarlinkServiceInfo
    /// Every served interface by name, including `org.varlink.service`.
    let interfaces: [String: VarlinkInterface]

    init(info: VarlinkServiceInfo, interfaces: [VarlinkInterface]) {
        self.info = info
        var byName: [String: VarlinkInterface] = [VarlinkInterface.service.name: VarlinkInterface.service]
        for interface in interfaces where byName[interface.name] == nil {
            byName[interface.name] = interface
        }
        self.interfaces = byName
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        switch call.methodName {
        case "GetInfo":
            responder.reply([
                "vendor": .string(info.vendor),
                "product": .string(info.product),
                "version": .string(info.version),
                "url": .string(info.url),
                "interfaces": .array(interfaces.keys.sorted().map { .string($0) }),
            ])
        case "GetInterfaceDescription":
            let name = call.parameters["interface"]?.stringValue ?? ""
            guard let interface = interfaces[name] else {
                responder.fail(.interfaceNotFound(name))
                return
            }
            responder.reply(["description": .string(interface.description)])
        default:
            responder.fail(.methodNotImplemented(call.methodName))
        }
    }
}

extension VarlinkInterface {
    /// The `org.varlink.service` interface every server provides (the current varlink.org text).
    public static let service: VarlinkInterface = {
        do {
            return try VarlinkInterface(description: serviceDescription)
        } catch {
            preconditionFailure("the built-in org.varlink.service IDL does not parse: \(error)")
        }
    }()

    /// The IDL text of `org.varlink.service`; identical to `Resources/org.varlink.service.varlink` (a test checks).
    static let serviceDescription = """
        # The Varlink Service Interface is provided by every varlink service. It
        # describes the service and the interfaces it implements.
        interface org.varlink.service

        # Get a list of all the interfaces a service provides and information
        # about the implementation.
        method GetInfo() -> (
          vendor: string,
          product: string,
          version: string,
          url: string,
          interfaces: []string
        )

        # Get the description of an interface that is implemented by this service.
        method GetInterfaceDescription(interface: string) -> (description: string)

        # The requested interface was not found.
        error InterfaceNotFound (interface: string)

        # The requested method was not found
        error MethodNotFound (method: string)

        # The interface defines the requested method, but the service does not
        # implement it.
        error MethodNotImplemented (method: string)

        # One of the passed parameters is invalid.
        error InvalidParameter (parameter: string)

        # Client is denied access
        error PermissionDenied ()

        # Method is expected to be called with 'more' set to true, but wasn't
        error ExpectedMore ()

        """
}
