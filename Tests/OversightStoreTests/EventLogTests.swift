import Foundation
import GRDB
import OversightStore
import Testing

struct EventLogTests {
    @Test func `appended events are read back by stream and after a position with a limit`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let first = try append(log, ["TopicPlanned", "TopicOpened"], to: "topic-a", expected: .noStream)
            try append(log, ["TopicPlanned"], to: "topic-b", expected: .noStream)
            try append(log, ["TopicClosed"], to: "topic-a", expected: .exactly(2))

            #expect(first.map(\.position) == [1, 2])
            #expect(first.map(\.version) == [1, 2])
            #expect(first[0].prevHash == HashChain.zeroHash)
            #expect(first[1].prevHash == first[0].hash)

            let streamA = try log.events(inStream: "topic-a")
            #expect(streamA.map(\.position) == [1, 2, 4])
            #expect(streamA.map(\.version) == [1, 2, 3])
            #expect(streamA.map(\.type) == ["TopicPlanned", "TopicOpened", "TopicClosed"])
            #expect(streamA.map(\.data) == [#"{"n":0}"#, #"{"n":1}"#, #"{"n":0}"#])
            #expect(streamA.allSatisfy { $0.meta == aliceMeta && $0.stream == "topic-a" })
            #expect(Array(streamA.prefix(2)) == first)
            #expect(try log.events(inStream: "nobody").isEmpty)

