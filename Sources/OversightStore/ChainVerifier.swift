import Foundation
import GRDB

/// Walks the hash chain of an `event` table in position order, in batches, and reports the first broken link.
enum ChainVerifier {
    /// How many rows are read at a time; the walk never holds more than this many events in memory.
    static let batchSize = 1000

    /// Verifies every event of the database; run it inside one read transaction so it sees one snapshot.
    static func verify(_ db: Database) throws -> ChainVerification {
        let head = try EventRecord.head(db)
        var checked: Int64 = 0
        var expectedPosition: Int64 = 1
        var previousHash = HashChain.zeroHash
        func broken(_ position: Int64, _ problem: String) -> ChainVerification {
            ChainVerification(checked: checked, head: head, firstBadPosition: position, problem: problem)
        }
        // Text columns are read as BLOBs so that the exact stored bytes are hashed. The first batch has no lower
        // bound, so that a row forged at position 0 or below is seen too.
        let select = """
            SELECT position, CAST(stream AS BLOB), version, CAST(type AS BLOB), CAST(data AS BLOB),
                CAST(meta AS BLOB), CAST(recorded_at AS BLOB), prev_hash, hash
            FROM event
            """
        var lastPosition: Int64?
        while true {
            let rows =
                if let lastPosition {
                    try Row.fetchAll(
                        db, sql: select + " WHERE position > ? ORDER BY position LIMIT ?",
                        arguments: [lastPosition, batchSize])
                } else {
                    try Row.fetchAll(db, sql: select + " ORDER BY position LIMIT ?", arguments: [batchSize])
                }
            if rows.isEmpty { break }
            for row in rows {
                checked += 1
                guard let position = try? row.decode(Int64.self, atIndex: 0) else {
                    return broken(expectedPosition, "the position after event \(expectedPosition - 1) is unreadable")
                }
                guard position >= expectedPosition else {
                    return broken(position, "an event at position \(position) precedes event 1")
                }
                guard position == expectedPosition else {
                    return broken(
                        expectedPosition,
                        "event \(expectedPosition) is missing: the next event is at position \(position)")
                }
                guard let stream = try? row.decode(Data.self, atIndex: 1),
                    let version = try? row.decode(Int64.self, atIndex: 2),
                    let type = try? row.decode(Data.self, atIndex: 3),
                    let data = try? row.decode(Data.self, atIndex: 4),
                    let meta = try? row.decode(Data.self, atIndex: 5),
                    let recordedAt = try? row.decode(Data.self, atIndex: 6),
                    let prevHash = try? row.decode(Data.self, atIndex: 7),
                    let hash = try? row.decode(Data.self, atIndex: 8)
                else {
                    return broken(position, "event \(position) has a column that cannot be read")
                }
                guard prevHash == previousHash else {
                    let expected = position == 1 ? "32 zero bytes" : "the hash of event \(position - 1)"
                    return broken(position, "the prev_hash of event \(position) is not \(expected)")
                }
                let recomputed = HashChain.hash(
                    prevHash: prevHash, position: position, stream: stream, version: version, type: type,
                    data: data, meta: meta, recordedAt: recordedAt)
                guard recomputed == hash else {
                    return broken(position, "the hash of event \(position) does not match its contents")
                }
                previousHash = hash
                lastPosition = position
                expectedPosition = position + 1
            }
        }
        return ChainVerification(checked: checked, head: head)
    }
}
