import Foundation
import GRDB
import Logging
import OversightStore
import Testing

/// The demo year, loaded through the real binaries, reproduces the seed's figures; and every read model the
/// daemon kept equals a rebuild from the log, table by table.
@Suite(.serialized)
struct DemoYearTests {
    /// Starts a daemon the way `Scripts/demo` does (with the 2024 holiday calendar) on `scratch`.
    static func startDemoDaemon(_ scratch: Scratch) throws -> Daemon {
        let calendar = TestTools.packageRoot.appendingPathComponent("deploy/holidays/cn-2024.txt").path
        return try Daemon(scratch: scratch, extraArguments: ["--holiday-calendar", calendar])
    }

    /// Loads the demo year into a fresh daemon with `Scripts/demo-data`.
    static func loadDemo(_ daemon: Daemon) throws -> CommandResult {
        try run(
            URL(fileURLWithPath: "/bin/bash"),
            [TestTools.packageRoot.appendingPathComponent("Scripts/demo-data").path, Binaries.directory.path],
            environment: ["OVERSIGHT_SOCKET": daemon.scratch.socket], timeout: 600
        )
    }

    @Test func `the demo year reproduces the seed's figures and every read model equals a rebuild`() throws {
        let scratch = try Scratch()
        let daemon = try Self.startDemoDaemon(scratch)
        let load = try Self.loadDemo(daemon)
        try #require(load.status == 0, "demo-data failed: \(load.stderr)")

        let result = try daemon.ctl("summary", "--year", "2024", "--as-of", "2024-12-31", "--json")
        try #require(result.status == 0, "\(result.stderr)")
        let summary = try #require(try json(result.stdout)["summary"] as? [String: Any])

        let inquiries = try #require(summary["inquiries"] as? [String: Any])
        let inquiryList = try #require(inquiries["list"] as? [[String: Any]])
        let elderlyCare = try #require(inquiryList.first { ($0["date"] as? String) == "2024-08-19" })
        #expect(elderlyCare["problems"] as? Int == 14)
        #expect(elderlyCare["departments"] as? Int == 7)

        let suggestions = try #require(summary["suggestions"] as? [String: Any])
        #expect(suggestions["total"] as? Int == 185)
        #expect(suggestions["assigned"] as? Int == 185)
        #expect(suggestions["key"] as? Int == 11)

        let votes = try #require(summary["votes"] as? [String: Any])
        let resolutions = try #require(votes["resolutions"] as? [[String: Any]])
        let twoCities = try #require(resolutions.first { ($0["title"] as? String)?.contains("两城") == true })
        #expect(twoCities["votesFor"] as? Int == 58)
        #expect(twoCities["votesAgainst"] as? Int == 0)
        #expect(twoCities["abstentions"] as? Int == 0)
        #expect(twoCities["adopted"] as? Bool == true)

        let evaluations = try #require(summary["evaluations"] as? [String: Any])
        #expect(evaluations["departmentsEvaluated"] as? Int == 9)

        let topics = try #require(summary["topics"] as? [String: Any])
        #expect((topics["total"] as? Int ?? 0) >= 5)

        // "7 aspects, 18 recommendations" on the two-city industry chains.
        let board = try daemon.ctl("topic", "list", "--year", "2024", "--json")
        let topicList = try #require(try json(board.stdout)["topics"] as? [[String: Any]])
        let chains = try #require(topicList.first { ($0["title"] as? String)?.contains("12条重点产业链") == true })
        let chainID = try #require(chains["id"] as? String)
        let chainItems = try json(try daemon.ctl("item", "list", "--parent", chainID, "--json").stdout)
        #expect(chainItems["total"] as? Int == 18)
        #expect(chainItems["aspects"] as? Int == 7)

        #expect(daemon.stop() == 0)

        // Every read model the daemon kept equals a rebuild from the log, table by table.
        let database = URL(fileURLWithPath: scratch.stateDirectory).appendingPathComponent("oversight.sqlite").path
        let live = try Self.dumpReadModels(database)
        #expect(live.keys.count >= 10, "read-model tables: \(live.keys.sorted())")
        let log = try SQLiteEventLog(path: database, projections: ReadModels.all, logger: Logger(label: "test"))
        try log.rebuildProjections()
        let rebuilt = try Self.dumpReadModels(database)
        #expect(rebuilt.keys.sorted() == live.keys.sorted())
        for table in live.keys.sorted() {
            #expect(rebuilt[table] == live[table], "read model \(table) differs after a rebuild")
            #expect(live[table]?.isEmpty == false, "read model \(table) is empty after the demo: extend the demo")
        }
    }

    /// Every read-model table's rows, fully ordered, as text.
    static func dumpReadModels(_ path: String) throws -> [String: [String]] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            let tables = try String.fetchAll(
                db,
                sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                    AND name NOT LIKE 'grdb_%' AND name NOT IN ('event', 'command', 'projection_checkpoint')
                    """)
            var dump: [String: [String]] = [:]
            for table in tables {
                let columns = try db.columns(in: table).count
                let order = (1...max(columns, 1)).map(String.init).joined(separator: ", ")
                dump[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map(\.description)
            }
            return dump
        }
    }
}
