import Foundation
import GRDB
import Logging
import OversightDomain
import OversightStore
import Testing

/// The evaluation board is a pure function of the log: a rebuild gives what the live projection gave.
struct EvaluationBoardRebuildTests {
    @Test func `rebuilding the evaluation board from the log reproduces the live table`() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("evals-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path, projections: ReadModels.all,
            logger: Logger(label: "test")
        )
        let fgw = try #require(DepartmentCode("fgw"))
        let context = DecisionContext(today: try #require(LocalDate("2024-12-31")), knownDepartments: [fgw])
        let meta = EventMetadata(actor: "clerk")
        let recorded = EvaluationID(year: 2024, sequence: 1)
        let balloted = EvaluationID(year: 2024, sequence: 2)
        try log.write { transaction in
            func run(_ commands: [Evaluation.Command], _ id: EvaluationID) throws {
                var state = Evaluation.initial
                var version: Int64 = 0
                for command in commands {
                    let events = try Evaluation.decide(command, state, context)
                    let appended = try transaction.append(
                        events.map {
                            EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
                        },
                        to: id.stream.rawValue, expectedVersion: version == 0 ? .noStream : .exactly(version),
                        meta: meta, recordedAt: Date()
                    )
                    version = appended.last?.version ?? version
                    state = events.reduce(state, Evaluation.evolve)
                }
            }
            let tally = Evaluation.Tally(
                entitled: 35, present: 30, satisfied: 20, basicallySatisfied: 8, dissatisfied: 1, notVoting: 1)
            try run(
                [
                    .record(
                        id: recorded,
                        Evaluation.Record(
                            subject: .department(fgw), date: try #require(LocalDate("2024-10-30")), tally: tally))
                ], recorded)
            let opening = Evaluation.Opening(
                subject: .suggestionReply(SuggestionID(year: 2024, sequence: 7), department: fgw),
                date: try #require(LocalDate("2024-11-02")), entitled: 5, present: 3, rule: .majorityOfPresent)
            try run(
                [
                    .open(id: balloted, opening), .cast(.rating(.satisfied)), .cast(.rating(.dissatisfied)),
                    .cast(.notVoting), .close(date: try #require(LocalDate("2024-11-04"))),
                ], balloted)
        }
        let rows = try log.reader.read { db in try EvaluationRow.board(db, filter: .init(year: 2024)) }
        #expect(rows.map(\.id) == ["E2024-001", "E2024-002"])
        #expect(rows.first?.verdict == "satisfied")
        #expect(rows.first?.rate == 28.0 / 35.0)
        #expect(rows.first?.quorate == true)
        #expect(rows.last?.subject == "S2024-007")
        #expect(rows.last?.department == "fgw")
        #expect(rows.last?.rule == "present>0.5")
        #expect(rows.last?.verdict == "dissatisfied")
        #expect(rows.last?.rate == 1.0 / 3.0)
        #expect(rows.last?.notVoting == 1 && rows.last?.state == "closed" && rows.last?.closedOn == "2024-11-04")

        let dump = { () throws -> [String] in
            try log.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM evaluation ORDER BY id").map(\.description)
            }
        }
        let live = try dump()
        try log.rebuildProjections()
        #expect(try dump() == live)
        try expectRebuildsReproduceLiveTables(log)
    }
}
