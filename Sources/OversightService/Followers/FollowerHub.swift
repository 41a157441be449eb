import Dispatch
import Foundation
import Logging
import OversightStore
import Synchronization
import Varlink

/// The live `Log.Follow` streams, and how each is fed: from the log, in order, with no gap and no duplicate.
///
/// A follower never slows the writer: a commit only records the new head and schedules a catch-up for each idle
/// follower; the catch-up reads the log (a read-only connection) after the follower's last scanned position, in
/// pages, off the event loop. A follower that falls behind is therefore resumed from the log, never dropped.
///
/// Invariants: each follower has at most one catch-up running and at most one page (``pageSize`` events) handed
/// to its connection and not yet written to the socket; its `scanned` position only grows, and every matching
/// event up to it has been handed to the connection. The filter is evaluated by the log (SQL), so a follower of
/// one stream is never sent the rest of the log, and its position still moves over the events it skips.
final class FollowerHub: Sendable {
    /// One follower's progress.
    private struct Follower {
        let responder: VarlinkResponder
        let filter: EventFilter
        /// Every matching event up to here has been handed to the connection.
        var scanned: Int64
        /// The hash the event at the start position must have (checked by the first catch-up), if any.
        var cursorHash: Data?
        var busy = false
        /// Whether a wake-up at `until` (plus the grace) is already scheduled.
        var wakeScheduled = false
    }

    private struct State {
        var followers: [UInt64: Follower] = [:]
        var nextID: UInt64 = 0
        var head: Int64 = 0
        var stopped = false
    }

    /// How long after `until` (by the daemon's clock) a follower whose log has not passed `until` is ended: an
    /// event stamped just before `until` may still be committing.
    static let untilGrace: TimeInterval = 2

    private let log: any FilteredEventLog
    private let state: Mutex<State>
    private let queue = DispatchQueue(label: "oversight.followers", attributes: .concurrent)
    private let pageSize: Int
    private let scanLimit: Int
    private let now: @Sendable () -> Date
    private let encode: @Sendable (RecordedEvent) -> JSONValue
    private let logger: Logger

    /// Creates a hub reading `log`, starting at the current head.
    ///
    /// - Parameters:
    ///   - pageSize: At most this many events are read and handed to a connection at a time.
    ///   - scanLimit: One read looks at no more than this many positions (bounds the cost of a sparse filter).
    ///   - now: The daemon's clock, for ending followers at their `until`.
    init(
        log: any FilteredEventLog, head: Int64, pageSize: Int = 512, scanLimit: Int = 50_000,
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger,
        encode: @escaping @Sendable (RecordedEvent) -> JSONValue
    ) {
        self.log = log
        self.state = Mutex(State(head: head))
        self.pageSize = pageSize
        self.scanLimit = scanLimit
        self.now = now
        self.logger = logger
        self.encode = encode
    }

    /// Number of live followers.
    var count: Int { state.withLock { $0.followers.count } }

    /// Each live follower's position (every matching event up to it has been handed over), lowest first.
    var positions: [Int64] { state.withLock { $0.followers.values.map(\.scanned).sorted() } }

    /// Starts a follower that receives every event after `position` that matches `filter`, then every new one.
    ///
    /// - Parameter cursorHash: When given, the event at `position` must have this hash; otherwise the stream
    ///   fails with `CursorMismatch` before sending anything.
    func follow(
        after position: Int64, cursorHash: Data? = nil, filter: EventFilter = .none, responder: VarlinkResponder
    ) {
        let id: UInt64? = state.withLock { state in
            guard !state.stopped else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.followers[id] = Follower(
                responder: responder, filter: filter, scanned: position, cursorHash: cursorHash)
            return id
        }
        guard let id else {
            responder.fail(Self.stoppingError(lastPosition: position))
            return
        }
        responder.onCancel { [weak self] in
            self?.remove(id)
        }
        // The first catch-up runs even at the head: it checks the cursor and an `until` already past.
        schedule(id, force: true)
    }

    /// Records a new head after a commit and wakes every idle follower.
    func committed(upTo position: Int64) {
        let idle = state.withLock { state -> [UInt64] in
            state.head = max(state.head, position)
            return state.followers.compactMap { id, follower in
                follower.busy || follower.scanned >= position ? nil : id
            }
        }
        for id in idle { schedule(id) }
    }

    /// Hands a commit's events (contiguous, in log order) to every idle follower that has read up to just before
    /// them, without reading the log again, and wakes the other idle followers to catch up from the log.
    ///
    /// The direct path is taken only when it gives what a catch-up would: the follower's first read (its cursor
    /// check) is done, it has no `until` (whose end a catch-up decides), and the commit fits in one page.
    func committed(_ events: [RecordedEvent]) {
        guard let first = events.first, let last = events.last else { return }
        var direct: [(id: UInt64, follower: Follower, events: [RecordedEvent])] = []
        let idle = state.withLock { state -> [UInt64] in
            state.head = max(state.head, last.position)
            var idle: [UInt64] = []
            for (id, follower) in state.followers where !follower.busy && follower.scanned < last.position {
                guard follower.scanned == first.position - 1, follower.cursorHash == nil,
                    follower.filter.untilDate == nil, events.count <= pageSize
                else {
                    idle.append(id)
                    continue
                }
                state.followers[id]?.busy = true
                direct.append((id, follower, events.filter(follower.filter.matches)))
            }
            return idle
        }
        for id in idle { schedule(id) }
        for (id, follower, matching) in direct {
            queue.async { [self] in
                deliver(matching, through: last.position, to: id, follower)
            }
        }
    }

