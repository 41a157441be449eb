import OversightDomain
import Synchronization
import Varlink

/// The settings a reload (SIGHUP) can change, read by the interfaces on every call.
///
/// Thread-safe: the event loops and the writer read a snapshot under a lock; a reload swaps the whole snapshot, so
/// a call never sees half of an old and half of a new configuration.
final class LiveSettings: Sendable {
    /// One consistent set of the reloadable settings.
    struct Snapshot: Sendable, Equatable {
        /// Who holds which role.
        var roles: RoleMap
        /// The office's working days.
        var workingCalendar: WorkingCalendar
        /// The rule of an evaluation recorded or opened without one.
        var evaluationRule: VerdictRule
    }

    private let state: Mutex<Snapshot>

    /// Creates the holder with the settings of `configuration`.
    init(_ configuration: DaemonConfiguration) {
        state = Mutex(Snapshot(configuration))
    }

    /// The settings in force now.
    var current: Snapshot { state.withLock { $0 } }

    /// Puts `configuration`'s reloadable settings in force for every later call.
    func replace(with configuration: DaemonConfiguration) {
        let snapshot = Snapshot(configuration)
        state.withLock { $0 = snapshot }
    }
}

extension LiveSettings.Snapshot {
    init(_ configuration: DaemonConfiguration) {
        self.init(
            roles: configuration.roles, workingCalendar: configuration.workingCalendar,
            evaluationRule: configuration.evaluationRule)
    }
}

/// Decides from the peer credentials whether a call may run; the one place where roles are enforced.
///
/// The role a method needs comes from its interface: `org.oversight.admin` needs admin, a method that takes a
/// `commandId` (every recording method) needs clerk, any other method needs reader. ``CommandGateway`` asks again
/// before it hands a command to the writer, so nothing is ever written for a caller below clerk.
struct AccessControl: Sendable {
    /// The interface whose methods need the admin role.
    static let adminInterface = "org.oversight.admin"

    let settings: LiveSettings
    let accounts: UnixAccounts

    /// The role of the peer under the roles in force; nil (no role) without credentials.
    func role(of peer: PeerCredentials?) -> AccessRole? {
        guard let peer else { return nil }
        let accounts = self.accounts
        return settings.current.roles.role(uid: peer.uid) { accounts.groups(peer.uid, peer.gid) }
    }

    /// Whether the peer holds `needed` (or a higher role).
    func allows(_ peer: PeerCredentials?, _ needed: AccessRole) -> Bool {
        guard let peer else { return false }
        let accounts = self.accounts
        return settings.current.roles.grants(needed, uid: peer.uid) { accounts.groups(peer.uid, peer.gid) }
    }

    /// The role needed to call `method` of `interface`.
    static func requiredRole(interface: VarlinkInterface, method: String) -> AccessRole {
        if interface.name == adminInterface { return .admin }
        if interface.parameterNames(method: method).contains("commandId") { return .clerk }
        return .reader
    }

    /// Wraps `handler` so that each call is checked before it reaches it.
    func guarding(_ handler: any VarlinkInterfaceHandler) -> any VarlinkInterfaceHandler {
        AccessControlledHandler(inner: handler, access: self)
    }
}

/// An interface handler behind the access check: a call from a peer without the method's role is answered with
/// `org.varlink.service.PermissionDenied` and never reaches the handler.
struct AccessControlledHandler: VarlinkInterfaceHandler {
    let inner: any VarlinkInterfaceHandler
    let access: AccessControl
    /// The role each declared method needs, computed once.
    private let required: [String: AccessRole]

    init(inner: any VarlinkInterfaceHandler, access: AccessControl) {
        self.inner = inner
        self.access = access
        let interface = inner.interface
        var required: [String: AccessRole] = [:]
        for method in interface.methodNames {
            required[method] = AccessControl.requiredRole(interface: interface, method: method)
        }
        self.required = required
    }

    var interface: VarlinkInterface { inner.interface }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        // The dispatcher only routes declared methods; an unknown one would need the highest role.
        let needed = required[call.methodName] ?? .admin
        guard access.allows(context.peer, needed) else {
            // The connection's logger already carries the peer's uid and pid and the method.
            context.logger.notice("Permission denied", metadata: [LogKey.role: "\(needed.rawValue)"])
            responder.fail(.permissionDenied)
            return
        }
        inner.handle(call, context: context, responder: responder)
    }
}
