import Foundation
import GRDB
import Logging
import OversightDomain
import OversightStore
import Testing

/// The read models are a pure function of the log: a rebuild gives what the live projection gave.
struct ProjectionRebuildTests {
    @Test func `rebuilding the topic board and department list from the log reproduces the live tables`() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rebuild-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path,
            projections: ReadModels.all, logger: Logger(label: "test")
        )
        let today = try #require(LocalDate("2024-12-31"))
        let context = DecisionContext(today: today, knownDepartments: [try #require(DepartmentCode("mzj"))])
        let meta = EventMetadata(actor: "clerk")
        try log.write { transaction in
            let mzj = try #require(DepartmentCode("mzj"))
            let added = try Department.decide(.add(code: mzj, name: "市民政局"), Department.initial, context)
            _ = try transaction.append(
                added.map {
                    EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
                },
                to: Department.stream(mzj).rawValue, expectedVersion: .noStream, meta: meta, recordedAt: Date()
            )
            var state = Topic.initial
            let id = TopicID(year: 2024, sequence: 1)
            let plan = Topic.Plan(
                year: 2024, kind: .linkedSupervision, title: "养老服务联动监督", committee: "教科文卫委", leader: nil,
                departments: [mzj], theme: nil
            )
            let commands: [Topic.Command] = [
                .plan(id: id, plan),
                .recordActivity(
                    Topic.Activity(
                        kind: .fieldVisit, date: try #require(LocalDate("2024-05-20")), places: ["舞钢市"], units: [],
                        peopleMet: 12, summary: nil
                    )
                ),
                .deliberate(Topic.Session(term: 12, number: 13, date: try #require(LocalDate("2024-08-19")))),
                .transferOpinions(
                    date: try #require(LocalDate("2024-08-30")), dueDate: try #require(LocalDate("2024-11-30")),
                    summary: "14个问题"
                ),
            ]
            var version: Int64 = 0
            for command in commands {
                let events = try Topic.decide(command, state, context)
                let recorded = try transaction.append(
                    events.map {
                        EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
                    },
                    to: Topic.stream(id).rawValue, expectedVersion: version == 0 ? .noStream : .exactly(version),
                    meta: meta, recordedAt: Date()
                )
                version = recorded.last?.version ?? version
                state = events.reduce(state, Topic.evolve)
            }
        }
        let dump = { () throws -> [String] in
            try log.reader.read { db in
                try ["department", "topic", "topic_timeline"].flatMap { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1").map { "\(table): \($0)" }
                }
            }
        }
        let live = try dump()
        #expect(live.contains { $0.contains("opinions-transferred") && $0.contains("2024-11-30") })
        try log.rebuildProjections()
        #expect(try dump() == live)
        try expectRebuildsReproduceLiveTables(log)
    }
}
