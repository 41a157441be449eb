import ArgumentParser
import Foundation
import OversightAudit
import OversightStore
import Varlink

/// The audit checks that need no daemon: a proof, a database or backup file, an export archive.
extension OversightCtl.Audit {
    /// `audit verify-proof FILE --key KEY`.
    struct VerifyProof: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-proof",
            abstract:
                "Check an inclusion proof (tlog-proof) or a consistency proof offline, with the public key alone.",
            discussion:
                "Exit 0 when the proof holds, 1 naming what failed. Example: oversightctl audit verify-proof event-120.tlog-proof --key oversight.pub"
        )

        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The proof file (- for stdin).", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The log's public key, or a file holding it.", valueName: "key|file")) var key:
            String

        func run() async throws {
            let verifier = try AuditFiles.verifier(key)
            let text = try AuditFiles.read(file, what: "proof")
            do {
                if text.hasPrefix(InclusionProofDocument.header) {
                    let document = try InclusionProofDocument(parsing: text)
                    let event = try ProofCheck.inclusion(document, verifier: verifier)
                    report(
                        "OK: event \(event.position) (\(event.stream)@\(event.version) \(event.type), recorded "
                            + "\(event.recordedAt)) is in the log of \(document.checkpoint.checkpoint.size) events "
                            + "signed by \(verifier.name)",
                        [
                            "valid": .bool(true), "position": .int(event.position),
                            "treeSize": .int(document.checkpoint.checkpoint.size),
                        ])
                } else {
                    let document = try ConsistencyProofDocument(parsing: text)
                    try document.verify(with: verifier)
                    report(
                        "OK: the log of \(document.new.checkpoint.size) events extends the log of "
                            + "\(document.old.checkpoint.size) events; both signed by \(verifier.name)",
                        [
                            "valid": .bool(true), "oldSize": .int(document.old.checkpoint.size),
                            "newSize": .int(document.new.checkpoint.size),
                        ])
                }
            } catch let error as AuditError {
                if options.json { CLIOutput.json(.object(["valid": .bool(false), "problem": .string("\(error)")])) }
                throw AuditFiles.failure("FAILED: \(error)")
            }
        }

        private func report(_ sentence: String, _ json: [String: JSONValue]) {
            if options.json { CLIOutput.json(.object(json)) } else { CLIOutput.line(sentence) }
        }
    }

    /// `audit verify-db FILE`.
    struct VerifyDB: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-db",
            abstract:
                "Verify a database or backup file without a daemon: chain, Merkle blocks, checkpoints, signatures.",
            discussion: """
                Checks every event's hash and link, recomputes the stored Merkle blocks from the events, recomputes \
                the root of every stored checkpoint and checks its signature with --key, and with --checkpoint \
                checks that the file's log extends a checkpoint kept outside the office (this is what catches a \
                log truncated and re-chained, or replaced by a re-signed fork). Without --key, the key file beside \
                the database (audit-verifier.pub) is used, and said so. Exit 0 only when every check holds; \
                otherwise 1, naming the first bad position and what is wrong.
                Example: oversightctl audit verify-db /var/lib/oversight/backups/2024-12-31.sqlite --key oversight.pub --checkpoint cp.txt
                """)

        @OptionGroup var options: GlobalOptions
        @OptionGroup var key: KeyOption
        @Argument(help: ArgumentHelp("The database or backup file.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("A checkpoint the log must extend (a file).", valueName: "file"))
        var checkpoint: String?

        func run() async throws {
            var verifier = try key.key.map(AuditFiles.verifier)
            if verifier == nil {
                let beside = ((file as NSString).deletingLastPathComponent as NSString)
                    .appendingPathComponent("audit-verifier.pub")
                if FileManager.default.fileExists(atPath: beside) {
                    verifier = try AuditFiles.verifier(beside)
                    CLIOutput.note(
                        "note: using the key beside the database (\(beside)); pass --key with a copy kept outside the office"
                    )
                }
            }
            let witness = try checkpoint.map { try AuditFiles.checkpoint($0, option: "--checkpoint") }
            let report: DatabaseAuditReport
            do {
                report = try auditDatabase(at: file, verifier: verifier, witness: witness)
            } catch {
                throw AuditFiles.failure("\(error)")
            }
            if options.json {
                var object: [String: JSONValue] = [
                    "passed": .bool(report.passed), "headPosition": .int(report.head.position),
                    "headHash": .string(report.head.hash.hex),
                    "checks": .array(
                        report.checks.map {
                            .object([
                                "name": .string($0.name), "passed": .bool($0.passed), "detail": .string($0.detail),
                            ])
                        }),
                ]
                object["firstBadPosition"] = report.firstBadPosition.map(JSONValue.int)
                object["problem"] = report.problem.map(JSONValue.string)
                CLIOutput.json(.object(object))
            } else {
                for check in report.checks {
                    CLIOutput.line("\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
                }
                if report.passed {
                    CLIOutput.line("Verified: \(file), head \(report.head.position) \(report.head.hash.hex)")
                } else {
                    let place = report.firstBadPosition.map { "at position \($0)" } ?? ""
                    CLIOutput.line("NOT VERIFIED \(place): \(report.problem ?? "a check failed")")
                }
            }
            if !report.passed { throw ExitCode(1) }
        }
    }

    /// `audit verify-export FILE --key KEY`.
    struct VerifyExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-export",
            abstract:
                "Verify a `log export` archive on its own: every event's hash and link, and the signed checkpoint.",
            discussion: "Example: oversightctl audit verify-export events-2024.jsonl --key oversight.pub")

        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The archive (JSON lines or CSV).", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The log's public key, or a file holding it.", valueName: "key|file")) var key:
            String

        func run() async throws {
            let verifier = try AuditFiles.verifier(key)
            let text = try AuditFiles.read(file, what: "archive")
            do {
                let archive = try ExportArchive(parsing: text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
                let (first, last) = try archive.verify(with: verifier)
                let sentence =
                    "OK: events \(first)–\(last) are exactly as logged; the last is in the log of "
                    + "\(archive.proof.checkpoint.checkpoint.size) events signed by \(verifier.name)"
                if options.json {
                    CLIOutput.json(.object(["valid": .bool(true), "from": .int(first), "to": .int(last)]))
                } else {
                    CLIOutput.line(sentence)
                }
            } catch let error as AuditError {
                if options.json { CLIOutput.json(.object(["valid": .bool(false), "problem": .string("\(error)")])) }
                throw AuditFiles.failure("FAILED: \(error)")
            }
        }
    }
}
