import Foundation

/// An event exactly as its row is stored: every text column byte for byte, so that its chain hash can be
/// recomputed anywhere (an export, the `extra` of an inclusion proof) without the database.
public struct RawEvent: Sendable, Equatable {
    public var position: Int64
    public var stream: String
    public var version: Int64
    public var type: String
    /// The `data` column: JSON text as stored.
    public var data: String
    /// The `meta` column: JSON text as stored.
    public var meta: String
    /// The `recorded_at` column, such as `2024-08-19T02:30:00.123Z`.
    public var recordedAt: String
    public var prevHash: Data
    public var hash: Data

    /// Creates a raw event from its columns.
    public init(
        position: Int64, stream: String, version: Int64, type: String, data: String, meta: String,
        recordedAt: String, prevHash: Data, hash: Data
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.type = type
        self.data = data
        self.meta = meta
        self.recordedAt = recordedAt
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The chain hash of these columns (``HashChain``), to compare with ``hash``.
    public var recomputedHash: Data {
        HashChain.hash(
            prevHash: prevHash, position: position, stream: stream, version: version, type: type, data: data,
            meta: meta, recordedAt: recordedAt)
    }

    /// The event as a JSON object whose `data` and `meta` are the stored texts (strings), hashes in hex.
    public var jsonObject: [String: Any] {
        [
            "position": position, "stream": stream, "version": version, "type": type, "data": data, "meta": meta,
            "recordedAt": recordedAt, "prevHash": prevHash.hex, "hash": hash.hex,
        ]
    }

    /// One line of compact JSON (sorted keys) holding ``jsonObject``.
    public var jsonLine: String {
        let data =
            (try? JSONSerialization.data(
                withJSONObject: jsonObject, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads the form written by ``jsonObject``.
    ///
    /// - Throws: ``StoreError/corrupt(_:)`` naming the missing or mistyped field.
    public init(jsonObject object: [String: Any]) throws {
        func field<T>(_ name: String, _: T.Type) throws -> T {
            guard let value = object[name] as? T else {
                throw StoreError.corrupt("the event's \(name) is missing or has the wrong type")
            }
            return value
        }
        func integer(_ name: String) throws -> Int64 {
            guard let number = object[name] as? NSNumber, Double(number.int64Value) == number.doubleValue else {
                throw StoreError.corrupt("the event's \(name) is missing or not an integer")
            }
            return number.int64Value
        }
        func hash(_ name: String) throws -> Data {
            guard let data = Data(hex: try field(name, String.self)), data.count == 32 else {
                throw StoreError.corrupt("the event's \(name) is not 64 hexadecimal digits")
            }
            return data
        }
        self.init(
            position: try integer("position"), stream: try field("stream", String.self),
            version: try integer("version"), type: try field("type", String.self),
            data: try field("data", String.self), meta: try field("meta", String.self),
            recordedAt: try field("recordedAt", String.self), prevHash: try hash("prevHash"), hash: try hash("hash"))
    }
}
