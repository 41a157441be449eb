import ArgumentParser
import Foundation
import OversightAudit
import OversightStore
import Varlink

extension OversightCtl.Log {
    /// `log export --from A --to B --format jsonl|csv FILE`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write events from..to to an archive file that verifies on its own.",
            discussion: """
                Each event is written exactly as stored (data and meta as the hashed texts), then an inclusion \
                proof of the last event in a signed checkpoint (one is signed if none covers --to yet). \
                `oversightctl audit verify-export FILE --key KEY` checks the archive with the public key alone. \
                FILE must not exist.
                Example: oversightctl log export --from 1 --to 5000 --format jsonl events-2024.jsonl
                """)

        @OptionGroup var options: GlobalOptions
        @Option(help: "The first position (default 1).") var from: Int = 1
        @Option(help: "The last position (default: the log's head).") var to: Int?
        @Option(help: "jsonl (JSON lines) or csv.") var format: String = "jsonl"
        @Argument(help: ArgumentHelp("The new archive file.", valueName: "file")) var file: String

        func validate() throws {
            guard from >= 1 else { throw ValidationError("--from must be 1 or more.") }
            if let to, to < from { throw ValidationError("--to must not be below --from.") }
            guard ExportArchive.Format(rawValue: format) != nil else {
                throw ValidationError("--format must be jsonl or csv, not '\(format)'.")
            }
        }

        func run() async throws {
            try AuditFiles.refuseExisting(file)
            let archiveFormat = ExportArchive.Format(rawValue: format) ?? .jsonl
            let connection = try await DaemonConnection.open(options)
            let info = try await connection.call("org.oversight.audit.Info")
            let head = info["headPosition"]?.intValue ?? 0
            let last = Int64(to ?? Int(head))
            guard last <= head, head > 0 else {
                await connection.close()
                throw AuditFiles.usage("--to \(last) is beyond the log's head \(head)")
            }
            guard Int64(from) <= last else {
                await connection.close()
                throw AuditFiles.usage("--from \(from) is beyond the log's head \(head)")
            }
            var events: [RawEvent] = []
            var after = Int64(from - 1)
            while after < last {
                let reply = try await connection.call(
                    "org.oversight.audit.Events", ["after": .int(after), "limit": .int(min(10_000, last - after))])
                let page = try (reply["events"]?.arrayValue ?? []).map(AuditFiles.rawEvent)
                guard let newest = page.last else { break }
                events += page.filter { $0.position <= last }
                after = newest.position
            }
            let proofReply = try await connection.call("org.oversight.audit.Prove", ["position": .int(last)])
            await connection.close()
            guard let checkpoint = try AuditFiles.signedCheckpoint(proofReply["checkpoint"]) else {
                throw AuditFiles.failure("the daemon sent no signed checkpoint for the proof")
            }
            let proof = InclusionProofDocument(
                extra: nil, index: last - 1, proof: try AuditFiles.hashes(proofReply["proof"]), checkpoint: checkpoint)
            let archive = ExportArchive(events: events, proof: proof)
            guard let verifier = try? AuditFiles.verifier(info["verifierKey"]?.stringValue ?? ""),
                (try? archive.verify(with: verifier)) != nil
            else {
                throw AuditFiles.failure("the archive does not verify against the daemon's key; nothing was written")
            }
            try AuditFiles.write(archive.encoded(archiveFormat), to: file)
            CLIOutput.note(
                "exported events \(from)–\(last) to \(file) with a checkpoint of size \(checkpoint.checkpoint.size)")
        }
    }
}
