/// Metadata keys of the daemon's log lines, declared once (prefix `ov.`).
enum LogKey {
    static let connectionID = "ov.connection.id"
    static let peerUID = "ov.peer.uid"
    static let method = "ov.varlink.method"
    static let commandID = "ov.command.id"
    static let stream = "ov.stream"
    static let position = "ov.position"
    static let error = "ov.error"
    static let batch = "ov.batch.size"
    static let socket = "ov.socket"
    static let stateDirectory = "ov.state.directory"
    static let events = "ov.events"
    static let followers = "ov.followers"
    static let role = "ov.role"
    static let configuration = "ov.configuration"
    static let path = "ov.path"
    static let key = "ov.audit.key"
}
