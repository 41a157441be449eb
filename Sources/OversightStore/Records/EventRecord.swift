import Foundation
import GRDB

/// Reading and writing rows of the `event` table.
enum EventRecord {
    /// The columns of the `event` table, in the order the helpers below expect.
    static let columns = "position, stream, version, type, data, meta, recorded_at, prev_hash, hash"

    /// Decodes full `event` rows, throwing ``StoreError/corrupt(_:)`` when a column is unreadable.
    static func decode(_ rows: [Row]) throws -> [RecordedEvent] {
        let decoder = JSONDecoder()
        return try rows.map { try decode($0, decoder: decoder) }
    }

    /// Decodes one full `event` row.
    static func decode(_ row: Row, decoder: JSONDecoder) throws -> RecordedEvent {
        let position = try column(row, 0, Int64.self, position: nil)
        let metaText = try column(row, 5, String.self, position: position)
        let recordedAtText = try column(row, 6, String.self, position: position)
        let meta: EventMetadata
        if let plain = EventMetadataParser.parse(metaText) {
            meta = plain
        } else {
            do {
                meta = try decoder.decode(EventMetadata.self, from: Data(metaText.utf8))
            } catch {
                throw StoreError.corrupt("the meta of event \(position) is not valid metadata JSON")
            }
        }
        guard let milliseconds = Timestamp.parse(recordedAtText) else {
            throw StoreError.corrupt("the recorded_at of event \(position) is not a UTC timestamp")
        }
        return RecordedEvent(
            position: position,
            stream: try column(row, 1, String.self, position: position),
            version: try column(row, 2, Int64.self, position: position),
            type: try column(row, 3, String.self, position: position),
            data: try column(row, 4, String.self, position: position),
            meta: meta,
            recordedAt: Timestamp.date(milliseconds: milliseconds),
            prevHash: try column(row, 7, Data.self, position: position),
            hash: try column(row, 8, Data.self, position: position))
    }

    private static func column<Value: DatabaseValueConvertible>(
        _ row: Row, _ index: Int, _ type: Value.Type, position: Int64?
    ) throws -> Value {
        do {
            return try row.decode(Value.self, atIndex: index)
        } catch {
            let name = columns.split(separator: ",")[index].trimmingCharacters(in: .whitespaces)
            let location = position.map { "event \($0)" } ?? "an event"
            throw StoreError.corrupt("the \(name) column of \(location) cannot be read")
        }
    }

    /// Encodes metadata as the JSON text stored (and hashed) in the `meta` column: sorted keys, no whitespace.
    static func encode(_ meta: EventMetadata) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(meta)
        guard let text = String(data: data, encoding: .utf8) else {
            throw StoreError.invalidEvent("the metadata cannot be encoded as UTF-8 JSON")
        }
        return text
    }

    /// The head of the log: the last event's position and hash, or ``LogHead/empty``.
    static func head(_ db: Database) throws -> LogHead {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT position, hash FROM event ORDER BY position DESC LIMIT 1"))
        else { return .empty }
        do {
            return LogHead(position: try row.decode(atIndex: 0), hash: try row.decode(atIndex: 1))
        } catch {
            throw StoreError.corrupt("the last event of the log cannot be read")
        }
    }
}
