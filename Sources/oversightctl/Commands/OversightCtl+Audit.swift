import ArgumentParser
import Foundation
import OversightAudit
import OversightStore
import Varlink

extension OversightCtl {
    /// `oversightctl audit …`: signed checkpoints and proofs an auditor checks without trusting the office.
    struct Audit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Signed checkpoints, inclusion and consistency proofs, offline verification.",
            discussion: """
                oversightd keeps an RFC 6962 Merkle tree over the event hashes and signs checkpoints of it (C2SP \
                tlog-checkpoint, Ed25519) every N events, every T minutes and on demand. Keep the public key \
                (`audit key`) and a checkpoint now and then outside the office: with them alone an auditor can \
                prove that no recorded event was altered, removed or re-ordered since.
                Examples:
                  oversightctl audit key > oversight.pub
                  oversightctl audit checkpoint > cp-2024-12-31.txt
                  oversightctl audit prove 120 > event-120.tlog-proof
                  oversightctl audit verify-proof event-120.tlog-proof --key oversight.pub
                  oversightctl audit consistency --old cp-2024-12-31.txt --key oversight.pub
                  oversightctl audit verify-db /var/lib/oversight/backups/2024-12-31.sqlite --key oversight.pub
                """,
            subcommands: [
                Info.self, Key.self, Checkpoint.self, Checkpoints.self, Prove.self, Consistency.self, VerifyProof.self,
                VerifyDB.self, VerifyExport.self,
            ]
        )
    }
}

