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
    /// The projections to rebuild are replayed together, in one pass over the log; so are the projections behind
    /// the head from the same checkpoint.
    func prepare(_ db: Database, logger: Logger) throws {
        let head = try EventRecord.head(db)
        var outdated: [any Projection] = []
        var behind: [Int64: [any Projection]] = [:]
        for projection in projections {
            let checkpoint = try Row.fetchOne(
                db, sql: "SELECT version, position FROM projection_checkpoint WHERE name = ?",
                arguments: [projection.name])
            let storedVersion = try checkpoint?.decode(Int.self, atIndex: 0)
            let storedPosition = try checkpoint?.decode(Int64.self, atIndex: 1)
            if let storedVersion, let storedPosition, storedVersion == projection.version {
                try projection.createTables(db)
                if storedPosition < head.position {
                    behind[storedPosition, default: []].append(projection)
                }
            } else {
                outdated.append(projection)
            }
        }
        for position in behind.keys.sorted() {
            let group = behind[position] ?? []
            try replay(group, after: position, db)
            for projection in group {
                logger.info(
                    "Projection caught up",
                    metadata: [LogKey.projection: "\(projection.name)", LogKey.position: "\(head.position)"])
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
        }
        let last = try Self.replayIntoEmptyTables(selected, after: 0, db)
        try recordCheckpoints(selected, at: last, db)
    }

    /// Creates the projections' (missing) tables in `main` and replays the events after `position` of the
    /// `event` table in `schema` into them; the non-unique indexes are built after the replay.
    ///
    /// The tables must be absent or empty (see ``prepareEmptyTables(_:_:)``).
    ///
    /// - Returns: The position of the last event applied (`position` when there is none).
    static func replayIntoEmptyTables(
        _ selected: [any Projection], after position: Int64, eventsIn schema: String = "main", _ db: Database
    ) throws -> Int64 {
        try prepareEmptyTables(selected, db)
        let last = try replay(selected, after: position, eventsIn: schema, db)
        try finishTables(selected, db)
        return last
    }

    /// Creates the projections' (missing, or empty) tables in `main` for a replay, without their non-unique
    /// indexes; ``finishTables(_:_:)`` makes those after the replay.
    ///
    /// A replay into empty tables need not maintain the secondary indexes row by row: they are dropped once
    /// `createTables` has made them, and made again (by a second, idempotent `createTables`) once every event is
    /// applied, so the tables end up with the same indexes (names, columns, SQL) as `createTables` gives. Indexes
    /// that enforce something (primary keys, `UNIQUE`) stay during the replay, so `apply` fails or ignores exactly
    /// where it would on the live tables; `apply` must not depend on the non-unique ones other than for speed
    /// (see ``Projection``).
    static func prepareEmptyTables(_ selected: [any Projection], _ db: Database) throws {
        var deferred: [String] = []
        for projection in selected {
            try projection.createTables(db)
            for table in try tableNames(of: projection) {
                deferred += try String.fetchAll(
                    db,
                    sql: """
                        SELECT name FROM main.pragma_index_list(?) WHERE origin = 'c' AND "unique" = 0 ORDER BY name
                        """,
                    arguments: [table])
            }
        }
        for index in deferred {
            try db.execute(sql: "DROP INDEX main.\(index.quotedDatabaseIdentifier)")
        }
    }

    /// Makes the indexes ``prepareEmptyTables(_:_:)`` left out, once the tables are filled.
    static func finishTables(_ selected: [any Projection], _ db: Database) throws {
        for projection in selected {
            try projection.createTables(db)
        }
    }

    /// Applies the events after `position` to the projections, then records their checkpoints.
    func replay(_ selected: [any Projection], after position: Int64, _ db: Database) throws {
        guard !selected.isEmpty else { return }
        let last = try Self.replay(selected, after: position, db)
        try recordCheckpoints(selected, at: last, db)
    }

    /// Applies the events after `position` of the `event` table in `schema` (the log: `main`, or the log
    /// attached to a scratch database) to the projections' tables, without recording checkpoints.
    ///
    /// One pass over the log, with one statement and a cursor: each event is read and decoded once and applied to
    /// every projection in turn, in registration order. Each projection reads and writes only its own tables, so
    /// this gives the same tables as replaying them one after the other. The projections' writes to other tables
    /// do not disturb the cursor over `event`.
    ///
    /// - Parameters:
    ///   - through: The last position to apply (every event after `position` when nil).
    ///   - costs: When given, adds each projection's time in `apply` to it, by index in `selected`.
    /// - Returns: The position of the last event applied (`position` when there is none).
    static func replay(
        _ selected: [any Projection], after position: Int64, through: Int64? = nil, eventsIn schema: String = "main",
        _ db: Database, costs: ReplayCosts? = nil
    ) throws -> Int64 {
        guard !selected.isEmpty else { return position }
        let statement = try db.cachedStatement(
            sql: "SELECT \(EventRecord.columns) FROM \(schema.quotedDatabaseIdentifier).event "
                + "WHERE position > ? AND position <= ? ORDER BY position")
        let rows = try Row.fetchCursor(statement, arguments: [position, through ?? Int64.max])
        let decoder = JSONDecoder()
        var last = position
        while let row = try rows.next() {
            let event = try EventRecord.decode(row, decoder: decoder)
            if let costs {
                for (index, projection) in selected.enumerated() {
                    let start = DispatchTime.now().uptimeNanoseconds
                    try projection.apply(event, db)
                    costs.nanoseconds[index] &+= DispatchTime.now().uptimeNanoseconds &- start
                }
            } else {
                for projection in selected {
                    try projection.apply(event, db)
                }
            }
            last = event.position
        }
        return last
    }

    /// Records that the projections are up to date at `position` (their current versions).
    func recordCheckpoints(_ selected: [any Projection], at position: Int64, _ db: Database) throws {
        for projection in selected {
            try db.execute(
                sql: """
                    INSERT INTO projection_checkpoint (name, version, position) VALUES (?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position
                    """,
                arguments: [projection.name, projection.version, position])
        }
    }
}

/// The time each projection of a replay spent in `apply`, in nanoseconds, by index in the replay's selection.
final class ReplayCosts {
    var nanoseconds: [UInt64]

    init(count: Int) {
        nanoseconds = Array(repeating: 0, count: count)
    }
}
