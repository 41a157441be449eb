/// What the caller believes the version of a stream is (the version of the stream's last event; first event = 1).
public enum ExpectedVersion: Sendable, Equatable, CustomStringConvertible {
    /// Append whatever the stream's version.
    case any
    /// The stream must have no events yet.
    case noStream
    /// The stream's last event must have this version (`exactly(0)` means the same as `noStream`).
    case exactly(Int64)

    /// A short phrase for messages, such as "version 2" or "no stream".
    public var description: String {
        switch self {
        case .any: "any version"
        case .noStream: "no stream"
        case .exactly(let version): "version \(version)"
        }
    }

    /// Whether a stream at `actual` satisfies this expectation.
    func accepts(_ actual: Int64) -> Bool {
        switch self {
        case .any: true
        case .noStream: actual == 0
        case .exactly(let version): actual == version
        }
    }
}
