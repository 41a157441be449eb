import Foundation
import GRDB
import OversightStore
import Testing

struct HashChainTests {
    /// Computed independently (Python hashlib) from the documented encoding.
    static let firstHashHex = "2c9c860e88aa250864c6315c3e3e7d1d4cf61762167ab1fe33b2324f8bc74e63"
    static let secondHashHex = "bddbd1d8709caeb6c79c125e08e27ed8dcb6c96e7766f8c2337e8f437a3fc1d7"

    @Test func `a fixed event has a fixed hash`() {
        let hash = HashChain.hash(
            prevHash: HashChain.zeroHash, position: 1, stream: "topic-2024-001", version: 1, type: "TopicPlanned",
            data: #"{"title":"Budget review"}"#, meta: #"{"actor":"alice","command_id":"cmd-1","uid":1000}"#,
            recordedAt: "2024-08-19T02:30:00.123Z")
        #expect(hex(hash) == Self.firstHashHex)
        #expect(HashChain.zeroHash == Data(count: 32))
    }

    @Test func `appending the fixed events stores the known hashes`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let recorded = try log.write { tx throws in
                try tx.append(
                    [
                        EventDraft(type: "TopicPlanned", data: #"{"title":"Budget review"}"#),
                        EventDraft(type: "TopicOpened", data: #"{"deadline":"2024-09-01"}"#),
                    ], to: "topic-2024-001", expectedVersion: .noStream, meta: aliceMeta, recordedAt: fixedDate)
            }
            #expect(recorded.map { hex($0.hash) } == [Self.firstHashHex, Self.secondHashHex])
            let stored = try log.reader.read { db in try Data.fetchAll(db, sql: "SELECT hash FROM event") }
            #expect(stored.map(hex) == [Self.firstHashHex, Self.secondHashHex])
        }
    }

    @Test func `an untouched log verifies intact`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            #expect(try log.verifyChain() == ChainVerification(checked: 0, head: .empty))
            try append(log, ["A", "B", "C"], to: "s1")
            try append(log, ["D"], to: "s2")
            let verification = try log.verifyChain()
            #expect(verification.isIntact)
            #expect(verification.checked == 4)
            #expect(verification.head == (try log.head()))
            #expect(verification.problem == nil)
            #expect(try verifyChain(ofDatabaseAt: path) == verification)
        }
    }

    enum Tampering: String, CaseIterable, CustomTestStringConvertible {
        case editData, editMeta, editRecordedAt, editLastEvent, deleteOne, swapTwo, changePrevHash, recomputeOneHash
        case insertBeforeFirst

        var testDescription: String { rawValue }

        /// The SQL that tampers with five events in stream `s`, and the first position that must be reported.
        var attack: (sql: String, firstBad: Int64, problem: String) {
            switch self {
            case .editData:
                ("UPDATE event SET data = '{\"n\":7}' WHERE position = 3", 3, "hash of event 3")
            case .editMeta:
                ("UPDATE event SET meta = '{\"actor\":\"mallory\"}' WHERE position = 2", 2, "hash of event 2")
            case .editRecordedAt:
                ("UPDATE event SET recorded_at = '2024-08-19T02:30:00.124Z' WHERE position = 4", 4, "hash of event 4")
            case .editLastEvent:
                ("UPDATE event SET type = 'Forged' WHERE position = 5", 5, "hash of event 5")
            case .deleteOne:
                ("DELETE FROM event WHERE position = 3", 3, "event 3 is missing")
            case .swapTwo:
                (
                    """
                    UPDATE event SET position = -2 WHERE position = 2;
                    UPDATE event SET position = 2 WHERE position = 4;
                    UPDATE event SET position = 4 WHERE position = -2;
                    """, 2, "prev_hash of event 2"
                )
            case .changePrevHash:
                ("UPDATE event SET prev_hash = zeroblob(32) WHERE position = 4", 4, "prev_hash of event 4")
            case .insertBeforeFirst:
                (
                    """
                    INSERT INTO event SELECT 0, stream, 0, type, data, meta, recorded_at, prev_hash, hash
                    FROM event WHERE position = 1
                    """, 0, "an event at position 0 precedes event 1"
                )
            case .recomputeOneHash:
                // Editing data and writing a matching hash still breaks the link to the next event.
                ("", 4, "prev_hash of event 4")
            }
        }
    }

    @Test(arguments: Tampering.allCases)
    func `tampering is reported at the first bad position`(tampering: Tampering) throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path)
                try append(log, ["A", "B", "C", "D", "E"], to: "s")
            }
            let queue = try rawQueue(path)
            try queue.write { db throws in
                try db.execute(
                    sql: """
                        DROP TRIGGER event_refuse_update;
                        DROP TRIGGER event_refuse_delete;
                        DROP TRIGGER event_refuse_out_of_order_insert;
                        """)
                if tampering == .recomputeOneHash {
                    let row = try #require(
                        try Row.fetchOne(
                            db,
                            sql: "SELECT stream, version, type, meta, recorded_at, prev_hash FROM event "
                                + "WHERE position = 3"))
                    let forgedData = #"{"n":42}"#
                    let forged = HashChain.hash(
                        prevHash: row["prev_hash"], position: 3, stream: row["stream"], version: row["version"],
                        type: row["type"], data: forgedData, meta: row["meta"], recordedAt: row["recorded_at"])
                    try db.execute(
                        sql: "UPDATE event SET data = ?, hash = ? WHERE position = 3", arguments: [forgedData, forged])
                } else {
                    try db.execute(sql: tampering.attack.sql)
                }
            }
            let log = try openLog(path)
            let verification = try log.verifyChain()
            #expect(!verification.isIntact)
            #expect(verification.firstBadPosition == tampering.attack.firstBad)
            #expect(verification.problem?.contains(tampering.attack.problem) == true)
            #expect(try verifyChain(ofDatabaseAt: path) == verification)
        }
    }

    @Test func `verification walks past batch boundaries and finds damage deep in the log`() throws {
        try withTemporaryDatabase { path in
            do {
                let log = try openLog(path)
                try log.write { tx throws in
                    for index in 0..<2_500 {
                        _ = try tx.append(
                            [EventDraft(type: "Tick", data: "{\"i\":\(index)}")], to: "s\(index % 7)",
                            expectedVersion: .any, meta: aliceMeta, recordedAt: fixedDate)
                    }
                }
                let verification = try log.verifyChain()
                #expect(verification.isIntact && verification.checked == 2_500)
                #expect(verification.head.position == 2_500)
            }
            let queue = try rawQueue(path)
            try queue.write { db throws in
                try db.execute(
                    sql: """
                        DROP TRIGGER event_refuse_update;
                        UPDATE event SET data = '{"i":0}' WHERE position = 1501;
                        """)
            }
            let verification = try verifyChain(ofDatabaseAt: path)
            #expect(verification.firstBadPosition == 1_501)
            #expect(verification.checked == 1_501)
            #expect(verification.head.position == 2_500)
        }
    }

    @Test func `verifying a missing or foreign file is refused`() throws {
        try withTemporaryDatabase { path in
            #expect(throws: StoreError.cannotOpen(path: path, reason: "no such file")) {
                try verifyChain(ofDatabaseAt: path)
            }
            let queue = try rawQueue(path)
            try queue.write { db in try db.execute(sql: "CREATE TABLE unrelated (x)") }
            #expect(throws: StoreError.cannotOpen(path: path, reason: "the file is not an Oversight event log")) {
                try verifyChain(ofDatabaseAt: path)
            }
        }
    }
}
