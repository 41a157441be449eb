import Foundation

/// Who did something and through which command; stored as JSON in the `meta` column and hashed with the event.
///
/// The stored JSON keys are `actor`, `uid`, `command_id` and `client`; absent optionals are omitted.
public struct EventMetadata: Sendable, Equatable, Codable {
    /// The person or system that caused the event (for example a user name, or `system`).
    public var actor: String
    /// The Unix user id of the peer that sent the command, when known.
    public var uid: Int64?
    /// The id of the command that produced the event, when it came from a command.
    public var commandID: String?
    /// A free-form name of the client program (for example `oversightctl/1.0`).
    public var client: String?

    /// Creates metadata for the events of one command.
    public init(actor: String, uid: Int64? = nil, commandID: String? = nil, client: String? = nil) {
        self.actor = actor
        self.uid = uid
        self.commandID = commandID
        self.client = client
    }

    private enum CodingKeys: String, CodingKey {
        case actor
        case uid
        case commandID = "command_id"
        case client
    }
}
