import Crypto
import Foundation

/// The hash chain that links every event to the one before it.
///
/// An event's hash is `SHA-256(prev_hash || encoding)`, where `prev_hash` is the 32-byte hash of the event at the
/// previous position (32 zero bytes for position 1) and `encoding` is the concatenation, in this order, of:
///
/// 1. `position` as an 8-byte big-endian two's-complement integer;
/// 2. `stream` as an 8-byte big-endian byte length followed by its UTF-8 bytes;
/// 3. `version` as an 8-byte big-endian two's-complement integer;
/// 4. `type` as length + UTF-8 bytes;
/// 5. `data` as length + UTF-8 bytes (the JSON text exactly as stored in the `data` column);
/// 6. `meta` as length + UTF-8 bytes (the JSON text exactly as stored in the `meta` column);
/// 7. `recorded_at` as length + UTF-8 bytes (the text exactly as stored, e.g. `2024-08-19T02:30:00.123Z`).
///
/// Every text field is hashed as stored in its column, so an auditor recomputes a hash from the row alone, with
/// no JSON parsing: for example in Python,
/// `sha256(prev + pos.to_bytes(8,'big') + len(s).to_bytes(8,'big') + s + ...)` over the column bytes.
public enum HashChain {
    /// The `prev_hash` of the first event: 32 zero bytes.
    public static let zeroHash = Data(repeating: 0, count: 32)

    /// Computes the hash of one event from its stored columns.
    ///
    /// - Parameters:
    ///   - prevHash: The hash of the previous event (``zeroHash`` for position 1).
    ///   - recordedAt: The `recorded_at` column text.
    /// - Returns: The 32-byte SHA-256 digest.
    public static func hash(
        prevHash: Data, position: Int64, stream: String, version: Int64, type: String, data: String, meta: String,
        recordedAt: String
    ) -> Data {
        hash(
            prevHash: prevHash, position: position, stream: Data(stream.utf8), version: version,
            type: Data(type.utf8), data: Data(data.utf8), meta: Data(meta.utf8), recordedAt: Data(recordedAt.utf8))
    }

    /// Computes the hash of one event from the raw bytes of its text columns.
    static func hash(
        prevHash: Data, position: Int64, stream: Data, version: Int64, type: Data, data: Data, meta: Data,
        recordedAt: Data
    ) -> Data {
        var hasher = SHA256()
        hasher.update(data: prevHash)
        appendInteger(position, to: &hasher)
        appendText(stream, to: &hasher)
        appendInteger(version, to: &hasher)
        appendText(type, to: &hasher)
        appendText(data, to: &hasher)
        appendText(meta, to: &hasher)
        appendText(recordedAt, to: &hasher)
        return Data(hasher.finalize())
    }

    private static func appendInteger(_ value: Int64, to hasher: inout SHA256) {
        withUnsafeBytes(of: value.bigEndian) { hasher.update(bufferPointer: $0) }
    }

    private static func appendText(_ bytes: Data, to hasher: inout SHA256) {
        appendInteger(Int64(bytes.count), to: &hasher)
        hasher.update(data: bytes)
    }
}
