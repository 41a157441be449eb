import Foundation
import OversightAudit
import OversightStore

/// A log export for the archive: events exactly as stored, then an inclusion proof of the last one in a signed
/// checkpoint, so the file verifies on its own (`oversightctl audit verify-export`).
///
/// JSON lines: a header `{"format":"oversight-log-export@v1","from":A,"to":B,"origin":…}`, one line per event
/// (``RawEvent/jsonLine``: `data` and `meta` are the stored texts), and a trailer `{"tlogProof": …}`.
/// CSV (RFC 4180, UTF-8, CRLF): a header row `position,stream,version,type,recorded_at,data,meta,prev_hash,hash`,
/// one row per event, and a last row whose position is `tlog-proof` and whose `data` holds the proof. No cell is
/// altered (no spreadsheet-formula prefix): the cells are the hashed bytes.
struct ExportArchive {
    /// The archive's formats.
    enum Format: String, CaseIterable {
        case jsonl, csv
    }

    static let formatName = "oversight-log-export@v1"
    static let csvHeader = [
        "position", "stream", "version", "type", "recorded_at", "data", "meta", "prev_hash", "hash",
    ]

    var events: [RawEvent]
    var proof: InclusionProofDocument

    /// The archive as text in `format`.
    func encoded(_ format: Format) -> String {
        switch format {
        case .jsonl:
            let header: [String: Any] = [
                "format": Self.formatName, "from": events.first?.position ?? 0, "to": events.last?.position ?? 0,
                "origin": proof.checkpoint.checkpoint.origin,
            ]
            var lines = [Self.json(header)]
            lines += events.map(\.jsonLine)
            lines.append(Self.json(["tlogProof": proof.encoded]))
            return lines.joined(separator: "\n") + "\n"
        case .csv:
            var rows = [Self.csvHeader]
            for event in events {
                rows.append([
                    String(event.position), event.stream, String(event.version), event.type, event.recordedAt,
                    event.data, event.meta, event.prevHash.hex, event.hash.hex,
                ])
            }
            rows.append(["tlog-proof", "", "", "", "", proof.encoded, "", "", ""])
            return rows.map { $0.map(Self.csvCell).joined(separator: ",") + "\r\n" }.joined()
        }
    }

    /// Reads an archive in either format.
    init(parsing text: String) throws {
        if text.hasPrefix("{") {
            try self.init(jsonLines: text)
        } else {
            try self.init(csv: text)
        }
    }

    init(events: [RawEvent], proof: InclusionProofDocument) {
        self.events = events
        self.proof = proof
    }

    private init(jsonLines text: String) throws {
        var events: [RawEvent] = []
        var proof: InclusionProofDocument?
        for (number, line) in text.split(separator: "\n").enumerated() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw AuditError.malformedProof("line \(number + 1) is not a JSON object")
            }
            if number == 0 {
                guard object["format"] as? String == Self.formatName else {
                    throw AuditError.malformedProof("the first line does not name the format \(Self.formatName)")
                }
            } else if let trailer = object["tlogProof"] as? String {
                proof = try InclusionProofDocument(parsing: trailer)
            } else {
                do {
                    events.append(try RawEvent(jsonObject: object))
                } catch {
                    throw AuditError.malformedProof("line \(number + 1): \(error)")
                }
            }
        }
        guard let proof else { throw AuditError.malformedProof("the archive has no tlogProof trailer line") }
        self.init(events: events, proof: proof)
    }

    private init(csv text: String) throws {
        let rows = try Self.parseCSV(text)
        guard rows.first == Self.csvHeader else {
            throw AuditError.malformedProof("the first row is not \(Self.csvHeader.joined(separator: ","))")
        }
        var events: [RawEvent] = []
        var proof: InclusionProofDocument?
        for (number, row) in rows.enumerated().dropFirst() {
            guard row.count == Self.csvHeader.count else {
                throw AuditError.malformedProof("row \(number + 1) has \(row.count) cells, not \(Self.csvHeader.count)")
            }
            if row[0] == "tlog-proof" {
                proof = try InclusionProofDocument(parsing: row[5])
                continue
            }
            guard let position = Int64(row[0]), let version = Int64(row[2]), let prevHash = Data(hex: row[7]),
                let hash = Data(hex: row[8])
            else { throw AuditError.malformedProof("row \(number + 1) has a malformed position, version or hash") }
            events.append(
                RawEvent(
                    position: position, stream: row[1], version: version, type: row[3], data: row[5], meta: row[6],
                    recordedAt: row[4], prevHash: prevHash, hash: hash))
        }
        guard let proof else { throw AuditError.malformedProof("the archive has no tlog-proof row") }
        self.init(events: events, proof: proof)
    }

    /// Checks the archive on its own: each event's hash from its columns, each link to the one before, and the
    /// last event's inclusion in the signed checkpoint.
    ///
    /// - Returns: The first and last positions.
    func verify(with verifier: NoteVerifier) throws -> (Int64, Int64) {
        guard let first = events.first, let last = events.last else {
            throw AuditError.proofFailed("the archive holds no event")
        }
        var previous: RawEvent?
        for event in events {
            if let previous {
                guard event.position == previous.position + 1 else {
                    throw AuditError.proofFailed(
                        "event \(previous.position + 1) is missing (the next row is \(event.position))")
                }
                guard event.prevHash == previous.hash else {
                    throw AuditError.proofFailed("event \(event.position) is not linked to event \(previous.position)")
                }
            }
            guard event.recomputedHash == event.hash else {
                throw AuditError.proofFailed("event \(event.position) does not match its hash: it was altered")
            }
            previous = event
        }
        guard proof.index == last.position - 1 else {
            throw AuditError.proofFailed(
                "the proof is for position \(proof.index + 1), not the last event \(last.position)")
        }
        try proof.verify(leafHash: MerkleHash.leaf(last.hash), with: verifier)
        return (first.position, last.position)
    }

    private static func json(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func csvCell(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// RFC 4180 rows (quoted cells may hold commas, quotes and line breaks).
    static func parseCSV(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var characters = Array(text.unicodeScalars)[...]
        var cellStarted = false
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" {
                        characters.removeFirst()
                        cell.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    cell.unicodeScalars.append(character)
                }
                continue
            }
            switch character {
            case "\"" where !cellStarted:
                quoted = true
                cellStarted = true
            case ",":
                row.append(cell)
                cell = ""
                cellStarted = false
            case "\r" where characters.first == "\n":
                break
            case "\n":
                row.append(cell)
                rows.append(row)
                row = []
                cell = ""
                cellStarted = false
            default:
                cell.unicodeScalars.append(character)
                cellStarted = true
            }
        }
        if quoted { throw AuditError.malformedProof("a quoted CSV cell is not closed") }
        if cellStarted || !row.isEmpty {
            row.append(cell)
            rows.append(row)
        }
        return rows
    }
}
