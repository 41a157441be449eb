import Dispatch
import Logging
import OversightStore
import Synchronization
import Varlink

/// The live `Log.Follow` streams, and how each is fed: from the log, in order, with no gap and no duplicate.
///
/// A follower never slows the writer: a commit only records the new head and schedules a catch-up for each idle
/// follower; the catch-up reads the log (a read-only connection) after the follower's last sent position, in
/// pages, off the event loop. A follower that falls behind is therefore resumed from the log, never dropped.
final class FollowerHub: Sendable {
    /// One follower's progress.
    private struct Follower {
        let responder: VarlinkResponder
        var lastSent: Int64
        var busy = false
    }

    private struct State {
        var followers: [UInt64: Follower] = [:]
        var nextID: UInt64 = 0
        var head: Int64 = 0
        var stopped = false
    }

    private let log: any EventLog
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "oversight.followers", attributes: .concurrent)
    private let pageSize: Int
    private let encode: @Sendable (RecordedEvent) -> JSONValue
    private let logger: Logger

    /// Creates a hub reading `log`, starting at the current head.
    init(
        log: any EventLog, head: Int64, pageSize: Int = 512, logger: Logger,
        encode: @escaping @Sendable (RecordedEvent) -> JSONValue
    ) {
        self.log = log
        self.state = Mutex(State(head: head))
        self.pageSize = pageSize
        self.logger = logger
        self.encode = encode
    }

    /// Number of live followers.
    var count: Int { state.withLock { $0.followers.count } }

    /// Starts a follower that receives every event after `position`, then every new one.
    func follow(after position: Int64, responder: VarlinkResponder) {
        let id: UInt64? = state.withLock { state in
            guard !state.stopped else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.followers[id] = Follower(responder: responder, lastSent: position)
            return id
        }
        guard let id else {
            responder.fail(Self.stoppingError(lastPosition: position))
            return
        }
        responder.onCancel { [weak self] in
            self?.remove(id)
        }
        schedule(id)
    }

    /// Records a new head after a commit and wakes every idle follower.
    func committed(upTo position: Int64) {
        let idle = state.withLock { state -> [UInt64] in
            state.head = max(state.head, position)
            return state.followers.compactMap { id, follower in
                follower.busy || follower.lastSent >= position ? nil : id
            }
        }
        for id in idle { schedule(id) }
    }

    /// Ends every follow stream with `ServiceStopping` (naming where to resume) and refuses new ones.
    func stop() {
        let followers = state.withLock { state -> [Follower] in
            state.stopped = true
            defer { state.followers.removeAll() }
            return Array(state.followers.values)
        }
        for follower in followers {
            follower.responder.fail(Self.stoppingError(lastPosition: follower.lastSent))
        }
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.followers.removeValue(forKey: id) }
    }

    /// Marks a follower busy and starts a catch-up for it, unless one is already running.
    private func schedule(_ id: UInt64) {
        let start = state.withLock { state -> Bool in
            guard var follower = state.followers[id], !follower.busy, follower.lastSent < state.head else {
                return false
            }
            follower.busy = true
            state.followers[id] = follower
            return true
        }
        guard start else { return }
        queue.async { [self] in
            catchUp(id)
        }
    }

    /// Sends one page of events after the follower's last position.
    ///
    /// The next page is read only once this one has been written to the socket, so a slow follower holds at most one page in memory and never slows the
    /// writer. With nothing left to send, the follower goes idle until the next commit.
    private func catchUp(_ id: UInt64) {
        guard
            let (responder, after) = state.withLock({ state in
                state.followers[id].map { ($0.responder, $0.lastSent) }
            }), !responder.isCancelled
        else { return }
        let page: [RecordedEvent]
        do {
            page = try log.events(after: after, limit: pageSize)
        } catch {
            logger.error("Follower read failed", metadata: [LogKey.error: "\(error)"])
            remove(id)
            responder.fail(
                VarlinkError(
                    "org.oversight.log.ServiceUnavailable",
                    parameters: ["message": .string("the log could not be read: \(error)")]
                )
            )
            return
        }
        guard let last = page.last else {
            state.withLock { $0.followers[id]?.busy = false }
            // A commit may have raised the head after the read; pick it up.
            schedule(id)
            return
        }
        for event in page.dropLast() {
            responder.send(["event": encode(event)])
        }
        state.withLock { $0.followers[id]?.lastSent = last.position }
        responder.send(["event": encode(last)]) { [self] in
            queue.async { self.catchUp(id) }
        }
    }

    private static func stoppingError(lastPosition: Int64) -> VarlinkError {
        VarlinkError("org.oversight.log.ServiceStopping", parameters: ["lastPosition": .int(lastPosition)])
    }
}