extension OversightCtl.Audit {
    /// `audit info`.
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The log's key, the checkpoint policy, the audit mirror and the newest checkpoint.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            guard let reply = try await DaemonConnection.request(options, "org.oversight.audit.Info") else { return }
            let every = reply["checkpointEvery"]?.intValue ?? 0
            let interval = reply["checkpointIntervalSeconds"]?.intValue
            var policy = every > 0 ? "every \(every) events" : "not by count"
            policy += interval.map { ", every \($0) s while the log grows" } ?? ", not by time"
            var table = TextTable(headers: ["", ""])
            table.showsHeaders = false
            table.maximumCellWidth = 100
            table.rows = [
                ["Public key:", reply["verifierKey"]?.stringValue ?? ""],
                ["Origin:", reply["origin"]?.stringValue ?? ""],
                ["Log head:", String(reply["headPosition"]?.intValue ?? 0)],
                ["Checkpoints:", policy + ", and on demand"],
                [
                    "Newest checkpoint:",
                    reply["latest"].map {
                        "size \($0["size"]?.intValue ?? 0), signed \($0["signedAt"]?.stringValue ?? "")"
                    }
                        ?? "none yet",
                ],
                ["Audit mirror:", reply["mirror"]?.stringValue ?? "off"],
                ["Mirror problem:", reply["mirrorProblem"]?.stringValue ?? "none"],
            ]
            CLIOutput.line(table.render())
        }
    }

    /// `audit key`.
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the log's public key (note verifier format) for witnesses to keep.")

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            guard let reply = try await DaemonConnection.request(options, "org.oversight.audit.Info") else { return }
            CLIOutput.line(reply["verifierKey"]?.stringValue ?? "")
        }
    }

    /// `audit checkpoint`.
    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the newest signed checkpoint (a C2SP signed note), signing one first with --now.",
            discussion: "Example: oversightctl audit checkpoint --now > checkpoint-$(date +%F).txt")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Sign a checkpoint of the log as it is now (if none has this size yet) and print it.")
        var now = false

        func run() async throws {
            let method = now ? "org.oversight.audit.Sign" : "org.oversight.audit.Latest"
            guard let reply = try await DaemonConnection.request(options, method) else { return }
            guard let note = reply["checkpoint"]?["note"]?.stringValue else {
                throw AuditFiles.failure(
                    "no checkpoint has been signed yet; `oversightctl audit checkpoint --now` signs one")
            }
            FileHandle.standardOutput.write(Data(note.utf8))
        }
    }

    /// `audit checkpoints`.
    struct Checkpoints: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the signed checkpoints, newest first.")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only checkpoints of a tree smaller than this size.") var before: Int?
        @Option(help: "At most this many (1 to 10000).") var limit: Int = 20

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000.") }
            if let before, before < 1 { throw ValidationError("--before must be 1 or more.") }
        }

        func run() async throws {
            var parameters: [String: JSONValue] = ["limit": .int(Int64(limit))]
            parameters["before"] = before.map { .int(Int64($0)) }
            guard let reply = try await DaemonConnection.request(options, "org.oversight.audit.Checkpoints", parameters)
            else { return }
            var table = TextTable(headers: ["SIZE", "SIGNED AT", "ROOT HASH"])
            table.maximumCellWidth = 60
            table.rows = (reply["checkpoints"]?.arrayValue ?? []).map { checkpoint in
                [
                    String(checkpoint["size"]?.intValue ?? 0), checkpoint["signedAt"]?.stringValue ?? "",
                    checkpoint["rootHash"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(table.rows.isEmpty ? "No checkpoint signed yet." : table.render())
        }
    }

    /// `audit prove POSITION`.
    struct Prove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an inclusion proof of one event (C2SP tlog-proof), checked before it is printed.",
            discussion: """
                The proof carries the event's stored columns (its `extra` line), so a verifier recomputes the event's \
                hash, then its place in the signed tree. Without --checkpoint it leads to the newest checkpoint \
                (one is signed first if the newest does not cover POSITION).
                Example: oversightctl audit prove 120 --checkpoint cp-2024-12-31.txt -o event-120.tlog-proof
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var key: KeyOption
        @Argument(help: "The event's log position.") var position: Int
        @Option(help: ArgumentHelp("Prove inclusion in this checkpoint (a file).", valueName: "file"))
        var checkpoint: String?
        @Option(
            name: [.short, .customLong("output")],
            help: ArgumentHelp("Write the proof to a new file.", valueName: "file"))
        var output: String?

        func validate() throws {
            guard position >= 1 else { throw ValidationError("POSITION must be 1 or more.") }
        }

        func run() async throws {
            try AuditFiles.refuseExisting(output)
            let given = try checkpoint.map { try AuditFiles.checkpoint($0, option: "--checkpoint") }
            let connection = try await DaemonConnection.open(options)
            let verifier = try await resolveVerifier(key.key, connection)
            var parameters: [String: JSONValue] = ["position": .int(Int64(position))]
            if let given { parameters["treeSize"] = .int(given.checkpoint.size) }
            let reply = try await connection.call("org.oversight.audit.Prove", parameters)
            await connection.close()
            let event = try AuditFiles.rawEvent(reply["event"] ?? .null)
            guard let signed = try given ?? AuditFiles.signedCheckpoint(reply["checkpoint"]) else {
                throw AuditFiles.failure("the daemon has no signed checkpoint of that size")
            }
            let document = InclusionProofDocument(
                extra: AuditFiles.extra(event), index: event.position - 1, proof: try AuditFiles.hashes(reply["proof"]),
                checkpoint: signed)
            do {
                try ProofCheck.inclusion(document, verifier: verifier)
            } catch {
                throw AuditFiles.failure("the proof does not verify: \(error)")
            }
            try AuditFiles.write(document.encoded, to: output)
        }
    }

    /// `audit consistency --old FILE`.
    struct Consistency: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove that the log behind an old checkpoint is a prefix of today's log.",
            discussion: """
                Fetches the RFC 6962 consistency proof from the old checkpoint's size to the new one's (the newest \
                checkpoint unless --new is given), checks both signatures with the key and the proof, and prints \
                the proof document. Exit 0: consistent; 1: the log was rewritten (the message says from where).
                Example: oversightctl audit consistency --old cp-2024-06-30.txt --key oversight.pub
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var key: KeyOption
        @Option(help: ArgumentHelp("The old checkpoint (a file a witness kept).", valueName: "file")) var old: String
        @Option(help: ArgumentHelp("The new checkpoint (default: the newest).", valueName: "file")) var new: String?
        @Option(
            name: [.short, .customLong("output")],
            help: ArgumentHelp("Write the proof to a new file.", valueName: "file"))
        var output: String?

        func run() async throws {
            try AuditFiles.refuseExisting(output)
            let oldCheckpoint = try AuditFiles.checkpoint(old, option: "--old")
            let newCheckpoint = try new.map { try AuditFiles.checkpoint($0, option: "--new") }
            let connection = try await DaemonConnection.open(options)
            let verifier = try await resolveVerifier(key.key, connection)
            do {
                _ = try oldCheckpoint.verified(by: verifier)
            } catch {
                throw AuditFiles.failure("the old checkpoint \(old): \(error)")
            }
            var parameters: [String: JSONValue] = ["oldSize": .int(oldCheckpoint.checkpoint.size)]
            if let newCheckpoint { parameters["newSize"] = .int(newCheckpoint.checkpoint.size) }
            let reply: [String: JSONValue]
            do {
                reply = try await connection.client.call("org.oversight.audit.Consistency", parameters)
            } catch let error as VarlinkError where error.name.hasSuffix(".InvalidArgument") {
                await connection.close()
                throw AuditFiles.failure(
                    "NOT CONSISTENT: \(ErrorWords.describe(error)); the old checkpoint covers "
                        + "\(oldCheckpoint.checkpoint.size) events: the log lost events it had")
            } catch let error as VarlinkError {
                await connection.close()
                CLIOutput.error(ErrorWords.describe(error, method: "org.oversight.audit.Consistency"))
                throw ExitCode(ErrorWords.exitCode(error))
            }
            await connection.close()
            let logRoot = reply["oldRoot"]?.stringValue ?? ""
            guard logRoot == oldCheckpoint.checkpoint.rootHash.base64EncodedString() else {
                throw AuditFiles.failure(
                    "NOT CONSISTENT: the log's first \(oldCheckpoint.checkpoint.size) events have the root \(logRoot), "
                        + "the old checkpoint signed \(oldCheckpoint.checkpoint.rootHash.base64EncodedString()): "
                        + "events up to position \(oldCheckpoint.checkpoint.size) were altered, removed or re-ordered")
            }
            guard let signedNew = try newCheckpoint ?? AuditFiles.signedCheckpoint(reply["checkpoint"]) else {
                throw AuditFiles.failure("the daemon has no signed checkpoint of that size")
            }
            let document = ConsistencyProofDocument(
                old: oldCheckpoint, new: signedNew, proof: try AuditFiles.hashes(reply["proof"]))
            do {
                try document.verify(with: verifier)
            } catch {
                throw AuditFiles.failure("NOT CONSISTENT: \(error)")
            }
            try AuditFiles.write(document.encoded, to: output)
            CLIOutput.note(
                "consistent: the log of size \(signedNew.checkpoint.size) extends the checkpoint of size "
                    + "\(oldCheckpoint.checkpoint.size), signed by \(verifier.name)")
        }
    }
}

