import Foundation
import GRDB
import Logging
import OversightStore
import Testing

/// Every table of the log's database, its rows sorted as text, then the schema (`sqlite_master`: every table
/// and index with its SQL): what a rebuild must give back exactly.
func databaseDump(_ log: SQLiteEventLog) throws -> [String] {
    try log.reader.read { db in
        let tables = try String.fetchAll(
            db,
            sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                + "ORDER BY name")
        var dump: [String] = []
        for table in tables {
            dump += try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                .map { "\(table): \($0)" }.sorted()
        }
        dump += try String.fetchAll(
            db,
            sql: """
                SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || ifnull(sql, '(automatic)')
                FROM sqlite_master ORDER BY type, name
                """)
        return dump
    }
}

/// Checks that each way of rebuilding every read model gives back the live tables, rows and indexes: in the
/// writer (`rebuildProjections`), online (`rebuildProjectionsOnline`: scratch file, swap), and at open (the
/// checkpoints gone, as after a version change), and that no scratch file is left behind.
func expectRebuildsReproduceLiveTables(_ log: SQLiteEventLog) throws {
    let live = try databaseDump(log)
    #expect(live.contains { $0.hasPrefix("index ") && !$0.contains("(automatic)") })

    try log.rebuildProjections()
    #expect(try databaseDump(log) == live)

    let online = try log.rebuildProjectionsOnline(named: nil)
    #expect(online.rebuilt == ReadModels.all.map(\.name))
    #expect(try databaseDump(log) == live)

    // Split over two scratch files (the log is longer than twice `parallelAfter`).
    _ = try log.rebuildProjectionsOnline(named: nil, parallelAfter: 2)
    #expect(try databaseDump(log) == live)

    try log.write { transaction in try transaction.db.execute(sql: "DELETE FROM projection_checkpoint") }
    let reopened = try SQLiteEventLog(path: log.path, projections: ReadModels.all, logger: Logger(label: "test"))
    #expect(try databaseDump(reopened) == live)

    let directory = (log.path as NSString).deletingLastPathComponent
    let files = try FileManager.default.contentsOfDirectory(atPath: directory)
    #expect(files.filter { $0.hasPrefix(".rebuild-") } == [])
}
