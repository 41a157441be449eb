import Foundation
import GRDB
import OversightStore
import Testing

struct ProjectionTests {
    @Test func `a projection is applied in the append transaction and its checkpoint is at the head when it commits`()
        throws
    {
        struct Abort: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection()])
            try log.write { tx throws in
                _ = try tx.append(
                    [EventDraft(type: "A", data: "{}"), EventDraft(type: "B", data: "{}")], to: "s1",
                    expectedVersion: .any, meta: aliceMeta, recordedAt: fixedDate)
                // Visible inside the same, still open, transaction.
                #expect(try StreamCountProjection.counts(tx.db) == ["s1": 2])
                // The checkpoint moves once, just before the transaction commits.
                #expect(try StreamCountProjection.checkpoint(tx.db) == [1, 0])
            }
            try log.reader.read { db throws in
                #expect(try StreamCountProjection.checkpoint(db) == [1, 2])
            }
            #expect(throws: Abort.self) {
                try log.write { tx throws in
                    _ = try tx.append(
                        [EventDraft(type: "C", data: "{}")], to: "s2", expectedVersion: .any, meta: aliceMeta,
                        recordedAt: fixedDate)
                    throw Abort()
                }
            }
            try append(log, ["D"], to: "s1")
            try log.reader.read { db throws in
                #expect(try StreamCountProjection.counts(db) == ["s1": 3])
                #expect(try StreamCountProjection.checkpoint(db) == [1, 3])
            }
        }
    }

    @Test func `a failed savepoint rolls back the projection too`() throws {
        struct CommandFailed: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection()])
            try log.write { tx throws in
                _ = try tx.append(
                    [EventDraft(type: "A", data: "{}")], to: "kept", expectedVersion: .any, meta: aliceMeta,
                    recordedAt: fixedDate)
                _ = try? tx.savepoint {
                    _ = try tx.append(
                        [EventDraft(type: "A", data: "{}")], to: "dropped", expectedVersion: .any, meta: aliceMeta,
                        recordedAt: fixedDate)
                    throw CommandFailed()
                }
            }
            try log.reader.read { db throws in
                #expect(try StreamCountProjection.counts(db) == ["kept": 1])
                #expect(try StreamCountProjection.checkpoint(db) == [1, 1])
            }
        }
    }

    @Test func `a projection that throws undoes its append, which the caller may survive`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection(failingType: "Poison")])
            try log.write { tx throws in
                _ = try tx.append(
                    [EventDraft(type: "A", data: "{}")], to: "s", expectedVersion: .any, meta: aliceMeta,
                    recordedAt: fixedDate)
                #expect(throws: StreamCountProjection.Refused.self) {
                    try tx.append(
                        [EventDraft(type: "B", data: "{}"), EventDraft(type: "Poison", data: "{}")], to: "s",
                        expectedVersion: .any, meta: aliceMeta, recordedAt: fixedDate)
                }
                #expect(try tx.streamVersion("s") == 1)
            }
            #expect(try log.events(inStream: "s").map(\.type) == ["A"])
            try log.reader.read { db throws in #expect(try StreamCountProjection.counts(db) == ["s": 1]) }
        }
    }

    @Test func `a rebuild gives the same table as the live projection`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection()])
            for index in 0..<30 {
                try append(log, ["A"], to: "s\(index % 4)")
            }
            let live = try log.reader.read(StreamCountProjection.counts)
            #expect(live == ["s0": 8, "s1": 8, "s2": 7, "s3": 7])
            try log.write { tx in try tx.db.execute(sql: "DELETE FROM test_stream_count WHERE stream = 's0'") }
            #expect(try log.reader.read(StreamCountProjection.counts) != live)
            try log.rebuildProjections()
            #expect(try log.reader.read(StreamCountProjection.counts) == live)
            #expect(try log.reader.read { db in try StreamCountProjection.checkpoint(db) } == [1, 30])
        }
    }

    @Test func `a version bump at open rebuilds, and the same version does not`() throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path, projections: [StreamCountProjection(version: 1)])
                try append(log, ["A", "B"], to: "s")
                try log.write { tx throws in
                    try tx.db.execute(sql: "INSERT INTO test_stream_count (stream, count) VALUES ('marker', 99)")
                }
            }
            do {
                let log = try openLog(path, projections: [StreamCountProjection(version: 1)])
                #expect(try log.reader.read(StreamCountProjection.counts) == ["s": 2, "marker": 99])
            }
            let log = try openLog(path, projections: [StreamCountProjection(version: 2)])
            try log.reader.read { db throws in
                #expect(try StreamCountProjection.counts(db) == ["s": 2])
                #expect(try StreamCountProjection.checkpoint(db) == [2, 2])
            }
        }
    }

    @Test func `a projection added later is built from the whole log`() throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path)
                try append(log, ["A", "B"], to: "s1")
                try append(log, ["C"], to: "s2")
            }
            let log = try openLog(path, projections: [StreamCountProjection()])
            try log.reader.read { db throws in
                #expect(try StreamCountProjection.counts(db) == ["s1": 2, "s2": 1])
                #expect(try StreamCountProjection.checkpoint(db) == [1, 3])
            }
        }
    }

    @Test func `a projection behind the head catches up from its checkpoint at open`() throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path, projections: [StreamCountProjection()])
                try append(log, ["A", "B"], to: "s1")
                try log.write { tx throws in
                    try tx.db.execute(sql: "INSERT INTO test_stream_count (stream, count) VALUES ('marker', 99)")
                }
            }
            do {
                // Opened without the projection: its checkpoint stays at 2.
                let log = try openLog(path)
                try append(log, ["C", "D", "E"], to: "s2")
            }
            let log = try openLog(path, projections: [StreamCountProjection()])
            try log.reader.read { db throws in
                // The marker survives: the projection caught up instead of being rebuilt.
                #expect(try StreamCountProjection.counts(db) == ["s1": 2, "s2": 3, "marker": 99])
                #expect(try StreamCountProjection.checkpoint(db) == [1, 5])
            }
        }
    }

    @Test func `projections behind from different checkpoints each catch up from their own at open`() throws {
        typealias TypeLog = ShadowRebuildTests.TypeLogProjection
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path, projections: [StreamCountProjection(), TypeLog()])
                try append(log, ["A", "B"], to: "s1")
            }
            do {
                let log = try openLog(path, projections: [StreamCountProjection()])
                try append(log, ["C"], to: "s2")
            }
            do {
                let log = try openLog(path)
                try append(log, ["D", "E"], to: "s3")
            }
            let log = try openLog(
                path, projections: [StreamCountProjection(), TypeLog(), ShadowRebuildTests.FirstTypeProjection()])
            let caughtUp = try log.reader.read { db in
                try ShadowRebuildTests.contents(db) + ShadowRebuildTests.FirstTypeProjection.contents(db)
            }
            #expect(try log.reader.read(StreamCountProjection.counts) == ["s1": 2, "s2": 1, "s3": 2])
            for name in ["test-stream-count", "test-type-log", "test-first-type"] {
                #expect(try log.reader.read { db in try StreamCountProjection.checkpoint(db, name: name) } == [1, 5])
            }
            _ = try log.rebuildProjections(named: nil)
            #expect(
                try log.reader.read { db in
                    try ShadowRebuildTests.contents(db) + ShadowRebuildTests.FirstTypeProjection.contents(db)
                } == caughtUp)
        }
    }

    @Test func `two projections with one name are refused`() throws {
        try withTemporaryDatabase { path in
            #expect(throws: StoreError.duplicateProjection(name: "test-stream-count")) {
                try openLog(path, projections: [StreamCountProjection(), StreamCountProjection(version: 2)])
            }
        }
    }
}