/// The key to check signatures with: `--key`, else the daemon's own (said on stderr: a witness passes its copy).
func resolveVerifier(_ key: String?, _ connection: DaemonConnection) async throws -> NoteVerifier {
    if let key { return try AuditFiles.verifier(key) }
    let info = try await connection.call("org.oversight.audit.Info")
    CLIOutput.note("note: checking with the daemon's own key; pass --key with a copy kept outside the office")
    return try AuditFiles.verifier(info["verifierKey"]?.stringValue ?? "")
}

/// The offline checks of proof documents.
enum ProofCheck {
    /// An inclusion proof: the event's columns give its hash, its hash is leaf `index` of the signed tree.
    ///
    /// - Returns: The event proved.
    @discardableResult
    static func inclusion(_ document: InclusionProofDocument, verifier: NoteVerifier) throws -> RawEvent {
        let event = try AuditFiles.event(fromExtra: document.extra)
        guard event.recomputedHash == event.hash else {
            throw AuditError.proofFailed("the event's columns do not give its hash: the event was altered")
        }
        guard event.position == document.index + 1 else {
            throw AuditError.proofFailed(
                "the event is at position \(event.position), the proof is for leaf \(document.index)")
        }
        try document.verify(leafHash: MerkleHash.leaf(event.hash), with: verifier)
        return event
    }
}
