import Foundation
import GRDB
import Logging
import OversightDomain
import OversightStore
import Testing

/// The vote board and the station list are a pure function of the log: a rebuild gives what the live tables gave.
struct VoteAndStationRebuildTests {
    @Test func `rebuilding the vote board and station list from the log reproduces the live tables`() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rebuild-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path,
            projections: ReadModels.all, logger: Logger(label: "test")
        )
        let context = DecisionContext(today: try #require(LocalDate("2024-12-31")))
        let meta = EventMetadata(actor: "clerk")
        func drafts(_ events: [some EventCoding]) throws -> [EventDraft] {
            try events.map {
                EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
            }
        }
        try log.write { transaction in
            let resolutionID = VoteID(year: 2024, sequence: 1)
            let resolution = Vote.Resolution(
                title: "关于加快推进“两城”建设的决议", date: try #require(LocalDate("2024-06-27")),
                session: Vote.Session(term: 12, number: 11), entitled: 62, forVotes: 58, against: 0, abstain: 0)
            _ = try transaction.append(
                try drafts(try Vote.decide(.record(id: resolutionID, resolution), Vote.initial, context)),
                to: resolutionID.stream.rawValue, expectedVersion: .noStream, meta: meta, recordedAt: Date())
            let differentialID = VoteID(year: 2024, sequence: 2)
            let differential = Vote.Differential(
                title: "2025年民生实事项目票决", date: try #require(LocalDate("2024-12-20")), entitled: 150, voters: 140,
                places: 2,
                candidates: [
                    Vote.Candidate("老旧小区改造", votes: 120), Vote.Candidate("农村供水提升", votes: 80),
                    Vote.Candidate("城区停车场建设", votes: 80),
                ])
            _ = try transaction.append(
                try drafts(
                    try Vote.decide(.recordDifferential(id: differentialID, differential), Vote.initial, context)),
                to: differentialID.stream.rawValue, expectedVersion: .noStream, meta: meta, recordedAt: Date())

            let stationID = StationID(year: 2024, sequence: 1)
            var state = Station.initial
            var version: Int64 = 0
            let commands: [Station.Command] = [
                .register(
                    id: stationID,
                    Station.Registration(name: "垭口街道联络站", place: "舞钢市", date: try #require(LocalDate("2024-01-10")))),
                .recordReception(
                    Station.Reception(
                        date: try #require(LocalDate("2024-03-15")), peopleReceived: 12, deputies: ["李华"])),
                .recordReception(Station.Reception(date: try #require(LocalDate("2024-02-15")), peopleReceived: 5)),
                .rename(date: try #require(LocalDate("2024-05-01")), name: "垭口街道人大代表联络站"),
                .close(date: try #require(LocalDate("2024-11-30")), note: nil),
            ]
            for command in commands {
                let events = try Station.decide(command, state, context)
                let recorded = try transaction.append(
                    try drafts(events), to: stationID.stream.rawValue,
                    expectedVersion: version == 0 ? .noStream : .exactly(version), meta: meta, recordedAt: Date())
                version = recorded.last?.version ?? version
                state = events.reduce(state, Station.evolve)
            }
        }
        let dump = { () throws -> [String] in
            try log.reader.read { db in
                try ["vote", "vote_candidate", "station", "station_reception"].flatMap { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table): \($0)" }
                }
            }
        }
        let live = try dump()
        #expect(live.count == 2 + 3 + 1 + 2)
        #expect(live.contains { $0.contains("vote: ") && $0.contains("adopted:1") && $0.contains("for_count:58") })
        #expect(live.contains { $0.contains("vote_candidate: ") && $0.contains("城区停车场建设") && $0.contains("tied:1") })
        #expect(
            live.contains {
                $0.contains("station: ") && $0.contains("receptions:2") && $0.contains("people_received:17")
                    && $0.contains("last_reception:\"2024-03-15\"") && $0.contains("state:\"closed\"")
            })
        try log.rebuildProjections()
        #expect(try dump() == live)
        try expectRebuildsReproduceLiveTables(log)
    }
}
