import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension SQLiteEventLog {
    /// The schema name under which the rebuilt scratch files are attached to the writer connection for the swap
    /// (followed by the part's number).
    private static let shadowSchema = "oversight_rebuild_shadow"

    /// The schema name under which the log is attached (read-only) to a scratch connection.
    private static let logSchema = "oversight_rebuild_log"

    /// Rebuilds the named projections (every one when `names` is nil) in scratch databases, then swaps the
    /// rebuilt tables in with one short write transaction, while appends continue.
    ///
    /// 1. A new, empty scratch file is made next to the log, on a connection of its own, with the log attached
    ///    read-only. In one transaction (a snapshot of the log at some position P, which never blocks the writer)
    ///    the projections' tables are created there and the events up to P replayed into them, their non-unique
    ///    indexes built after the replay. Nothing is copied from the log: its event table is only read.
    ///    When the log is longer than `parallelAfter` events, the replay of that many events measures each
    ///    projection's cost; the projections are then split in two groups of about equal cost, and the second
    ///    group is rebuilt from the first event, at the same time on another thread, in a second scratch file
    ///    (its own snapshot, at some position P2).
    /// 2. One write transaction on the log's writer connection (so it serializes with appends) attaches the
    ///    scratch files, drops and recreates each projection's tables, fills them from its scratch file (SQLite
    ///    copies the tables and their indexes whole), applies the events appended after P (or P2), and moves the
    ///    checkpoints to the head. Readers (WAL) see the old tables until it commits.
    ///
    /// The scratch files are deleted in every case. A failure before the commit changes nothing in the log.
    ///
    /// - Parameters:
    ///   - names: The projections to rebuild; nil for every one.
    ///   - parallelAfter: The number of events replayed (and measured) before the projections are split over two
    ///     threads; a log of at most twice this many events is rebuilt on one thread.
    ///   - beforeSwap: Called after the scratch tables are rebuilt and before the swap (tests append events there).
    /// - Returns: The names rebuilt and the head they are rebuilt up to.
    /// - Throws: ``StoreError/unknownProjection(name:known:)`` (nothing changed), ``StoreError/corrupt(_:)``, or a
    ///   database or file-system error (nothing changed).
    public func rebuildProjectionsOnline(
        named names: Set<String>?, parallelAfter: Int64 = 20_000, beforeSwap: () throws -> Void = {}
    ) throws -> (rebuilt: [String], head: LogHead) {
        let runner = self.runner
        let selected = try runner.selection(named: names)
        let directory = (path as NSString).deletingLastPathComponent
        let stamp = UUID().uuidString.prefix(8)
        let files = (0..<2).map { (directory as NSString).appendingPathComponent(".rebuild-\(stamp)-\($0).sqlite") }
        defer {
            for file in files {
                for suffix in ["", "-journal", "-wal", "-shm"] { unlink(file + suffix) }
            }
        }

        let parts = try Self.rebuild(
            selected, inScratchFiles: files, log: path, parallelAfter: max(parallelAfter, 1))
        var swaps:
            [(schema: String, file: String, tables: [(projection: any Projection, tables: [String])], head: LogHead)] =
                []
        for (index, part) in parts.enumerated() {
            let tables = try part.projections.map { (projection: $0, tables: try ProjectionRunner.tableNames(of: $0)) }
            swaps.append((schema: "\(Self.shadowSchema)\(index)", file: part.file, tables: tables, head: part.head))
            logger.debug(
                "Projections rebuilt in a scratch file",
                metadata: [
                    LogKey.projection: "\(part.projections.map(\.name).joined(separator: ","))",
                    LogKey.path: "\(part.file)", LogKey.position: "\(part.head.position)",
                ])
        }
        try beforeSwap()

        let head = try pool.writeWithoutTransaction { db -> LogHead in
            // ATTACH is refused inside a transaction: attach, run the swap's transaction, detach.
            var attached: [String] = []
            let swapped = Result {
                for swap in swaps {
                    try db.execute(sql: "ATTACH DATABASE ? AS \(swap.schema)", arguments: [swap.file])
                    attached.append(swap.schema)
                }
                var head = LogHead.empty
                try db.inTransaction(.immediate) {
                    for swap in swaps {
                        try runner.swapIn(swap.tables, from: swap.schema, snapshot: swap.head, db)
                    }
                    head = try EventRecord.head(db)
                    return .commit
                }
                return head
            }
            for schema in attached {
                try db.execute(sql: "DETACH DATABASE \(schema)")
            }
            return try swapped.get()
        }
        memoryReclaimer.noteActivity()
        let rebuilt = selected.map(\.name)
        logger.info(
            "Projections rebuilt",
            metadata: [
                LogKey.projection: "\(rebuilt.joined(separator: ","))", LogKey.position: "\(head.position)",
            ])
        return (rebuilt, head)
    }

    /// One scratch file's part of an online rebuild: its projections, rebuilt up to `head`.
    private struct ScratchPart: Sendable {
        var projections: [any Projection]
        var file: String
        var head: LogHead
    }

    /// The outcome of the second thread's part, handed back to the first.
    private final class PartResult: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<ScratchPart, any Error>?

        func set(_ result: Result<ScratchPart, any Error>) {
            lock.withLock { value = result }
        }

        func get() -> Result<ScratchPart, any Error>? {
            lock.withLock { value }
        }
    }

    /// Rebuilds the projections in new scratch databases at `files` (one or two of them), from snapshots of the
    /// log at `log`.
    ///
    /// - Returns: Each scratch file used, with its projections and the head of its snapshot (the position its
    ///   tables are rebuilt up to).
    private static func rebuild(
        _ selected: [any Projection], inScratchFiles files: [String], log: String, parallelAfter: Int64
    ) throws -> [ScratchPart] {
        var second: (done: DispatchGroup, result: PartResult)?
        // Whatever happens on this thread, the second part is waited for before its file is deleted.
        defer { second?.done.wait() }
        let first = try withScratch(at: files[0], log: log) { db -> ScratchPart in
            let head = try Self.head(inSchema: Self.logSchema, db)
            try ProjectionRunner.prepareEmptyTables(selected, db)
            var group = selected
            var last: Int64 = 0
            if selected.count > 1, head.position > 2 * parallelAfter {
                // Measure each projection on the first events, then hand about half of the cost to another thread.
                let costs = ReplayCosts(count: selected.count)
                last = try ProjectionRunner.replay(
                    selected, after: 0, through: parallelAfter, eventsIn: Self.logSchema, db, costs: costs)
                let (kept, handed) = Self.split(selected, costs: costs.nanoseconds)
                if !handed.isEmpty {
                    for projection in handed {
                        try projection.dropTables(db)
                    }
                    group = kept
                    let part = (done: DispatchGroup(), result: PartResult())
                    second = part
                    let file = files[1]
                    DispatchQueue.global().async(group: part.done) {
                        part.result.set(
                            Result {
                                try withScratch(at: file, log: log) { db in
                                    let head = try Self.head(inSchema: Self.logSchema, db)
                                    let last = try ProjectionRunner.replayIntoEmptyTables(
                                        handed, after: 0, eventsIn: Self.logSchema, db)
                                    try checkReplayed(through: last, head: head)
                                    return ScratchPart(projections: handed, file: file, head: head)
                                }
                            })
                    }
                }
            }
            last = try ProjectionRunner.replay(group, after: last, eventsIn: Self.logSchema, db)
            try ProjectionRunner.finishTables(group, db)
            try checkReplayed(through: last, head: head)
            return ScratchPart(projections: group, file: files[0], head: head)
        }
        guard let second else { return [first] }
        second.done.wait()
        guard let result = second.result.get() else {
            throw StoreError.corrupt("the second part of the rebuild did not finish")
        }
        return [first, try result.get()]
    }

    /// Splits the projections in two groups of about equal cost.
    ///
    /// The most costly go first, each to the cheaper group; the first group holds the most costly projection, and
    /// each group keeps the registration order. The second is empty when it would get less than a tenth.
    private static func split(
        _ selected: [any Projection], costs: [UInt64]
    ) -> (kept: [any Projection], handed: [any Projection]) {
        let order = costs.indices.sorted { costs[$0] > costs[$1] }
        var kept = Set<Int>()
        var keptCost: UInt64 = 0
        var handedCost: UInt64 = 0
        for index in order {
            if kept.isEmpty || keptCost <= handedCost {
                kept.insert(index)
                keptCost &+= costs[index]
            } else {
                handedCost &+= costs[index]
            }
        }
        let handed = selected.indices.filter { !kept.contains($0) }
        // Not worth a second thread for a small share.
        guard handedCost > 0, handedCost * 10 >= (keptCost + handedCost) else { return (selected, []) }
        return (selected.indices.filter(kept.contains).map { selected[$0] }, handed.map { selected[$0] })
    }

    /// Throws unless the replay reached the snapshot's head.
    private static func checkReplayed(through last: Int64, head: LogHead) throws {
        guard last == head.position else {
            throw StoreError.corrupt("the rebuild read the log up to event \(last), not its head \(head.position)")
        }
    }

    /// Runs `body` in one transaction of a new scratch database at `path`, with the log at `log` attached
    /// read-only as ``logSchema``: one snapshot of the log, which never blocks the writer.
    private static func withScratch<T>(at path: String, log: String, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.label = "oversight.rebuild-scratch"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        // The scratch file is deleted afterwards, so it need not survive a crash (no fsync, no rollback journal).
        // The replay mostly appends (the non-unique indexes come after it), so a 32 MiB page cache does: at a
        // million events a larger one was no faster, and two of them (two threads) would weigh on the daemon's RSS.
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF; PRAGMA cache_size = -32768")
            let name = try readOnlyURI(path: log, db)
            try db.execute(sql: "ATTACH DATABASE ? AS \(logSchema)", arguments: [name])
        }
        let result = try queue.write(body)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "DETACH DATABASE \(logSchema)") }
        return result
    }

    /// The name under which to attach the log at `path`: a `file:` URI with `mode=ro` (read-only), or the plain
    /// path when this SQLite does not read URI file names (the replay writes only to `main` all the same).
    private static func readOnlyURI(path: String, _ db: Database) throws -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "/-._~")
        guard try Bool.fetchOne(db, sql: "SELECT sqlite_compileoption_used('SQLITE_USE_URI')") == true,
            let escaped = absolute.addingPercentEncoding(withAllowedCharacters: allowed)
        else { return absolute }
        return "file:\(escaped)?mode=ro"
    }

    /// The last event's position and hash in the `event` table of `schema`, or ``LogHead/empty``.
    private static func head(inSchema schema: String, _ db: Database) throws -> LogHead {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT position, hash FROM \(schema).event ORDER BY position DESC LIMIT 1")
        else { return .empty }
        return LogHead(position: try row.decode(atIndex: 0), hash: try row.decode(atIndex: 1))
    }
}
