import Dispatch
import GRDB
import Logging
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the writer: by default
/// every thousand pages one command (about one in a hundred) waited while those pages were copied, with two more
/// fsyncs — a step in the latency tail. Here the writer asks for a checkpoint after each commit; at most every
/// ``interval`` a `PASSIVE` checkpoint copies what was committed, beside the writer (it never takes the write lock,
/// and readers are not disturbed). The writer keeps its automatic checkpoint at ``fallbackPages``: it still runs
/// there, finds almost everything already copied, and restarts the log (a background checkpoint cannot: while
/// commits keep coming it never sees the log fully copied at the start of a write). So the log stays bounded, and
/// the checkpoint a command waits for is rare and short.
final class WALCheckpointer: Sendable {
    /// The writer connection's own automatic checkpoint threshold, in pages: where the log restarts.
    static let fallbackPages = 4_000
    /// The shortest time between two background checkpoints (each costs two fsyncs).
    static let interval: DispatchTimeInterval = .milliseconds(50)

    private let database: DatabaseQueue
    private let queue = DispatchQueue(label: "oversight.wal-checkpoint")
    private let pending = Atomic<Bool>(false)
    private let logger: Logger

    /// Opens a connection of its own to the (WAL) database at `path`.
    init(path: String, logger: Logger) throws {
        var configuration = Configuration()
        configuration.label = "oversight.wal-checkpoint"
        // A PASSIVE checkpoint does not wait for readers or the writer; this only covers a brief lock on the log's
        // index while the writer updates it.
        configuration.busyMode = .timeout(0.1)
        database = try DatabaseQueue(path: path, configuration: configuration)
        try database.writeWithoutTransaction { db in
            // Each checkpoint fsyncs the log before copying and the database after, as the writer's would.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // A checkpoint copies frames from the log to the file; it needs no page cache of its own.
            try db.execute(sql: "PRAGMA cache_size = 16")
        }
        self.logger = logger
    }

    /// Asks for a checkpoint within ``interval``; requests made while one is pending are merged into it.
    func request() {
        schedule(retriesLeft: Self.retries)
    }

    /// How many times a checkpoint that was busy, failed or could not copy everything is tried again when no
    /// commit asks for another (a reader's snapshot can hold frames back; the writer's own checkpoint is the bound).
    private static let retries = 5

    private func schedule(retriesLeft: Int) {
        guard !pending.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.asyncAfter(deadline: .now() + Self.interval) { [self] in
            pending.store(false, ordering: .releasing)
            let result = try? checkpoint()
            if retriesLeft > 0, result.map({ $0.copied < $0.logFrames }) ?? true {
                schedule(retriesLeft: retriesLeft - 1)
            }
        }
    }

    /// Empties this connection's (small) cache.
    func releaseMemory() {
        database.releaseMemory()
    }

    /// Runs one `PASSIVE` checkpoint now, on the calling thread.
    ///
    /// - Returns: The frames in the log and the frames copied back so far (equal when it caught up), or nil
    ///   when SQLite was busy (another checkpoint running).
    @discardableResult
    func checkpoint() throws -> (logFrames: Int, copied: Int)? {
        do {
            return try database.writeWithoutTransaction { db in
                guard let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)") else { return nil }
                let busy: Int = row[0]
                return busy == 0 ? (row[1], row[2]) : nil
            }
        } catch {
            logger.warning(
                "Background WAL checkpoint failed; the writer's own checkpoint still bounds the log",
                metadata: [LogKey.error: "\(error)"])
            throw error
        }
    }
}
