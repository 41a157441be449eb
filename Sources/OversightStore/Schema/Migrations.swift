import GRDB

/// The numbered schema migrations of the event log.
///
/// - Important: A shipped migration is never edited, renamed or removed; a change is a new migration appended at
///   the end. Each migration also sets `PRAGMA user_version` to its number, so tools without GRDB can tell the
///   schema version of a file.
enum Migrations {
    /// The migration names, in order; the schema version of a file is the number of the newest one applied.
    static let names = ["v1-event-log", "v2-commands", "v3-projection-checkpoints", "v4-audit-checkpoints"]

    /// The newest schema version this build knows.
    static var supportedVersion: Int { names.count }

    /// The migrator holding every migration of this build.
    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-event-log") { db in
            try db.execute(
                sql: """
                    CREATE TABLE event (
                        position INTEGER PRIMARY KEY,
                        stream TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        type TEXT NOT NULL,
                        data TEXT NOT NULL,
                        meta TEXT NOT NULL,
                        recorded_at TEXT NOT NULL,
                        prev_hash BLOB NOT NULL,
                        hash BLOB NOT NULL,
                        UNIQUE (stream, version)
                    );
                    CREATE TRIGGER event_refuse_update BEFORE UPDATE ON event
                    BEGIN
                        SELECT RAISE(ABORT, 'the event log is append-only: an event cannot be updated');
                    END;
                    CREATE TRIGGER event_refuse_delete BEFORE DELETE ON event
                    BEGIN
                        SELECT RAISE(ABORT, 'the event log is append-only: an event cannot be deleted');
                    END;
                    CREATE TRIGGER event_refuse_out_of_order_insert BEFORE INSERT ON event
                    WHEN NEW.position IS NOT (SELECT COALESCE(MAX(position), 0) + 1 FROM event)
                        OR EXISTS (SELECT 1 FROM event WHERE stream = NEW.stream AND version = NEW.version)
                    BEGIN
                        SELECT RAISE(ABORT,
                            'the event log is append-only: a new event takes the next position and a new version');
                    END;
                    PRAGMA user_version = 1;
                    """)
        }
        migrator.registerMigration("v2-commands") { db in
            try db.execute(
                sql: """
                    CREATE TABLE command (
                        id TEXT PRIMARY KEY,
                        request_hash TEXT NOT NULL,
                        result TEXT NOT NULL,
                        position INTEGER NOT NULL
                    );
                    PRAGMA user_version = 2;
                    """)
        }
        migrator.registerMigration("v3-projection-checkpoints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE projection_checkpoint (
                        name TEXT PRIMARY KEY,
                        version INTEGER NOT NULL,
                        position INTEGER NOT NULL
                    );
                    PRAGMA user_version = 3;
                    """)
        }
        migrator.registerMigration("v4-audit-checkpoints") { db in
            // Signed checkpoints of the log's Merkle tree: facts of their own (a signature cannot be derived from
            // the events), so append-only like the events.
            try db.execute(
                sql: """
                    CREATE TABLE checkpoint (
                        size INTEGER PRIMARY KEY,
                        root BLOB NOT NULL,
                        note TEXT NOT NULL,
                        signed_at TEXT NOT NULL
                    );
                    CREATE TRIGGER checkpoint_refuse_update BEFORE UPDATE ON checkpoint
                    BEGIN
                        SELECT RAISE(ABORT, 'checkpoints are append-only: a checkpoint cannot be updated');
                    END;
                    CREATE TRIGGER checkpoint_refuse_delete BEFORE DELETE ON checkpoint
                    BEGIN
                        SELECT RAISE(ABORT, 'checkpoints are append-only: a checkpoint cannot be deleted');
                    END;
                    PRAGMA user_version = 4;
                    """)
        }
        return migrator
    }

    /// Throws ``StoreError/schemaTooNew(found:supported:)`` when the file was written by a newer build: it has
    /// applied migrations this build does not know, or a `user_version` above ``supportedVersion``.
    static func checkNotTooNew(_ db: Database, migrator: DatabaseMigrator) throws {
        let applied = try migrator.appliedIdentifiers(db)
        let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let unknown = applied.subtracting(names)
        if !unknown.isEmpty || userVersion > supportedVersion {
            throw StoreError.schemaTooNew(found: max(userVersion, applied.count), supported: supportedVersion)
        }
    }
}
