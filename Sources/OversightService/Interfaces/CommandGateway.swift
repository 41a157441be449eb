import Crypto
import Foundation
import Logging
import OversightStore
import Varlink

/// Turns a varlink call into a writer command: idempotency key, request digest, actor, and the reply.
struct CommandGateway: Sendable {
    let writer: CommandWriter
    let identities: PeerIdentityResolver
    /// Checked again here (after ``AccessControlledHandler``) so that nothing reaches the writer from a peer below
    /// clerk, or below admin for `org.oversight.admin`.
    let access: AccessControl

    /// Submits `execute` to the writer and answers `responder` when the batch is durable.
    ///
    /// Errors thrown by `execute` (domain refusals, version conflicts, reused ids) and storage failures are turned
    /// into errors of the calling interface by `ErrorMapping`; nothing is written for a refused command.
    func submit(
        _ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder,
        execute: @escaping @Sendable (inout CommandContext) throws -> [String: JSONValue]
    ) {
        let needed: AccessRole = call.interface == AccessControl.adminInterface ? .admin : .clerk
        guard access.allows(context.peer, needed) else {
            context.logger.notice("Permission denied", metadata: [LogKey.role: "\(needed.rawValue)"])
            responder.fail(.permissionDenied)
            return
        }
        let parameters = Parameters(call)
        let commandID: String?
        do {
            try Self.refuseControlCharacters(in: call)
            commandID = try parameters.commandID()
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
            return
        }
        var request = call.parameters
        request["commandId"] = nil
        let digest = SHA256.hash(data: Array((call.method + "\u{0}" + JSONValue.object(request).jsonString).utf8))
        let identity = identities.identity(of: context.peer)
        let metadata = EventMetadata(
            actor: identity.name, uid: identity.uid.map(Int64.init), commandID: commandID, client: identity.client
        )
        let interface = call.interface
        let logger = context.logger
        writer.submit(
            WriterCommand(
                commandID: commandID,
                requestHash: Data(digest).hex,
                metadata: metadata,
                execute: execute,
                completion: { result in
                    switch result {
                    case .success(let reply):
                        responder.reply(reply)
                    case .failure(let error):
                        let mapped = ErrorMapping.varlinkError(error, interface: interface)
                        logger.debug("Command refused", metadata: [LogKey.error: "\(mapped.name)"])
                        responder.fail(mapped)
                    }
                }
            )
        )
    }

    /// Refuses a text that holds a control character other than tab, line feed and carriage return (a NUL, an
    /// escape sequence): it would be recorded for good and printed to every terminal that reads the log.
    private static func refuseControlCharacters(in call: VarlinkCall) throws {
        func check(_ value: JSONValue, _ name: String) throws {
            switch value {
            case .string(let text):
                if let bad = text.unicodeScalars.first(where: isForbidden) {
                    let code = String(bad.value, radix: 16, uppercase: true)
                    throw Parameters(call).invalid(
                        name,
                        "\(name) contains the control character U+\(String(repeating: "0", count: 4 - code.count))"
                            + "\(code); remove it")
                }
            case .array(let values):
                for element in values { try check(element, name) }
            case .object(let members):
                for (key, member) in members { try check(member, name + "." + key) }
            default:
                return
            }
        }
        for (name, value) in call.parameters { try check(value, name) }
    }

    private static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: false
        case 0x00...0x1F, 0x7F...0x9F: true
        default: false
        }
    }
}
