import Foundation
import GRDB
import OversightStore
import Testing

/// The queries by department over read-model rows written directly: the scorecard (the year restriction, every
/// figure per department, the ranking with ties, and the same figures as the per-department subqueries it
/// replaced) and the item board's department filter with and without a year or a parent.
struct DepartmentQueryTests {
    /// An item row of the fixture.
    private struct Item {
        var id: String
        var state: String
        var dueDate: String?
        var reopenCount = 0
        /// The lead first, then the co-departments.
        var departments: [String]

        var year: Int { Int(id.dropFirst().prefix(4)) ?? 0 }
    }

    /// An answer row of the fixture.
    private struct Answer {
        var position: Int64
        var item: String
        var department: String
        var onTime: Bool
    }

    /// An evaluation row of the fixture.
    private struct Evaluation {
        var position: Int64
        var year: Int
        var department: String
        var subjectKind = "department"
        var state = "closed"
        var date: String
        var rate: Double?
        var verdict: String?
    }

    /// Opens a log with every read model and writes the rows straight into the read-model tables.
    private func withFixture<T>(
        departments: [String], items: [Item], answers: [Answer], evaluations: [Evaluation],
        _ body: (SQLiteEventLog) throws -> T
    ) throws -> T {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: ReadModels.all)
            try log.write { tx in
                for (index, code) in departments.enumerated() {
                    try tx.db.execute(
                        sql: "INSERT INTO department (code, name, position) VALUES (?, ?, ?)",
                        arguments: [code, "部门 \(code)", index + 1])
                }
                for (index, item) in items.enumerated() {
                    try tx.db.execute(
                        sql: """
                            INSERT INTO item (id, year, sequence, parent, parent_kind, kind, aspect, text,
                                              lead_department, co_departments, due_date, state, created_on,
                                              reopen_count, position)
                            VALUES (?, ?, ?, 'T2024-001', 'topic', 'problem', 'a', 't', ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            item.id, item.year, index + 1, item.departments.first,
                            String(
                                decoding: try JSONEncoder().encode(Array(item.departments.dropFirst())), as: UTF8.self),
                            item.dueDate, item.state, "\(item.year)-01-01", item.reopenCount, 100 + index,
                        ])
                    for (order, code) in item.departments.enumerated() {
                        try tx.db.execute(
                            sql: "INSERT INTO item_department (item_id, department, role) VALUES (?, ?, ?)",
                            arguments: [item.id, code, order == 0 ? "lead" : "co"])
                    }
                }
                for answer in answers {
                    try tx.db.execute(
                        sql: """
                            INSERT INTO item_answer (position, item_id, department, date, claimed, text, on_time)
                            VALUES (?, ?, ?, '2024-06-01', 'resolved', 'done', ?)
                            """,
                        arguments: [answer.position, answer.item, answer.department, answer.onTime ? 1 : 0])
                }
                for evaluation in evaluations {
                    try tx.db.execute(
                        sql: """
                            INSERT INTO evaluation (id, year, sequence, subject_kind, subject, department, date,
                                                    entitled, present, rule, verdict, rate, quorate, state, mode,
                                                    position)
                            VALUES (?, ?, ?, ?, ?, ?, ?, 10, 10, 'majority', ?, ?, 1, ?, 'show-of-hands', ?)
                            """,
                        arguments: [
                            "E\(evaluation.year)-\(evaluation.position)", evaluation.year, evaluation.position,
                            evaluation.subjectKind, evaluation.department, evaluation.department, evaluation.date,
                            evaluation.verdict, evaluation.rate, evaluation.state, evaluation.position,
                        ])
                }
            }
            return try body(log)
        }
    }

    /// One line's figures, rank first, for comparing with literals.
    private struct Figures: Equatable, CustomStringConvertible {
        var rank, assigned, lead, answered, onTime, overdue, accepted, reopened, evaluations: Int

        init(_ line: DepartmentScorecard.Line) {
            self.init(
                rank: line.rank, assigned: line.assigned, lead: line.lead, answered: line.answered,
                onTime: line.answeredOnTime, overdue: line.overdue, accepted: line.accepted, reopened: line.reopened,
                evaluations: line.evaluations)
        }

        init(
            rank: Int, assigned: Int, lead: Int, answered: Int, onTime: Int, overdue: Int, accepted: Int,
            reopened: Int, evaluations: Int
        ) {
            self.rank = rank
            self.assigned = assigned
            self.lead = lead
            self.answered = answered
            self.onTime = onTime
            self.overdue = overdue
            self.accepted = accepted
            self.reopened = reopened
            self.evaluations = evaluations
        }

        var description: String {
            "rank \(rank): \(assigned) assigned, \(lead) lead, \(answered) answered, \(onTime) on time, "
                + "\(overdue) overdue, \(accepted) accepted, \(reopened) reopened, \(evaluations) evaluations"
        }
    }

    private static let departments = ["a01", "b02", "c03", "d04", "e05"]

    private static let items = [
        Item(id: "I2024-001", state: "accepted", dueDate: "2024-06-30", reopenCount: 1, departments: ["a01", "b02"]),
        Item(id: "I2024-002", state: "assigned", dueDate: "2024-03-31", departments: ["a01"]),
        Item(id: "I2024-003", state: "answered", dueDate: "2024-05-31", departments: ["b02", "a01", "c03"]),
        Item(id: "I2024-004", state: "reopened", dueDate: "2024-02-01", reopenCount: 2, departments: ["c03"]),
        Item(id: "I2023-001", state: "assigned", dueDate: "2023-06-30", reopenCount: 3, departments: ["a01", "c03"]),
        Item(id: "I2023-002", state: "accepted", dueDate: "2023-06-30", departments: ["d04"]),
    ]

    private static let answers = [
        // a01's first answer to I2024-001 was late; its second, on time, is not its first.
        Answer(position: 10, item: "I2024-001", department: "a01", onTime: false),
        Answer(position: 11, item: "I2024-001", department: "a01", onTime: true),
        Answer(position: 12, item: "I2024-001", department: "b02", onTime: true),
        Answer(position: 13, item: "I2024-003", department: "b02", onTime: true),
        Answer(position: 14, item: "I2024-003", department: "c03", onTime: false),
        Answer(position: 15, item: "I2023-001", department: "a01", onTime: true),
        Answer(position: 16, item: "I2023-002", department: "d04", onTime: true),
        Answer(position: 17, item: "I2024-003", department: "a01", onTime: true),
    ]

    private static let evaluations = [
        Evaluation(position: 20, year: 2024, department: "a01", date: "2024-10-01", rate: 0.9, verdict: "satisfied"),
        Evaluation(
            position: 21, year: 2024, department: "a01", date: "2024-11-01", rate: 0.8, verdict: "basically-satisfied"),
        Evaluation(position: 22, year: 2023, department: "a01", date: "2023-11-01", rate: 0.5, verdict: "dissatisfied"),
        Evaluation(
            position: 23, year: 2024, department: "b02", state: "open", date: "2024-11-01", rate: 1, verdict: nil),
        Evaluation(
            position: 24, year: 2024, department: "c03", subjectKind: "inquiry-round", date: "2024-09-01", rate: 0.95,
            verdict: "satisfied"),
        Evaluation(
            position: 25, year: 2024, department: "c03", subjectKind: "suggestion", date: "2024-12-01", rate: 0.1,
            verdict: "dissatisfied"),
    ]

    @Test func `a year counts only that year's items, answers and evaluations, per department`() throws {
        try withFixture(
            departments: Self.departments, items: Self.items, answers: Self.answers, evaluations: Self.evaluations
        ) { log in
            let card = try log.reader.read { db in
                try DepartmentScorecard.compute(db, year: 2024, asOf: "2024-12-31")
            }
            #expect(card.year == 2024)
            #expect(card.asOf == "2024-12-31")
            // Rated departments first by latest rate, then b02 by its on-time share, then d04 and e05 tied.
            #expect(card.lines.map(\.department) == ["c03", "a01", "b02", "d04", "e05"])
            let figures = Dictionary(uniqueKeysWithValues: card.lines.map { ($0.department, Figures($0)) })
            #expect(
                figures["a01"]
                    == Figures(
                        rank: 2, assigned: 3, lead: 2, answered: 2, onTime: 1, overdue: 1, accepted: 1, reopened: 1,
                        evaluations: 2))
            #expect(
                figures["b02"]
                    == Figures(
                        rank: 3, assigned: 2, lead: 1, answered: 2, onTime: 2, overdue: 0, accepted: 1, reopened: 1,
                        evaluations: 0))
            #expect(
                figures["c03"]
                    == Figures(
                        rank: 1, assigned: 2, lead: 1, answered: 1, onTime: 0, overdue: 1, accepted: 0, reopened: 2,
                        evaluations: 1))
            let empty = Figures(
                rank: 4, assigned: 0, lead: 0, answered: 0, onTime: 0, overdue: 0, accepted: 0, reopened: 0,
                evaluations: 0)
            #expect(figures["d04"] == empty)
            #expect(figures["e05"] == empty)
            let lines = Dictionary(uniqueKeysWithValues: card.lines.map { ($0.department, $0) })
            #expect(lines["a01"]?.latestRate == 0.8)
            #expect(lines["a01"]?.latestVerdict == "basically-satisfied")
            #expect(lines["a01"]?.meanRate == (0.9 + 0.8) / 2)
            #expect(lines["a01"]?.onTimeShare == 0.5)
            #expect(lines["b02"]?.latestRate == nil)
            #expect(lines["b02"]?.onTimeShare == 1)
            #expect(lines["c03"]?.latestRate == 0.95)
            #expect(lines["c03"]?.meanRate == 0.95)
            #expect(lines["c03"]?.onTimeShare == 0)
            #expect(lines["d04"]?.onTimeShare == nil)
            #expect(lines["d04"]?.name == "部门 d04")
        }
    }

    @Test func `without a year every year's items count`() throws {
        try withFixture(
            departments: Self.departments, items: Self.items, answers: Self.answers, evaluations: Self.evaluations
        ) { log in
            let card = try log.reader.read { db in
                try DepartmentScorecard.compute(db, year: nil, asOf: "2024-12-31")
            }
            #expect(card.year == nil)
            #expect(card.lines.map(\.department) == ["c03", "a01", "b02", "d04", "e05"])
            let figures = Dictionary(uniqueKeysWithValues: card.lines.map { ($0.department, Figures($0)) })
            #expect(
                figures["a01"]
                    == Figures(
                        rank: 2, assigned: 4, lead: 3, answered: 3, onTime: 2, overdue: 2, accepted: 1, reopened: 4,
                        evaluations: 3))
            #expect(
                figures["b02"]
                    == Figures(
                        rank: 3, assigned: 2, lead: 1, answered: 2, onTime: 2, overdue: 0, accepted: 1, reopened: 1,
                        evaluations: 0))
            #expect(
                figures["c03"]
                    == Figures(
                        rank: 1, assigned: 3, lead: 1, answered: 1, onTime: 0, overdue: 2, accepted: 0, reopened: 5,
                        evaluations: 1))
            // b02 and d04 both answered everything on time without overdue items: they share rank 3, b02 first.
            #expect(
                figures["d04"]
                    == Figures(
                        rank: 3, assigned: 1, lead: 1, answered: 1, onTime: 1, overdue: 0, accepted: 1, reopened: 0,
                        evaluations: 0))
            #expect(
                figures["e05"]
                    == Figures(
                        rank: 5, assigned: 0, lead: 0, answered: 0, onTime: 0, overdue: 0, accepted: 0, reopened: 0,
                        evaluations: 0))
            let lines = Dictionary(uniqueKeysWithValues: card.lines.map { ($0.department, $0) })
            #expect(lines["a01"]?.latestRate == 0.8)
            #expect(abs((lines["a01"]?.meanRate ?? 0) - (0.9 + 0.8 + 0.5) / 3) < 1e-12)
        }
    }

    @Test func `the figures equal the per-department subqueries on a generated board of several years`() throws {
        var random = SplitMix(seed: 20_241_202)
        let departments = (1...7).map { String(format: "g%02d", $0) }
        let states = ["open", "assigned", "answered", "accepted", "reopened"]
        var items: [Item] = []
        for year in 2022...2024 {
            for sequence in 1...40 {
                var codes: [String] = []
                for _ in 0..<random.next(below: 4) {
                    let code = departments[random.next(below: departments.count)]
                    if !codes.contains(code) { codes.append(code) }
                }
                items.append(
                    Item(
                        id: String(format: "I%04d-%03d", year, sequence), state: states[random.next(below: 5)],
                        dueDate: random.next(below: 4) == 0
                            ? nil
                            : String(format: "%04d-%02d-15", year + random.next(below: 2), 1 + random.next(below: 12)),
                        reopenCount: random.next(below: 3), departments: codes))
            }
        }
        var answers: [Answer] = []
        var evaluations: [Evaluation] = []
        for position in Int64(1000)..<1300 {
            let item = items[random.next(below: items.count)]
            let department =
                item.departments.isEmpty || random.next(below: 5) == 0
                ? departments[random.next(below: departments.count)]
                : item.departments[random.next(below: item.departments.count)]
            answers.append(
                Answer(position: position, item: item.id, department: department, onTime: random.next(below: 3) > 0))
        }
        for position in Int64(2000)..<2060 {
            let year = 2022 + random.next(below: 3)
            evaluations.append(
                Evaluation(
                    position: position, year: year, department: departments[random.next(below: departments.count)],
                    subjectKind: ["department", "inquiry-round", "suggestion"][random.next(below: 3)],
                    state: random.next(below: 6) == 0 ? "open" : "closed",
                    date: String(format: "%04d-%02d-01", year, 1 + random.next(below: 3)),
                    rate: random.next(below: 8) == 0 ? nil : Double(random.next(below: 100)) / 100,
                    verdict: ["satisfied", "dissatisfied"][random.next(below: 2)]))
        }
        try withFixture(departments: departments, items: items, answers: answers, evaluations: evaluations) { log in
            for year in [nil, 2022, 2023, 2024, 2025] as [Int?] {
                for asOf in ["2023-06-30", "2024-12-31"] {
                    try log.reader.read { db throws in
                        let card = try DepartmentScorecard.compute(db, year: year, asOf: asOf)
                        let reference = try Self.reference(db, year: year, asOf: asOf)
                        let computed = card.lines.sorted { $0.department < $1.department }.map {
                            AllFigures(
                                department: $0.department, name: $0.name, assigned: $0.assigned, lead: $0.lead,
                                answered: $0.answered, answeredOnTime: $0.answeredOnTime, overdue: $0.overdue,
                                accepted: $0.accepted, reopened: $0.reopened, evaluations: $0.evaluations,
                                latestRate: $0.latestRate, latestVerdict: $0.latestVerdict, meanRate: $0.meanRate,
                                onTimeShare: $0.onTimeShare)
                        }
                        #expect(computed == reference, "year \(year.map(String.init) ?? "any"), as of \(asOf)")
                        #expect(card.lines.contains { $0.assigned > 0 } == (year != 2025))
                    }
                }
            }
        }
    }

    @Test func `the item board's department filter keeps to the year or parent asked for`() throws {
        try withFixture(
            departments: Self.departments, items: Self.items, answers: Self.answers, evaluations: Self.evaluations
        ) { log in
            try log.reader.read { db throws in
                let a01of2024 = ItemRow.Filter(department: "a01", year: 2024)
                let board = try ItemRow.board(db, filter: a01of2024)
                #expect(board.map(\.id) == ["I2024-001", "I2024-002", "I2024-003"])
                #expect(board.map(\.leadDepartment) == ["a01", "a01", "b02"])
                #expect(board.map(\.coDepartments) == [["b02"], [], ["a01", "c03"]])
                #expect(try ItemRow.find(db, id: "I2024-003")?.coDepartments == ["a01", "c03"])
                #expect(
                    try ItemRow.countsByState(db, filter: a01of2024).map { "\($0.state) \($0.count)" } == [
                        "accepted 1", "answered 1", "assigned 1",
                    ])
                #expect(try ItemRow.aspectCount(db, filter: a01of2024) == 1)
                #expect(try ItemRow.overdueCount(db, filter: a01of2024, asOf: "2024-12-31") == 1)
                #expect(
                    try ItemRow.board(db, filter: .init(department: "a01")).map(\.id) == [
                        "I2023-001", "I2024-001", "I2024-002", "I2024-003",
                    ])
                #expect(try ItemRow.board(db, filter: .init(department: "c03", year: 2023)).map(\.id) == ["I2023-001"])
                #expect(
                    try ItemRow.board(db, filter: .init(department: "c03", parent: "T2024-001")).map(\.id) == [
                        "I2023-001", "I2024-003", "I2024-004",
                    ])
                #expect(try ItemRow.board(db, filter: .init(department: "e05", year: 2024)).isEmpty)
            }
        }
    }

    /// The figures as the scorecard computed them before the set-based passes: one correlated subquery per figure
    /// and department, kept here as the reference (in code order).
    private static func reference(_ db: Database, year: Int?, asOf: String) throws -> [AllFigures] {
        let yearCondition = year == nil ? "" : " AND i.year = ?"
        let evaluationYear = year == nil ? "" : " AND e.year = ?"
        let yearArgument: [(any DatabaseValueConvertible)?] = year.map { [$0] } ?? []
        var arguments: [(any DatabaseValueConvertible)?] = yearArgument + yearArgument + yearArgument + yearArgument
        arguments += [asOf] + yearArgument
        for _ in 0..<6 { arguments += yearArgument }
        let onDepartment = "FROM item_department x JOIN item i ON i.id = x.item_id WHERE x.department = d.code"
        let evaluated = """
            FROM evaluation e WHERE e.department = d.code AND e.state = 'closed'
              AND e.subject_kind IN ('department', 'inquiry-round')
            """
        let overdue = "(i.state IN ('open', 'assigned', 'reopened') AND i.due_date IS NOT NULL AND i.due_date < ?)"
        return try Row.fetchAll(
            db,
            sql: """
                SELECT d.code, d.name,
                  (SELECT COUNT(*) \(onDepartment)\(yearCondition)) AS assigned,
                  (SELECT COUNT(*) \(onDepartment) AND x.role = 'lead'\(yearCondition)) AS lead,
                  (SELECT COUNT(DISTINCT a.item_id) FROM item_answer a JOIN item i ON i.id = a.item_id
                    WHERE a.department = d.code\(yearCondition)) AS answered,
                  (SELECT COUNT(*) FROM item_answer a JOIN item i ON i.id = a.item_id
                    WHERE a.department = d.code AND a.on_time = 1\(yearCondition)
                      AND a.position = (SELECT MIN(b.position) FROM item_answer b
                        WHERE b.item_id = a.item_id AND b.department = a.department)) AS on_time,
                  (SELECT COUNT(*) \(onDepartment) AND \(overdue)\(yearCondition)) AS overdue,
                  (SELECT COUNT(*) \(onDepartment) AND i.state = 'accepted'\(yearCondition)) AS accepted,
                  (SELECT COALESCE(SUM(i.reopen_count), 0) \(onDepartment)\(yearCondition)) AS reopened,
                  (SELECT COUNT(*) \(evaluated)\(evaluationYear)) AS evaluations,
                  (SELECT e.rate \(evaluated)\(evaluationYear) ORDER BY e.date DESC, e.position DESC LIMIT 1)
                    AS latest_rate,
                  (SELECT e.verdict \(evaluated)\(evaluationYear) ORDER BY e.date DESC, e.position DESC LIMIT 1)
                    AS latest_verdict,
                  (SELECT AVG(e.rate) \(evaluated)\(evaluationYear)) AS mean_rate
                FROM department d ORDER BY d.code
                """, arguments: StatementArguments(arguments)
        ).map { row in
            let answered: Int = row["answered"]
            let onTime: Int = row["on_time"]
            return AllFigures(
                department: row["code"], name: row["name"], assigned: row["assigned"], lead: row["lead"],
                answered: answered, answeredOnTime: onTime, overdue: row["overdue"], accepted: row["accepted"],
                reopened: row["reopened"], evaluations: row["evaluations"], latestRate: row["latest_rate"],
                latestVerdict: row["latest_verdict"], meanRate: row["mean_rate"],
                onTimeShare: answered == 0 ? nil : Double(onTime) / Double(answered))
        }
    }

    /// Every field of a line but the rank, for comparing with the reference.
    private struct AllFigures: Equatable {
        var department: String
        var name: String
        var assigned, lead, answered, answeredOnTime, overdue, accepted, reopened, evaluations: Int
        var latestRate: Double?
        var latestVerdict: String?
        var meanRate: Double?
        var onTimeShare: Double?
    }
}

/// A small deterministic pseudo-random generator (SplitMix64), so a generated fixture is the same every run.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The next number in 0..<bound.
    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        value ^= value >> 31
        return Int(value % UInt64(bound))
    }
}
