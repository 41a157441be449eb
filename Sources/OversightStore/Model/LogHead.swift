import Foundation

/// The last event of the log: its position and hash; `(0, 32 zero bytes)` when the log is empty.
public struct LogHead: Sendable, Equatable {
    /// The position of the last event, 0 when the log is empty.
    public var position: Int64
    /// The hash of the last event, 32 zero bytes when the log is empty.
    public var hash: Data

    /// Creates a head.
    public init(position: Int64, hash: Data) {
        self.position = position
        self.hash = hash
    }

    /// The head of an empty log.
    public static let empty = LogHead(position: 0, hash: HashChain.zeroHash)
}
