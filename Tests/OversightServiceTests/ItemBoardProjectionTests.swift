import Foundation
import GRDB
import Logging
import OversightDomain
import OversightStore
import Testing

/// The item board read model: on-time answers against the due date in force, departments, filters, and a rebuild
/// from the log that gives the same tables.
struct ItemBoardProjectionTests {
    private func date(_ text: String) throws -> LocalDate { try #require(LocalDate(text)) }
    private func code(_ text: String) throws -> DepartmentCode { try #require(DepartmentCode(text)) }

    /// Decides `commands` on one item stream and appends each result, as the daemon does.
    private func record(
        _ commands: [Item.Command], id: ItemID, in transaction: WriteTransaction, _ context: DecisionContext
    ) throws {
        var history: [Item.Event] = []
        for command in commands {
            let events = try Item.decide(command, given: history, context)
            _ = try transaction.append(
                events.map {
                    EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
                },
                to: id.stream.rawValue, expectedVersion: history.isEmpty ? .noStream : .exactly(Int64(history.count)),
                meta: EventMetadata(actor: "clerk"), recordedAt: Date(timeIntervalSince1970: 1_735_000_000)
            )
            history += events
        }
    }

    @Test func `the item board follows due dates in force and is rebuilt identically from the log`() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("items-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path, projections: ReadModels.all,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let (mzj, fgw, kjj) = (try code("mzj"), try code("fgw"), try code("kjj"))
        let context = DecisionContext(today: try date("2025-01-31"), knownDepartments: [mzj, fgw, kjj])
        let first = ItemID(year: 2024, sequence: 1)
        let second = ItemID(year: 2024, sequence: 2)
        let inquiry = try #require(ItemParent("Q2024-001"))
        let station = try #require(ItemParent("L2024-001"))
        try log.write { transaction in
            try record(
                [
                    .add(
                        id: first,
                        Item.Draft(
                            parent: inquiry, kind: .problem, aspect: "养老服务设施", text: "敬老院设施老化", lead: mzj,
                            coDepartments: [fgw], dueDate: try date("2024-11-30"), createdOn: try date("2024-08-30"))),
                    .answer(
                        Item.Answer(department: mzj, date: try date("2024-11-30"), text: "正在改造", claimed: .inProgress)),
                    .changeDueDate(
                        date: try date("2024-12-01"), dueDate: try date("2024-12-31"), reason: "跨年度", approver: "李主任"),
                    .answer(
                        Item.Answer(department: fgw, date: try date("2024-12-20"), text: "资金已下达", claimed: .resolved)),
                    .accept(date: try date("2024-12-22"), note: nil),
                    .reopen(date: try date("2024-12-23"), reason: "回访发现仍有问题"),
                    .escalate(Item.Escalation(step: .reminder, date: try date("2024-12-24"))),
                    .escalate(
                        Item.Escalation(
                            step: .supervisionNotice, date: try date("2024-12-25"), dueDate: try date("2025-01-10"))),
                    .answer(
                        Item.Answer(department: fgw, date: try date("2025-01-15"), text: "已整改", claimed: .resolved)),
                ], id: first, in: transaction, context)
            try record(
                [
                    .add(
                        id: second,
                        Item.Draft(
                            parent: station, kind: .opinion, aspect: "医养结合", text: "群众反映就医不便",
                            createdOn: try date("2024-08-31"))),
                    .assign(
                        date: try date("2024-09-01"), lead: kjj, coDepartments: [], dueDate: try date("2024-10-01")),
                ], id: second, in: transaction, context)
        }

        try log.reader.read { db in
            let answers = try ItemAnswerRow.of(db, itemID: first.rawValue)
            #expect(answers.map(\.onTime) == [true, true, false])
            #expect(answers.map(\.dueDate) == ["2024-11-30", "2024-12-31", "2025-01-10"])
            let item = try #require(try ItemRow.find(db, id: first.rawValue))
            #expect(item.state == "answered" && item.reopenCount == 1 && item.dueDateChanges == 1)
            #expect(item.escalation == "supervision-notice" && item.dueDate == "2025-01-10")
            #expect(item.acceptedOn == nil && item.answerCount == 3 && item.answeredOn == "2025-01-15")
            #expect(item.parentKind == "inquiry" && item.coDepartments == ["fgw"])
            let other = try #require(try ItemRow.find(db, id: second.rawValue))
            #expect(other.state == "assigned" && other.parentKind == "station" && other.leadDepartment == "kjj")
            #expect(
                try ItemDepartmentRow.of(db, itemID: first.rawValue).map { "\($0.department)/\($0.role)" } == [
                    "mzj/lead", "fgw/co",
                ])
            #expect(try ItemRow.board(db, filter: .init(department: "fgw")).map(\.id) == [first.rawValue])
            #expect(
                try ItemRow.board(db, filter: .init(overdue: true, asOf: "2024-10-02")).map(\.id) == [second.rawValue])
            #expect(
                try ItemRow.board(db, filter: .init(overdue: false, asOf: "2024-10-02")).map(\.id) == [first.rawValue])
            #expect(try ItemRow.overdueCount(db, filter: .init(), asOf: "2024-10-01") == 0)
            #expect(try ItemRow.aspectCount(db, filter: .init(year: 2024)) == 2)
            #expect(try ItemRow.nextSequence(db, year: 2024) == 3)
            #expect(try ItemHistoryRow.of(db, itemID: first.rawValue).count == 9)
        }

        let dump = { () throws -> [String] in
            try log.reader.read { db in
                try ["item", "item_department", "item_answer", "item_history"].flatMap { table in
                    try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2").map { "\(table): \($0)" }
                }
            }
        }
        let live = try dump()
        #expect(live.count == 2 + 3 + 3 + 11)
        try log.rebuildProjections()
        #expect(try dump() == live)
        try expectRebuildsReproduceLiveTables(log)
    }
}
