import OversightDomain
import Testing

/// The whole lifecycle, decided step by step, and how `evolve` folds it.
struct TopicLifecycleTests {
    func snapshot(_ state: Topic.State) -> Topic.Snapshot? {
        guard case .existing(let topic) = state else { return nil }
        return topic
    }

    @Test func `a topic goes from plan to close through a send-back round`() throws {
        let steps: [(String, Topic.Command, TopicStatus)] = [
            ("2024-02-20", .plan(id: Demo.id, Demo.plan), .planned),
            (
                "2024-05-14",
                .recordActivity(
                    Topic.Activity(
                        kind: .fieldVisit, date: day("2024-05-14"), places: ["舞钢市"], units: ["舞钢市养老服务中心"],
                        peopleMet: 25,
                        summary: "实地察看养老机构")), .underWay
            ),
            ("2024-08-19", .deliberate(Demo.session), .deliberated),
            (
                "2024-08-30",
                .transferOpinions(date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: "审议意见及问题清单交办市政府"),
                .opinionsTransferred
            ),
            ("2024-11-25", .receiveHandlingReport(date: day("2024-11-25"), summary: "研究处理情况报告"), .handlingReported),
            (
                "2024-12-10",
                .sendBack(date: day("2024-12-10"), dueDate: day("2025-03-10"), reason: "满意度测评未通过，限期整改、再次报告"),
                .opinionsTransferred
            ),
            ("2025-03-01", .receiveHandlingReport(date: day("2025-03-01"), summary: nil), .handlingReported),
            ("2025-03-20", .close(date: day("2025-03-20"), note: "满意度测评通过"), .closed),
        ]
        var history: [Topic.Event] = []
        var state = Topic.initial
        for (today, command, status) in steps {
            let events = try Topic.decide(
                command, state, DecisionContext(today: day(today), knownDepartments: Demo.departments))
            #expect(events.count == 1, "\(command)")
            history += events
            state = events.reduce(state, Topic.evolve)
            #expect(snapshot(state)?.status == status, "\(command)")
        }
        #expect(
            Array(history.prefix(6)) == [
                Demo.planned, Demo.visit, Demo.deliberated, Demo.transferred, Demo.reported, Demo.sentBack,
            ])
        #expect(state == Topic.state(after: history))

        var expected = Topic.Snapshot(id: Demo.id, plan: Demo.plan)
        expected.status = .closed
        expected.activities = 1
        expected.lastActivityDate = day("2024-05-14")
        expected.session = Demo.session
        expected.opinionsTransferredOn = day("2024-08-30")
        expected.dueDate = day("2025-03-10")
        expected.round = 2
        expected.lastStepDate = day("2025-03-20")
        expected.closedOn = day("2025-03-20")
        #expect(state == .existing(expected))
        #expect(expected.lastDate == day("2025-03-20"))
    }

    @Test func `folding tracks the round and the due date of each rectification`() throws {
        let transferred = try #require(snapshot(Topic.state(after: Demo.transferredHistory)))
        #expect(transferred.round == 1 && transferred.dueDate == day("2024-11-30"))
        #expect(transferred.opinionsTransferredOn == day("2024-08-30"))
        let sentBack = try #require(snapshot(Topic.state(after: Demo.reportedHistory + [Demo.sentBack])))
        #expect(sentBack.round == 2 && sentBack.dueDate == day("2025-03-10") && sentBack.status == .opinionsTransferred)
        #expect(sentBack.opinionsTransferredOn == day("2024-08-30"))
        let planned = try #require(snapshot(Topic.state(after: Demo.plannedHistory)))
        #expect(planned.round == 0 && planned.dueDate == nil && planned.lastDate == nil && planned.activities == 0)
    }

    @Test func `the last date is the latest of activities and steps`() throws {
        let late = Topic.Event.activityRecorded(Topic.Activity(kind: .symposium, date: day("2024-09-10")))
        let topic = try #require(snapshot(Topic.state(after: Demo.transferredHistory + [late])))
        #expect(topic.lastStepDate == day("2024-08-30"))
        #expect(topic.lastActivityDate == day("2024-09-10"))
        #expect(topic.lastDate == day("2024-09-10"))
        let early = Topic.Event.activityRecorded(Topic.Activity(kind: .symposium, date: day("2024-01-10")))
        let other = try #require(snapshot(Topic.state(after: Demo.transferredHistory + [early])))
        #expect(other.lastActivityDate == day("2024-05-14"))
        #expect(other.lastDate == day("2024-08-30"))
    }

    @Test func `a handling report is overdue only while awaited and after its due date`() throws {
        let transferred = try #require(snapshot(Topic.state(after: Demo.transferredHistory)))  // due 2024-11-30
        #expect(!transferred.isOverdue(on: day("2024-11-30")))
        #expect(transferred.isOverdue(on: day("2024-12-01")))
        let reported = try #require(snapshot(Topic.state(after: Demo.reportedHistory)))
        #expect(!reported.isOverdue(on: day("2025-06-01")))
        let deliberated = try #require(snapshot(Topic.state(after: Demo.deliberatedHistory)))
        #expect(!deliberated.isOverdue(on: day("2025-06-01")))
    }

    @Test func `evolve ignores events that a decided history cannot hold`() {
        #expect(Topic.initial == .absent)
        #expect(Topic.evolve(.absent, Demo.deliberated) == .absent)
        #expect(Topic.evolve(.absent, Demo.closed) == .absent)
        let planned = Topic.state(after: [Demo.planned])
        let replanned = Topic.Event.planned(
            id: topicID("T2024-004"), Topic.Plan(year: 2024, kind: .budget, title: "预算"))
        #expect(Topic.evolve(planned, replanned) == planned)
    }
}
