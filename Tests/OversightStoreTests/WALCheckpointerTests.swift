import Foundation
import GRDB
import Testing

@testable import OversightStore

/// The WAL is copied back into the database beside the writer, which keeps only a far-away automatic checkpoint.
struct WALCheckpointerTests {
    /// `mxFrame` (the last committed frame) and `nBackfill` (frames copied back) from the WAL index, read from the
    /// `-shm` file without a connection (a `PRAGMA wal_checkpoint` would copy the frames itself).
    private static func walIndex(_ path: String) throws -> (committed: UInt32, copied: UInt32) {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path + "-shm"))
        func word(_ offset: Int) -> UInt32 {
            bytes[offset..<offset + 4].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        }
        // WalIndexHdr (48 bytes) twice, then WalCkptInfo, whose first field is nBackfill (sqlite/src/wal.c).
        return (word(16), word(96))
    }

    @Test func `commits are copied back by the background checkpoint, not by the writer`() async throws {
        try await withTemporaryDatabaseAsync { path in
            let log = try openLog(path)
            let threshold = try await log.pool.writeWithoutTransaction { db in
                try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
            }
            #expect(threshold == WALCheckpointer.fallbackPages)
            for index in 0..<30 { try append(log, ["T"], to: "s-\(index)") }
            // Thirty small commits are far below the writer's own threshold: only the background copies them.
            // It runs on a dispatch queue within a few tens of milliseconds; the wait is long for a loaded machine.
            var index = try Self.walIndex(path)
            let deadline = ContinuousClock.now + .seconds(60)
            while index.copied != index.committed, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
                index = try Self.walIndex(path)
            }
            #expect(index.committed > 30)
            #expect(index.copied == index.committed, "copied \(index.copied) of \(index.committed) frames")
            #expect(try log.events(after: 0, limit: 100).count == 30)
        }
    }
}

/// ``withTemporaryDatabase(_:)`` for an async body.
private func withTemporaryDatabaseAsync(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("oversight-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try await body(directory.appendingPathComponent("events.sqlite").path)
}