    /// Sends a commit's matching events to a busy follower, moves its position past the commit, and lets it go
    /// idle once the last one is written (it then catches up if more was committed meanwhile).
    private func deliver(_ events: [RecordedEvent], through position: Int64, to id: UInt64, _ follower: Follower) {
        let responder = follower.responder
        guard !responder.isCancelled else { return }
        for event in events.dropLast() {
            responder.send(["event": encode(event)])
        }
        // Moved only after the events are handed over, as in a catch-up.
        state.withLock { $0.followers[id]?.scanned = position }
        if let last = events.last {
            responder.send(["event": encode(last)]) { [self] in
                queue.async { self.goIdle(id, filter: follower.filter) }
            }
        } else {
            goIdle(id, filter: follower.filter)
        }
    }

    /// Ends every follow stream with `ServiceStopping` (naming where to resume) and refuses new ones.
    func stop() {
        let followers = state.withLock { state -> [Follower] in
            state.stopped = true
            defer { state.followers.removeAll() }
            return Array(state.followers.values)
        }
        for follower in followers {
            follower.responder.fail(Self.stoppingError(lastPosition: follower.scanned))
        }
    }

    /// The error of a cursor whose event is missing or has another hash.
    static func cursorMismatch(position: Int64, expected: Data, found: Data?) -> VarlinkError {
        var parameters: [String: JSONValue] = [
            "position": .int(position), "expected": .string(expected.hex),
            "message": .string(
                found == nil
                    ? "the log has no event at position \(position), where the cursor was written: the log was "
                        + "replaced (restored from an older backup?) since; refusing to resume"
                    : "the event at position \(position) does not have the hash the cursor recorded: the log was "
                        + "rewritten since the cursor was written; refusing to resume"),
        ]
        parameters["found"] = found.map { .string($0.hex) }
        return VarlinkError("org.oversight.log.CursorMismatch", parameters: parameters)
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.followers.removeValue(forKey: id) }
    }

    /// Marks a follower busy and starts a catch-up for it, unless one is already running or (without `force`)
    /// it has scanned up to the head.
    private func schedule(_ id: UInt64, force: Bool = false) {
        let start = state.withLock { state -> Bool in
            guard var follower = state.followers[id], !follower.busy, force || follower.scanned < state.head else {
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

    /// Sends one page of matching events after the follower's scanned position.
    ///
    /// The next page is read only once this one has been written to the socket, so a slow follower holds at most
    /// one page in memory and never slows the writer. A page with no matching event moves the position on and
    /// reads the next at once. With nothing left to read, the follower goes idle until the next commit (or its
    /// `until`).
    private func catchUp(_ id: UInt64) {
        guard
            let follower = state.withLock({ $0.followers[id] }), !follower.responder.isCancelled
        else { return }
        let responder = follower.responder
        let page: EventPage
        do {
            if let expected = follower.cursorHash {
                let found = try log.event(at: follower.scanned)?.hash
                guard found == expected else {
                    remove(id)
                    responder.fail(Self.cursorMismatch(position: follower.scanned, expected: expected, found: found))
                    return
                }
                state.withLock { $0.followers[id]?.cursorHash = nil }
            }
            page = try log.events(
                after: follower.scanned, limit: pageSize, matching: follower.filter, scanLimit: scanLimit)
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
        for event in page.events.dropLast() {
            responder.send(["event": encode(event)])
        }
        let last = page.events.last
        // Moved only after the events are handed over: a stop in between names an earlier position (a duplicate
        // on resume), never a later one (a gap).
        state.withLock { state in
            state.followers[id]?.scanned = page.scannedThrough
            state.head = max(state.head, page.head)
        }
        if page.untilPassed || untilExpired(follower.filter, scannedToHead: page.scannedThrough >= page.head) {
            if let last { responder.send(["event": encode(last)]) }
            remove(id)
            responder.reply(["untilPassed": .int(page.scannedThrough)])
            return
        }
        if let last {
            responder.send(["event": encode(last)]) { [self] in
                queue.async { self.catchUp(id) }
            }
        } else if page.scannedThrough < page.head {
            queue.async { self.catchUp(id) }
        } else {
            goIdle(id, filter: follower.filter)
        }
    }

    /// Whether a follower with `filter` has passed its `until` by the clock, having read every event.
    private func untilExpired(_ filter: EventFilter, scannedToHead: Bool) -> Bool {
        guard scannedToHead, let until = filter.untilDate else { return false }
        return now() >= until.addingTimeInterval(Self.untilGrace)
    }

    /// Lets the next commit wake the follower; with `until` ahead, also wakes it then.
    private func goIdle(_ id: UInt64, filter: EventFilter) {
        let wakeAt = filter.untilDate.map { $0.addingTimeInterval(Self.untilGrace) }
        let scheduleWake = state.withLock { state -> Bool in
            state.followers[id]?.busy = false
            guard wakeAt != nil, state.followers[id]?.wakeScheduled == false else { return false }
            state.followers[id]?.wakeScheduled = true
            return true
        }
        if scheduleWake, let wakeAt {
            let delay = max(0, wakeAt.timeIntervalSince(now())) + 0.05
            queue.asyncAfter(deadline: .now() + delay) { [weak self] in
                self?.wake(id)
            }
        }
        // A commit may have raised the head after the read; pick it up.
        schedule(id)
    }

    /// Runs a catch-up for an idle follower whose `until` has come.
    private func wake(_ id: UInt64) {
        state.withLock { $0.followers[id]?.wakeScheduled = false }
        schedule(id, force: true)
    }

    private static func stoppingError(lastPosition: Int64) -> VarlinkError {
        VarlinkError("org.oversight.log.ServiceStopping", parameters: ["lastPosition": .int(lastPosition)])
    }
}
