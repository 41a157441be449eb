import Foundation
import GRDB
import Testing

@testable import OversightStore

/// A full database (SQLite's `max_page_count`, so no root is needed) gives typed errors, keeps what was
/// committed, and takes writes again once there is room.
struct StorageFullTests {
    /// Limits the writer connection to the pages the file has now, plus `extra`.
    private func limitPages(_ log: SQLiteEventLog, extra: Int) throws {
        try log.pool.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + extra)")
        }
    }

    private func bigDraft(_ index: Int) -> EventDraft {
        EventDraft(type: "Big", data: "{\"n\":\(index),\"text\":\"\(String(repeating: "x", count: 20_000))\"}")
    }

    @Test func `a full database refuses appends with storageFull, keeps reads, and recovers`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try append(log, ["A", "B", "C"], to: "s")
            try limitPages(log, extra: 0)

            // One command per savepoint, as the writer's group commit does: none fits, each says why.
            var failures: [StoreError] = []
            do {
                try log.write { transaction in
                    for index in 0..<5 {
                        do {
                            _ = try transaction.savepoint {
                                try transaction.append(
                                    [bigDraft(index)], to: "big-\(index)", expectedVersion: .any, meta: aliceMeta,
                                    recordedAt: fixedDate)
                            }
                        } catch let error as StoreError {
                            failures.append(error)
                        }
                    }
                }
            } catch let error as StoreError {
                failures.append(error)
            }
            #expect(!failures.isEmpty)
            for failure in failures {
                guard case .storageFull(let message) = failure else {
                    Issue.record("expected storageFull, got \(failure)")
                    continue
                }
                #expect(!message.isEmpty)
                #expect(failure.description.contains("disk holding the event log is full"))
            }
            #expect(try log.head().position == 3)
            #expect(try log.events(after: 0, limit: 10).count == 3)

            // Room again: the next write succeeds and the chain is whole.
            try limitPages(log, extra: 100_000)
            try log.write { transaction in
                _ = try transaction.append(
                    [bigDraft(0)], to: "big-0", expectedVersion: .noStream, meta: aliceMeta, recordedAt: fixedDate)
            }
            #expect(try log.head().position == 4)
            #expect(try log.verifyChain().isIntact)
        }
    }

    @Test func `an abort caused by an earlier storage failure is reported as that failure`() {
        let recorder = StorageFailureRecorder()
        let abort = DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted")
        #expect((recorder.translate(abort) as? DatabaseError)?.resultCode == .SQLITE_ABORT)
        let ioError = DatabaseError(resultCode: .SQLITE_IOERR_WRITE, message: "disk I/O error")
        #expect(recorder.translate(ioError) as? StoreError == .storageFailed("disk I/O error"))
        #expect(recorder.translate(abort) as? StoreError == .storageFailed("disk I/O error"))
        #expect(recorder.translate(StoreError.commandIDReused(id: "x")) as? StoreError == .commandIDReused(id: "x"))
    }
}
