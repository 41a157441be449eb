import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension SQLiteEventLog {
    /// The schema name under which the rebuilt copy is attached to the writer connection for the swap.
    private static let shadowSchema = "oversight_rebuild_shadow"

    /// Rebuilds the named projections (every one when `names` is nil) in a copy of the database, then swaps the
    /// rebuilt tables in with one short write transaction, while appends continue.
    ///
    /// 1. A snapshot of the database is written with `VACUUM INTO` to a temporary file next to the log (as
    ///    ``backup(to:)`` does); it holds every event up to some position P and never blocks the writer.
    /// 2. The copy is opened on a connection of its own, and the projections are dropped, recreated and replayed
    ///    there up to P: appends continue on the log meanwhile.
    /// 3. One write transaction on the log's writer connection (so it serializes with appends) attaches the copy,
    ///    drops and recreates each projection's tables, fills them from the copy, applies the events appended
    ///    after P, and moves the checkpoints to the head. Readers (WAL) see the old tables until it commits.
    ///
    /// The copy is deleted in every case. A failure before the commit changes nothing in the log.
    ///
    /// - Parameters:
    ///   - names: The projections to rebuild; nil for every one.
    ///   - beforeSwap: Called after the copy is rebuilt and before the swap (tests append events there).
    /// - Returns: The names rebuilt and the head they are rebuilt up to.
    /// - Throws: ``StoreError/unknownProjection(name:known:)`` (nothing changed), ``StoreError/corrupt(_:)``, or a
    ///   database or file-system error (nothing changed).
    public func rebuildProjectionsOnline(
        named names: Set<String>?, beforeSwap: () throws -> Void = {}
    ) throws -> (rebuilt: [String], head: LogHead) {
        let runner = self.runner
        let selected = try runner.selection(named: names)
        let tables = try selected.map { (projection: $0, tables: try ProjectionRunner.tableNames(of: $0)) }
        let directory = (path as NSString).deletingLastPathComponent
        let copy = (directory as NSString).appendingPathComponent(
            ".rebuild-\(UUID().uuidString.prefix(8)).sqlite")
        defer {
            for suffix in ["", "-journal", "-wal", "-shm"] { unlink(copy + suffix) }
        }

        try snapshot(into: copy)
        let snapshotHead = try Self.rebuild(names: names, inCopyAt: copy, runner: runner)
        logger.debug(
            "Projections rebuilt in a copy",
            metadata: [LogKey.path: "\(copy)", LogKey.position: "\(snapshotHead.position)"])
        try beforeSwap()

        let head = try pool.writeWithoutTransaction { db -> LogHead in
            // ATTACH is refused inside a transaction: attach, run the swap's transaction, detach.
            try db.execute(sql: "ATTACH DATABASE ? AS \(Self.shadowSchema)", arguments: [copy])
            let swapped = Result {
                var head = LogHead.empty
                try db.inTransaction(.immediate) {
                    try runner.swapIn(tables, from: Self.shadowSchema, snapshot: snapshotHead, db)
                    head = try EventRecord.head(db)
                    return .commit
                }
                return head
            }
            try db.execute(sql: "DETACH DATABASE \(Self.shadowSchema)")
            return try swapped.get()
        }
        let rebuilt = selected.map(\.name)
        logger.info(
            "Projections rebuilt",
            metadata: [
                LogKey.projection: "\(rebuilt.joined(separator: ","))", LogKey.position: "\(head.position)",
            ])
        return (rebuilt, head)
    }

    /// Rebuilds the named projections in the copy at `path` on a connection of its own.
    ///
    /// - Returns: The copy's head (the position its tables are rebuilt up to).
    private static func rebuild(
        names: Set<String>?, inCopyAt path: String, runner: ProjectionRunner
    ) throws
        -> LogHead
    {
        var configuration = Configuration()
        configuration.label = "oversight.rebuild-copy"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        // The copy is scratch: deleted afterwards, so it need not survive a crash (no fsync, no rollback journal),
        // and a large page cache keeps the read models' indexes in memory while a million events are replayed.
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA journal_mode = OFF; PRAGMA cache_size = -131072")
        }
        let head = try queue.write { db in
            _ = try runner.rebuild(named: names, db)
            return try EventRecord.head(db)
        }
        try queue.close()
        return head
    }
}
