/// The result of walking the hash chain from the first event to the last.
public struct ChainVerification: Sendable, Equatable {
    /// How many events were examined (the walk stops at the first bad event, which is counted).
    public var checked: Int64
    /// The head of the log as found in the file (the last stored event), whether or not the chain is intact.
    public var head: LogHead
    /// The first position where the chain is broken; nil when the chain is intact.
    ///
    /// For a missing event (a gap in positions) this is the missing position.
    public var firstBadPosition: Int64?
    /// What is wrong at `firstBadPosition`, as a sentence; nil when the chain is intact.
    public var problem: String?

    /// Whether every event was found in place and unaltered.
    public var isIntact: Bool { firstBadPosition == nil }

    /// Creates a verification result.
    public init(checked: Int64, head: LogHead, firstBadPosition: Int64? = nil, problem: String? = nil) {
        self.checked = checked
        self.head = head
        self.firstBadPosition = firstBadPosition
        self.problem = problem
    }
}