            let page = try log.events(after: 1, limit: 2)
            #expect(page.map(\.position) == [2, 3])
            #expect(page.map(\.stream) == ["topic-a", "topic-b"])
            #expect(try log.events(after: 0, limit: 100).map(\.position) == [1, 2, 3, 4])
            #expect(try log.events(after: 4, limit: 100).isEmpty)
            #expect(try log.events(after: 0, limit: 0).isEmpty)
            #expect(try log.head() == LogHead(position: 4, hash: streamA[2].hash))
        }
    }

    @Test func `an empty log has an empty head`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(try log.head() == LogHead(position: 0, hash: Data(repeating: 0, count: 32)))
            #expect(try log.events(after: 0, limit: 10).isEmpty)
        }
    }

    @Test func `the recording date is stored as UTC text truncated to the millisecond`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let recorded = try append(log, ["A"], to: "s", date: Date(timeIntervalSince1970: 1_724_034_600.123_9))
            #expect(recorded[0].recordedAt == fixedDate)
            #expect(try log.events(inStream: "s")[0].recordedAt == fixedDate)
            let text = try log.reader.read { db throws in
                try String.fetchOne(db, sql: "SELECT recorded_at FROM event WHERE position = 1")
            }
            #expect(text == "2024-08-19T02:30:00.123Z")
            let meta = try log.reader.read { db in try String.fetchOne(db, sql: "SELECT meta FROM event") }
            #expect(meta == #"{"actor":"alice","command_id":"cmd-1","uid":1000}"#)
        }
    }

    @Test func `an expected-version conflict is a typed error naming the stream and versions and writes nothing`()
        throws
    {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try append(log, ["A", "B", "C"], to: "topic-x")
            let headBefore = try log.head()
            try log.write { tx throws in
                #expect(throws: StoreError.versionConflict(stream: "topic-x", expected: .exactly(2), actual: 3)) {
                    try tx.append(
                        [EventDraft(type: "D", data: "{}")], to: "topic-x", expectedVersion: .exactly(2),
                        meta: aliceMeta, recordedAt: fixedDate)
                }
                #expect(try tx.streamVersion("topic-x") == 3)
            }
            #expect(try log.head() == headBefore)
            #expect(try log.events(inStream: "topic-x").count == 3)

            let error = StoreError.versionConflict(stream: "topic-x", expected: .exactly(2), actual: 3)
            #expect(error.description.hasPrefix("stream topic-x is at version 3, the command expected 2"))
        }
    }

    @Test func `a conflict thrown out of write rolls back the earlier appends of that write`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try append(log, ["A"], to: "existing")
            #expect(throws: StoreError.versionConflict(stream: "existing", expected: .noStream, actual: 1)) {
                try log.write { tx throws in
                    _ = try tx.append(
                        [EventDraft(type: "A", data: "{}")], to: "fresh", expectedVersion: .noStream, meta: aliceMeta,
                        recordedAt: fixedDate)
                    _ = try tx.append(
                        [EventDraft(type: "B", data: "{}")], to: "existing", expectedVersion: .noStream,
                        meta: aliceMeta, recordedAt: fixedDate)
                }
            }
            #expect(try log.events(inStream: "fresh").isEmpty)
            #expect(try log.head().position == 1)
        }
    }

    @Test func `noStream is refused on an existing stream and accepted on a new one`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try append(log, ["A"], to: "topic-y", expected: .noStream)
            #expect(throws: StoreError.versionConflict(stream: "topic-y", expected: .noStream, actual: 1)) {
                try append(log, ["B"], to: "topic-y", expected: .noStream)
            }
            #expect(throws: StoreError.versionConflict(stream: "topic-z", expected: .exactly(1), actual: 0)) {
                try append(log, ["B"], to: "topic-z", expected: .exactly(1))
            }
            #expect(try append(log, ["B"], to: "topic-y", expected: .exactly(1)).map(\.version) == [2])
            #expect(try log.write { tx in try tx.streamVersion("topic-y") } == 2)
            #expect(try log.write { tx in try tx.streamVersion("topic-z") } == 0)
        }
    }

    @Test func `a failed savepoint rolls back only its own writes`() throws {
        struct CommandFailed: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try log.write { tx throws in
                _ = try tx.append(
                    [EventDraft(type: "A", data: "{}")], to: "first", expectedVersion: .any, meta: aliceMeta,
                    recordedAt: fixedDate)
                #expect(throws: CommandFailed.self) {
                    try tx.savepoint {
                        _ = try tx.append(
                            [EventDraft(type: "B", data: "{}")], to: "second", expectedVersion: .any, meta: aliceMeta,
                            recordedAt: fixedDate)
                        try tx.recordCommand(StoredCommand(id: "cmd-2", requestHash: "h2", result: "{}", position: 2))
                        throw CommandFailed()
                    }
                }
                let value = try tx.savepoint {
                    try tx.append(
                        [EventDraft(type: "C", data: "{}")], to: "third", expectedVersion: .any, meta: aliceMeta,
                        recordedAt: fixedDate)
                }
                #expect(value.map(\.position) == [2])
                #expect(try tx.storedCommand(id: "cmd-2") == nil)
            }
            #expect(try log.events(after: 0, limit: 10).map(\.stream) == ["first", "third"])
            #expect(try log.events(inStream: "second").isEmpty)
            #expect(try log.verifyChain().isIntact)
            #expect(try log.write { tx in try tx.storedCommand(id: "cmd-2") } == nil)
        }
    }

    @Test func `a savepoint that cannot be rolled back refuses the whole batch instead of committing it`() throws {
        struct CommandFailed: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            var caught: (any Error)?
            do {
                try log.write { tx throws in
                    _ = try tx.append(
                        [EventDraft(type: "A", data: "{}")], to: "first", expectedVersion: .any, meta: aliceMeta,
                        recordedAt: fixedDate)
                    // The failing command releases the savepoint itself, so ROLLBACK TO finds none: what it
                    // wrote after that cannot be undone, and the batch must not commit (the error is caught here,
                    // as the writer catches a command's failure and goes on with the batch).
                    #expect(throws: CommandFailed.self) {
                        try tx.savepoint {
                            try tx.db.execute(sql: "RELEASE SAVEPOINT oversight")
                            _ = try tx.append(
                                [EventDraft(type: "B", data: "{}")], to: "second", expectedVersion: .any,
                                meta: aliceMeta, recordedAt: fixedDate)
                            throw CommandFailed()
                        }
                    }
                }
            } catch {
                caught = error
            }
            let error = try #require(caught)
            #expect("\(error)".contains("no such savepoint"), "\(error)")
            #expect(try log.head().position == 0, "neither the command before nor the failed one is committed")
            // The log is usable at once.
            try append(log, ["A"], to: "first")
            #expect(try log.events(after: 0, limit: 10).map(\.stream) == ["first"])
            #expect(try log.verifyChain().isIntact)
        }
    }

    @Test func `an error thrown out of write rolls back everything it wrote`() throws {
        struct Boom: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(throws: Boom.self) {
                try log.write { tx throws in
                    _ = try tx.append(
                        [EventDraft(type: "A", data: "{}")], to: "s", expectedVersion: .any, meta: aliceMeta,
                        recordedAt: fixedDate)
                    try tx.recordCommand(StoredCommand(id: "c", requestHash: "h", result: "{}", position: 1))
                    throw Boom()
                }
            }
            #expect(try log.head().position == 0)
            #expect(try log.write { tx in try tx.storedCommand(id: "c") } == nil)
        }
    }

    @Test func `many appends in one write get consecutive positions and one chain`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let recorded = try log.write { tx throws in
                try (0..<10).flatMap { index in
                    try tx.append(
                        [EventDraft(type: "A", data: "{}"), EventDraft(type: "B", data: "[]")], to: "s\(index % 3)",
                        expectedVersion: .any, meta: aliceMeta, recordedAt: fixedDate)
                }
            }
            #expect(recorded.map(\.position) == Array(1...20))
            #expect(zip(recorded.dropFirst(), recorded).allSatisfy { $0.prevHash == $1.hash })
            #expect(try log.events(inStream: "s0").map(\.version) == Array(1...8))
            let verification = try log.verifyChain()
            #expect(verification.isIntact && verification.checked == 20)
        }
    }

    @Test func `command records round trip and a reused id is refused`() throws {
        try withTemporaryDatabase { path in
            let command = StoredCommand(id: "cmd-9", requestHash: "abc", result: #"{"positions":[1]}"#, position: 1)
            do {
                let log = try openLog(path)
                try log.write { tx throws in
                    #expect(try tx.storedCommand(id: "cmd-9") == nil)
                    try tx.recordCommand(command)
                    #expect(try tx.storedCommand(id: "cmd-9") == command)
                }
            }
            let log = try openLog(path)
            #expect(try log.write { tx in try tx.storedCommand(id: "cmd-9") } == command)
            #expect(throws: StoreError.commandIDReused(id: "cmd-9")) {
                try log.write { tx throws in
                    try tx.recordCommand(StoredCommand(id: "cmd-9", requestHash: "other", result: "{}", position: 2))
                }
            }
            #expect(throws: StoreError.commandAlreadyRecorded(id: "cmd-9")) {
                try log.write { tx in try tx.recordCommand(command) }
            }
            #expect(try log.write { tx in try tx.storedCommand(id: "cmd-9") } == command)
        }
    }

    @Test(arguments: [
        "UPDATE event SET data = '{\"n\":99}' WHERE position = 1",
        "DELETE FROM event WHERE position = 1",
        "DELETE FROM event",
        "INSERT OR REPLACE INTO event SELECT * FROM event WHERE position = 1",
        """
        INSERT INTO event (position, stream, version, type, data, meta, recorded_at, prev_hash, hash)
        SELECT 10, stream, 99, type, data, meta, recorded_at, prev_hash, hash FROM event WHERE position = 1
        """,
    ])
    func `the triggers refuse to change existing events`(sql: String) throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let recorded = try append(log, ["A", "B"], to: "s")
            let error = #expect(throws: DatabaseError.self) {
                try log.write { tx in try tx.db.execute(sql: sql) }
            }
            #expect(error?.message?.contains("the event log is append-only") == true)
            #expect(try log.events(after: 0, limit: 10) == recorded)

            // A plain connection, outside the store, is refused too.
            let queue = try rawQueue(path)
            let rawError = #expect(throws: DatabaseError.self) {
                try queue.write { db in try db.execute(sql: sql) }
            }
            #expect(rawError?.message?.contains("append-only") == true)
        }
    }

    @Test func `reopening the file keeps the events and the head`() throws {
        try withTemporaryDatabase { path in
            let (recorded, head): ([RecordedEvent], LogHead) = try {
                let log = try openLog(path)
                try append(log, ["A", "B"], to: "s1")
                try append(log, ["C"], to: "s2")
                return (try log.events(after: 0, limit: 10), try log.head())
            }()
            let reopened = try openLog(path)
            #expect(try reopened.events(after: 0, limit: 10) == recorded)
            #expect(try reopened.head() == head)
            #expect(head.position == 3)
            #expect(try reopened.verifyChain() == ChainVerification(checked: 3, head: head))
            let next = try append(reopened, ["D"], to: "s1", expected: .exactly(2))
            #expect(next[0].position == 4 && next[0].prevHash == head.hash)
        }
    }

    @Test func `the writer is synchronous FULL and the journal is WAL`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(try log.synchronousMode() == 2)
            let journalMode = try log.reader.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
            #expect(journalMode == "wal")
            try append(log, ["A"], to: "s")
            #expect(try log.synchronousMode() == 2)
            #expect(log.path == path)
            #expect(try log.databaseSize() > 0)
        }
    }

    @Test(arguments: [
        ("", "TopicPlanned", "{}", "alice"),
        ("s", "", "{}", "alice"),
        ("s", "TopicPlanned", "not json", "alice"),
        ("s", "TopicPlanned", #"{"a":"#, "alice"),
        ("s", "TopicPlanned", "{}", ""),
    ])
    func `malformed events are refused with invalidEvent and nothing is written`(
        stream: String, type: String, data: String, actor: String
    ) throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let error = #expect(throws: StoreError.self) {
                try log.write { tx throws in
                    try tx.append(
                        [EventDraft(type: type, data: data)], to: stream, expectedVersion: .any,
                        meta: EventMetadata(actor: actor), recordedAt: fixedDate)
                }
            }
            guard case .invalidEvent = error else {
                Issue.record("expected invalidEvent, got \(String(describing: error))")
                return
            }
            #expect(try log.head().position == 0)
        }
    }

    @Test func `a date outside years 1 to 9999 is refused`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(throws: StoreError.invalidEvent("the recording date is outside years 1 to 9999")) {
                try append(log, ["A"], to: "s", date: Date(timeIntervalSince1970: 1e15))
            }
            #expect(try log.head().position == 0)
        }
    }

    @Test func `an empty append checks the version and writes nothing`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(try append(log, [], to: "s", expected: .noStream).isEmpty)
            #expect(throws: StoreError.versionConflict(stream: "s", expected: .exactly(3), actual: 0)) {
                try append(log, [], to: "s", expected: .exactly(3))
            }
            #expect(try log.head().position == 0)
        }
    }

    @Test func `a reader sees a write as soon as write returns`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            for index in 1...5 {
                try append(log, ["A"], to: "s")
                let count = try log.reader.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") }
                #expect(count == index)
            }
        }
    }

    @Test func `a forged position at the top of the range is refused instead of overflowing`() throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path)
                try append(log, ["A"], to: "s")
            }
            let queue = try rawQueue(path)
            try queue.write { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER event_refuse_out_of_order_insert;
                        INSERT INTO event SELECT 9223372036854775807, 'forged', 1, type, data, meta, recorded_at,
                            prev_hash, hash FROM event WHERE position = 1;
                        """)
            }
            let log = try openLog(path)
            let error = #expect(throws: StoreError.self) { try append(log, ["B"], to: "s") }
            guard case .corrupt = error else {
                Issue.record("expected corrupt, got \(String(describing: error))")
                return
            }
            #expect(try log.verifyChain().firstBadPosition == 2)
        }
    }
}
