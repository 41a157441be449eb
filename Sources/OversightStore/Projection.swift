import GRDB

/// A read model kept up to date inside the append transaction, and rebuildable from the log.
///
/// The store keeps one row per projection in `projection_checkpoint` (name, version, position), updated in the
/// same transaction as every append. At open, a projection whose checkpoint is missing or has another `version`
/// is rebuilt (tables dropped, recreated, every event replayed); one whose checkpoint is behind the head (it was
/// not registered during some appends) catches up from its checkpoint.
///
/// - Important: `apply` must be deterministic and depend only on the event and the projection's own tables, so
///   that a rebuild gives the same tables as the live projection. A thrown error aborts the append it belongs to.
public protocol Projection: Sendable {
    /// The projection's name, stored in the checkpoint table; never reuse a name for another read model.
    var name: String { get }
    /// The version of the projection's logic and tables; bump it to force a rebuild at the next open.
    var version: Int { get }
    /// Creates the projection's tables and indexes; must be idempotent (`CREATE TABLE IF NOT EXISTS`).
    ///
    /// A rebuild calls it, drops the non-unique indexes it made, replays the log, and calls it again to make them:
    /// `apply` must not need a non-unique index other than for speed (its lookups go by primary key or a unique
    /// index, which stay).
    func createTables(_ db: Database) throws
    /// Drops the projection's tables (`DROP TABLE IF EXISTS`).
    func dropTables(_ db: Database) throws
    /// Updates the projection's tables for one event, in the transaction that appends (or replays) it.
    func apply(_ event: RecordedEvent, _ db: Database) throws
}
