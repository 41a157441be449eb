import ArgumentParser
import Foundation
import OversightAudit
import OversightStore
import Varlink

/// Reading and writing the audit artefacts the CLI handles: keys, checkpoints, proofs, archives.
enum AuditFiles {
    /// A verifier key given as text (`name+id+key`) or as the path of a file holding it.
    static func verifier(_ argument: String) throws -> NoteVerifier {
        let text: String
        if argument.contains("+") && !FileManager.default.fileExists(atPath: argument) {
            text = argument
        } else {
            text = try read(argument, what: "key file")
        }
        do {
            return try NoteVerifier(parsing: text)
        } catch {
            throw usage("--key: \(error)")
        }
    }

    /// A signed checkpoint read from a file.
    static func checkpoint(_ path: String, option: String) throws -> SignedCheckpoint {
        do {
            return try SignedCheckpoint(parsing: try read(path, what: "checkpoint file"))
        } catch let error as AuditError {
            throw usage("\(option) \(path): \(error)")
        }
    }

    /// The text of a file, or a usage error naming it.
    static func read(_ path: String, what: String) throws -> String {
        let data: Data
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw usage("cannot read the \(what) \(path): no such file or not readable")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw usage("the \(what) \(path) is not UTF-8 text")
        }
        return text
    }

    /// Writes `text` to a new file (refusing to overwrite), or to stdout for nil or `-`.
    static func write(_ text: String, to path: String?) throws {
        guard let path, path != "-" else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw usage("cannot create \(path)") }
        handle.write(Data(text.utf8))
        try handle.synchronize()
        try handle.close()
    }

    /// Whether a file exists at `path` (so that an output file is never overwritten).
    static func refuseExisting(_ path: String?) throws {
        if let path, path != "-", FileManager.default.fileExists(atPath: path) {
            throw usage("\(path) exists; give a new file name (nothing is overwritten)")
        }
    }

    /// A raw event from its wire form (`org.oversight.audit` type `RawEvent`).
    static func rawEvent(_ value: JSONValue) throws -> RawEvent {
        guard case .object(let object) = value else { throw failure("the daemon sent an event that is not an object") }
        var plain: [String: Any] = [:]
        for (key, value) in object {
            switch value {
            case .int(let number): plain[key] = NSNumber(value: number)
            case .string(let text): plain[key] = text
            default: break
            }
        }
        return try RawEvent(jsonObject: plain)
    }

    /// A signed checkpoint from the wire form (`org.oversight.audit` type `Checkpoint`).
    static func signedCheckpoint(_ value: JSONValue?) throws -> SignedCheckpoint? {
        guard let note = value?["note"]?.stringValue else { return nil }
        return try SignedCheckpoint(parsing: note)
    }

    /// Base64 hashes from the wire.
    static func hashes(_ value: JSONValue?) throws -> [Data] {
        try (value?.arrayValue ?? []).map { item in
            guard let text = item.stringValue, let hash = Data(base64Encoded: text), hash.count == 32 else {
                throw failure("the daemon sent a proof hash that is not base64 of 32 bytes")
            }
            return hash
        }
    }

    /// The tlog-proof `extra` of an event: its stored columns as one JSON line.
    static func extra(_ event: RawEvent) -> Data { Data(event.jsonLine.utf8) }

    /// The event an inclusion proof's `extra` carries.
    static func event(fromExtra extra: Data?) throws -> RawEvent {
        guard let extra,
            let object = try? JSONSerialization.jsonObject(with: extra) as? [String: Any]
        else { throw AuditError.malformedProof("the proof's extra line does not hold the event's columns") }
        return try RawEvent(jsonObject: object)
    }

    /// Exit 64 with a sentence.
    static func usage(_ message: String) -> any Error {
        CLIOutput.error(message)
        return ExitCode(64)
    }

    /// Exit 1 with a sentence.
    static func failure(_ message: String) -> any Error {
        CLIOutput.error(message)
        return ExitCode(1)
    }
}

/// Options of the audit commands that check signatures: the log's public key.
struct KeyOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The log's public key (note verifier format name+id+key, as `oversightctl audit key` prints it) or a "
                + "file holding it; keep a copy outside the office.",
            valueName: "key|file"))
    var key: String?
}
