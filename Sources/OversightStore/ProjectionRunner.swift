import Foundation
import GRDB
import Logging

/// Keeps the registered projections and their checkpoints in step with the log.
struct ProjectionRunner: Sendable {
    /// The registered projections, in registration order (the order `apply` is called for each event).
    let projections: [any Projection]
    /// One statement that moves every registered projection's checkpoint to the head of the log.
    private let checkpointUpdate: String

    /// Checks that the projection names are unique.
    init(_ projections: [any Projection]) throws {
        var names = Set<String>()
        for projection in projections where !names.insert(projection.name).inserted {
            throw StoreError.duplicateProjection(name: projection.name)
        }
        self.projections = projections
        let quoted = projections.map { "'" + $0.name.replacingOccurrences(of: "'", with: "''") + "'" }
        checkpointUpdate =
            "UPDATE projection_checkpoint SET position = (SELECT COALESCE(MAX(position), 0) FROM event) "
            + "WHERE name IN (\(quoted.joined(separator: ", ")))"
    }

    /// Applies newly appended events to every projection; ``moveCheckpoints(_:)`` records it before commit.
    func apply(_ events: [RecordedEvent], _ db: Database) throws {
        for event in events {
            for projection in projections {
                try projection.apply(event, db)
            }
        }
    }

    /// Moves every projection's checkpoint to the head of the log (once per write transaction, before commit).
    func moveCheckpoints(_ db: Database) throws {
        guard !projections.isEmpty else { return }
        try db.executeCached(sql: checkpointUpdate)
    }

    /// At open: rebuilds projections whose checkpoint is missing or outdated, and catches up the others.
    ///
    /// The projections to rebuild are replayed together, in one pass over the log.
    func prepare(_ db: Database, logger: Logger) throws {
        let head = try EventRecord.head(db)
        var outdated: [any Projection] = []
        for projection in projections {
            let checkpoint = try Row.fetchOne(
                db, sql: "SELECT version, position FROM projection_checkpoint WHERE name = ?",
                arguments: [projection.name])
            let storedVersion = try checkpoint?.decode(Int.self, atIndex: 0)
            let storedPosition = try checkpoint?.decode(Int64.self, atIndex: 1)
            if let storedVersion, let storedPosition, storedVersion == projection.version {
                try projection.createTables(db)
                if storedPosition < head.position {
                    try replay([projection], after: storedPosition, db)
                    logger.info(
                        "Projection caught up",
                        metadata: [LogKey.projection: "\(projection.name)", LogKey.position: "\(head.position)"])
                }
            } else {
                outdated.append(projection)
            }
        }
        try rebuild(outdated, db)
        for projection in outdated {
            logger.info(
                "Projection rebuilt",
                metadata: [LogKey.projection: "\(projection.name)", LogKey.position: "\(head.position)"])
        }
    }

    /// Drops, recreates and replays every projection from the first event.
    func rebuildAll(_ db: Database) throws {
        try rebuild(projections, db)
    }

    /// Drops, recreates and replays the named projections (every one when `names` is nil), in registration order.
    ///
    /// - Returns: The names rebuilt.
    /// - Throws: ``StoreError/unknownProjection(name:known:)`` before touching anything when a name is unknown.
    func rebuild(named names: Set<String>?, _ db: Database) throws -> [String] {
        let selected = try selection(named: names)
        try rebuild(selected, db)
        return selected.map(\.name)
    }

    /// The named projections (every one when `names` is nil), in registration order.
    ///
    /// - Throws: ``StoreError/unknownProjection(name:known:)`` when a name is unknown.
    func selection(named names: Set<String>?) throws -> [any Projection] {
        let known = projections.map(\.name)
        if let names, let unknown = names.sorted().first(where: { !known.contains($0) }) {
            throw StoreError.unknownProjection(name: unknown, known: known)
        }
        return projections.filter { names?.contains($0.name) ?? true }
    }

    /// The tables a projection's `createTables` creates, found by running it on an empty in-memory database.
    static func tableNames(of projection: any Projection) throws -> [String] {
        try DatabaseQueue().write { db in
            try projection.createTables(db)
            return try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                    + "ORDER BY name")
        }
    }

    /// Replaces the projections' tables in `main` by their rebuilt copies in the attached `schema`, then applies
    /// the events appended after `snapshot` (the head the copies were rebuilt up to) and records the checkpoints.
    ///
    /// Runs inside the caller's write transaction: readers see the old tables until it commits.
    ///
    /// - Throws: ``StoreError/corrupt(_:)`` when the log does not hold the snapshot's head (the copy is not of
    ///   this log), or a database error.
    func swapIn(
        _ selected: [(projection: any Projection, tables: [String])], from schema: String, snapshot: LogHead,
        _ db: Database
    ) throws {
        if snapshot.position > 0 {
            let hash = try Data.fetchOne(
                db, sql: "SELECT hash FROM main.event WHERE position = ?", arguments: [snapshot.position])
            guard hash == snapshot.hash else {
                throw StoreError.corrupt(
                    "the rebuilt copy's event \(snapshot.position) is not the log's; nothing was swapped in")
            }
        }
        let shadow = schema.quotedDatabaseIdentifier
        for (projection, tables) in selected {
            // Qualified drops: an unqualified name would reach the attached copy once main's table is gone.
            for table in tables {
                try db.execute(sql: "DROP TABLE IF EXISTS main.\(table.quotedDatabaseIdentifier)")
            }
            // Unqualified CREATE TABLE creates in main; the same createTables gives the copy's columns and indexes.
            try projection.createTables(db)
            for table in tables {
                let name = table.quotedDatabaseIdentifier
                try db.execute(sql: "INSERT INTO main.\(name) SELECT * FROM \(shadow).\(name)")
            }
        }
        try replay(selected.map(\.projection), after: snapshot.position, db)
    }

    /// Drops and recreates the projections' tables, then replays every event into them in one pass.
    private func rebuild(_ selected: [any Projection], _ db: Database) throws {
        for projection in selected {
            try projection.dropTables(db)
            try projection.createTables(db)
        }
        try replay(selected, after: 0, db)
    }

    /// Applies the events after `position` to the projections, in batches, then records their checkpoints.
    ///
    /// One pass over the log: each event is read and decoded once and applied to every projection in turn, in
    /// registration order. Each projection reads and writes only its own tables, so this gives the same tables
    /// as replaying them one after the other.
    func replay(_ selected: [any Projection], after position: Int64, _ db: Database) throws {
        guard !selected.isEmpty else { return }
        var last = position
        while true {
            let batch = try EventRecord.decode(
                Row.fetchAll(
                    db,
                    sql: "SELECT \(EventRecord.columns) FROM main.event WHERE position > ? ORDER BY position LIMIT ?",
                    arguments: [last, ChainVerifier.batchSize]))
            guard let tail = batch.last else { break }
            for event in batch {
                for projection in selected {
                    try projection.apply(event, db)
                }
            }
            last = tail.position
        }
        for projection in selected {
            try db.execute(
                sql: """
                    INSERT INTO projection_checkpoint (name, version, position) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position
                    """,
                arguments: [projection.name, projection.version, last])
        }
    }
}
