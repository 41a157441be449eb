import Dispatch
import GRDB
import Synchronization

#if os(Linux)
import CMalloc
#endif

/// Gives memory back to the system once the writer has been quiet for ``quietPeriod``.
///
/// A burst of commands, a catch-up at open or a rebuild leaves SQLite's page caches full and the C heap holding
/// freed blocks that the allocator keeps for reuse; a daemon that then sits idle would keep that resident set for
/// good. After each write the reclaimer notes the time; when no write came for ``quietPeriod`` it empties the
/// connections' caches (`sqlite3_db_release_memory`; GRDB closes the idle readers, reopened on the next read) and
/// asks the allocator to return its free pages (`malloc_trim`). Nothing is lost: the caches refill on demand.
final class IdleMemoryReclaimer: Sendable {
    /// How long the writer must have been quiet before memory is given back.
    static let quietPeriod: Duration = .seconds(5)

    private let queue = DispatchQueue(label: "oversight.memory-reclaim")
    /// The uptime, in nanoseconds, of the last write.
    private let lastActivity = Atomic<UInt64>(0)
    private let pending = Atomic<Bool>(false)
    private let quietNanoseconds: UInt64
    private let release: @Sendable () -> Void

    /// - Parameters:
    ///   - quietPeriod: How long to wait after the last write.
    ///   - release: Empties the caches; ``reclaimNow()`` trims the heap after it.
    init(quietPeriod: Duration = quietPeriod, release: @escaping @Sendable () -> Void) {
        let (seconds, attoseconds) = quietPeriod.components
        quietNanoseconds = UInt64(max(seconds, 0)) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000)
        self.release = release
    }

    /// Notes a write; memory is reclaimed ``quietPeriod`` after the last one.
    func noteActivity() {
        lastActivity.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed)
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        schedule(after: quietNanoseconds)
    }

    private func schedule(after nanoseconds: UInt64) {
        queue.asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanoseconds))) { [self] in
            let last = lastActivity.load(ordering: .relaxed)
            let quietFor = DispatchTime.now().uptimeNanoseconds &- last
            if quietFor < quietNanoseconds {
                schedule(after: quietNanoseconds - quietFor)
                return
            }
            pending.store(false, ordering: .releasing)
            reclaimNow()
            // A write between the check and the store above found a timer still pending and scheduled none.
            if lastActivity.load(ordering: .relaxed) != last, !pending.exchange(true, ordering: .acquiringAndReleasing)
            {
                schedule(after: quietNanoseconds)
            }
        }
    }

    /// Empties the caches and returns the allocator's free memory to the system now, on the calling thread.
    func reclaimNow() {
        release()
        #if os(Linux)
        malloc_trim(0)
        #endif
    }
}
