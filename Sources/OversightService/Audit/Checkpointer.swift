import Foundation
import Logging
import OversightAudit
import OversightStore
import Synchronization
import Varlink

/// Signs checkpoints of the log's Merkle tree: every `every` events, on a timer, and on demand.
///
/// Signing runs on the writer (as a command that appends no event), so a checkpoint is taken inside a write
/// transaction, at a head no other write can move, and stored in the same commit. At most one automatic
/// signing is queued at a time.
final class Checkpointer: Sendable {
    /// The key checkpoints are signed with.
    let signer: NoteSigner
    /// The automatic signing policy.
    let settings: AuditSettings
    private let writer: CommandWriter
    private let logger: Logger
    private let state: Mutex<(lastSize: Int64, queued: Bool)>

    /// Creates the checkpointer; `lastSize` is the size of the newest stored checkpoint (0 for none).
    init(signer: NoteSigner, settings: AuditSettings, writer: CommandWriter, lastSize: Int64, logger: Logger) {
        self.signer = signer
        self.settings = settings
        self.writer = writer
        self.logger = logger
        self.state = Mutex((lastSize, false))
    }

    /// After a commit: queues a signing when the log has grown by `checkpointEvery` events since the last one.
    func committed(head: Int64) {
        guard settings.checkpointEvery > 0 else { return }
        let due = state.withLock { state -> Bool in
            guard !state.queued, head - state.lastSize >= Int64(settings.checkpointEvery) else { return false }
            state.queued = true
            return true
        }
        if due { submitAutomatic() }
    }

    /// On the timer: queues a signing when the log has grown since the last checkpoint.
    func tick(head: Int64) {
        let due = state.withLock { state -> Bool in
            guard !state.queued, head > state.lastSize else { return false }
            state.queued = true
            return true
        }
        if due { submitAutomatic() }
    }

    /// Signs a checkpoint of the log's head now (or returns the one already signed at that size).
    func signNow() async throws -> StoredCheckpoint? {
        try await withCheckedThrowingContinuation { continuation in
            submit { result in continuation.resume(with: result) }
        }
    }

    private func submitAutomatic() {
        submit { [logger] result in
            if case .failure(let error) = result {
                logger.error("Checkpoint signing failed", metadata: [LogKey.error: "\(error)"])
            }
        }
    }

    private func submit(_ completion: @escaping @Sendable (Result<StoredCheckpoint?, any Error>) -> Void) {
        let signer = self.signer
        let signed = Mutex<StoredCheckpoint?>(nil)
        writer.submit(
            WriterCommand(
                commandID: nil, requestHash: "", metadata: EventMetadata(actor: "oversightd"),
                execute: { context in
                    let checkpoint = try context.transaction.signCheckpoint(with: signer, at: context.now)
                    signed.withLock { $0 = checkpoint }
                    return [:]
                },
                completion: { [self] result in
                    let checkpoint = signed.withLock { $0 }
                    state.withLock { state in
                        state.queued = false
                        if case .success = result, let checkpoint {
                            state.lastSize = max(state.lastSize, checkpoint.size)
                        }
                    }
                    if case .success = result, let checkpoint {
                        logger.debug("Checkpoint signed", metadata: [LogKey.position: "\(checkpoint.size)"])
                    }
                    completion(result.map { _ in checkpoint })
                }
            )
        )
    }
}
