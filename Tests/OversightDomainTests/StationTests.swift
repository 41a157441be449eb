import OversightDomain
import Testing

/// A demo liaison station after the seed (Wugang's stations; names and figures invented).
enum StationDemo {
    static func make(_ text: String) -> StationID {
        guard let id = StationID(text) else { preconditionFailure("invalid test station id \(text)") }
        return id
    }

    static let id = make("L2024-001")
    static let registration = Station.Registration(
        name: "舞钢市垭口街道人大代表联络站", place: "舞钢市", date: day("2024-01-10"), note: "垭口街道办事处二楼")
    static let registered = Station.Event.registered(id: id, registration)
    static let reception = Station.Reception(
        date: day("2024-03-15"), peopleReceived: 12, deputies: ["李华", "王芳"], note: "反映养老服务问题3件")
    static let received = Station.Event.receptionRecorded(reception)
    static let closed = Station.Event.closed(date: day("2024-11-30"), note: "并入街道联络总站")
}

/// Given events, when a station command, then events or the exact refusal.
struct StationTests {
    func decide(
        _ command: Station.Command, given history: [Station.Event] = [], today: String = "2024-12-31"
    )
        throws(Station.Error) -> [Station.Event]
    {
        try Station.decide(command, given: history, DecisionContext(today: day(today)))
    }

    func register(_ change: (inout Station.Registration) -> Void = { _ in }) -> Station.Command {
        var registration = StationDemo.registration
        change(&registration)
        return .register(id: StationDemo.id, registration)
    }

    func reception(_ change: (inout Station.Reception) -> Void = { _ in }) -> Station.Command {
        var reception = StationDemo.reception
        change(&reception)
        return .recordReception(reception)
    }

    // MARK: Registering

    @Test func `registering a station records the event others look for, StationRegistered`() throws {
        let events = try decide(register())
        #expect(events == [StationDemo.registered])
        #expect(events.first?.eventType == "StationRegistered")
    }

    @Test func `registering trims texts and drops an empty note`() throws {
        let events = try decide(
            register {
                $0.name = "\u{3000}舞钢市垭口街道人大代表联络站 "
                $0.place = " 舞钢市\n"
                $0.note = "   "
            })
        var expected = StationDemo.registration
        expected.note = nil
        #expect(events == [.registered(id: StationDemo.id, expected)])
    }

    @Test func `registering an id twice is refused, even after closing`() {
        #expect(throws: Station.Error.alreadyRegistered(StationDemo.id)) {
            try decide(register(), given: [StationDemo.registered])
        }
        #expect(throws: Station.Error.alreadyRegistered(StationDemo.id)) {
            try decide(register(), given: [StationDemo.registered, StationDemo.closed])
        }
    }

    @Test(arguments: ["", " ", "\u{3000}"])
    func `an empty name or place is refused`(text: String) {
        #expect(throws: Station.Error.emptyName) { try decide(register { $0.name = text }) }
        #expect(throws: Station.Error.emptyPlace) { try decide(register { $0.place = text }) }
    }

    @Test func `names, places and notes have length limits`() throws {
        #expect(try decide(register { $0.name = String(repeating: "站", count: 200) }).count == 1)
        #expect(throws: Station.Error.textTooLong(.name, max: 200)) {
            try decide(register { $0.name = String(repeating: "站", count: 201) })
        }
        #expect(throws: Station.Error.textTooLong(.place, max: 200)) {
            try decide(register { $0.place = String(repeating: "县", count: 201) })
        }
        #expect(throws: Station.Error.textTooLong(.note, max: 2000)) {
            try decide(register { $0.note = String(repeating: "注", count: 2001) })
        }
    }

    @Test func `a registration after today is refused; today is accepted`() throws {
        #expect(throws: Station.Error.dateInFuture(day("2024-01-10"), today: day("2024-01-09"))) {
            try decide(register(), today: "2024-01-09")
        }
        #expect(try decide(register(), today: "2024-01-10").count == 1)
    }

    @Test func `the id must be of the registration year, and the year within range`() {
        #expect(throws: Station.Error.idYearMismatch(id: StationDemo.id, year: 2023)) {
            try decide(register { $0.date = day("2023-05-01") })
        }
        #expect(throws: Station.Error.yearOutOfRange(1999)) {
            try decide(
                .register(
                    id: StationDemo.make("L1999-001"),
                    Station.Registration(
                        name: "联络站", place: "舞钢市", date: day("1999-05-01"))))
        }
    }

    // MARK: Receptions

    @Test func `a reception day is recorded with people, deputies and a note`() throws {
        #expect(try decide(reception(), given: [StationDemo.registered]) == [StationDemo.received])
    }

    @Test func `deputies are optional; empty deputy names are dropped, names trimmed`() throws {
        let events = try decide(
            reception {
                $0.deputies = [" 李华", "", "\u{3000}"]
                $0.note = nil
                $0.peopleReceived = 0
            }, given: [StationDemo.registered])
        #expect(
            events == [
                .receptionRecorded(Station.Reception(date: day("2024-03-15"), peopleReceived: 0, deputies: ["李华"]))
            ])
    }

    @Test func `a deputy named twice is refused`() {
        #expect(throws: Station.Error.duplicateDeputy("李华")) {
            try decide(reception { $0.deputies = ["李华", "王芳", "李华 "] }, given: [StationDemo.registered])
        }
    }

    @Test func `a deputy's name has a length limit`() {
        #expect(throws: Station.Error.textTooLong(.deputy, max: 100)) {
            try decide(
                reception { $0.deputies = [String(repeating: "名", count: 101)] }, given: [StationDemo.registered])
        }
    }

    @Test(arguments: [-1, 100_001])
    func `people received out of 0...100000 are refused`(count: Int) {
        #expect(throws: Station.Error.peopleReceivedOutOfRange(count)) {
            try decide(reception { $0.peopleReceived = count }, given: [StationDemo.registered])
        }
    }

    @Test func `a reception at a station not registered is refused`() {
        #expect(throws: Station.Error.notRegistered) { try decide(reception()) }
    }

    @Test func `a reception before the registration or after today is refused`() {
        #expect(throws: Station.Error.dateBeforeRegistration(day("2024-01-09"), registered: day("2024-01-10"))) {
            try decide(reception { $0.date = day("2024-01-09") }, given: [StationDemo.registered])
        }
        #expect(throws: Station.Error.dateInFuture(day("2025-01-01"), today: day("2024-12-31"))) {
            try decide(reception { $0.date = day("2025-01-01") }, given: [StationDemo.registered])
        }
    }

    @Test func `receptions add up in the state`() {
        let second = Station.Event.receptionRecorded(Station.Reception(date: day("2024-04-15"), peopleReceived: 30))
        let state = Station.state(after: [StationDemo.registered, StationDemo.received, second])
        guard case .existing(let station) = state else {
            Issue.record("station not registered")
            return
        }
        #expect(station.receptions == 2)
        #expect(station.peopleReceived == 42)
    }

    // MARK: Rename, relocate, close

    @Test func `a station is renamed and relocated`() throws {
        let given = [StationDemo.registered]
        #expect(
            try decide(.rename(date: day("2024-05-01"), name: " 垭口街道代表联络站 "), given: given)
                == [.renamed(date: day("2024-05-01"), name: "垭口街道代表联络站")])
        #expect(
            try decide(.relocate(date: day("2024-05-01"), place: "舞钢市垭口街道"), given: given)
                == [.relocated(date: day("2024-05-01"), place: "舞钢市垭口街道")])
        let state = Station.state(
            after: given + [
                .renamed(date: day("2024-05-01"), name: "新名"), .relocated(date: day("2024-05-02"), place: "叶县"),
            ])
        guard case .existing(let station) = state else {
            Issue.record("station not registered")
            return
        }
        #expect(station.name == "新名")
        #expect(station.place == "叶县")
    }

    @Test func `renaming to the same name or relocating to the same place is refused`() {
        let given = [StationDemo.registered]
        #expect(throws: Station.Error.nameUnchanged("舞钢市垭口街道人大代表联络站")) {
            try decide(.rename(date: day("2024-05-01"), name: "舞钢市垭口街道人大代表联络站 "), given: given)
        }
        #expect(throws: Station.Error.placeUnchanged("舞钢市")) {
            try decide(.relocate(date: day("2024-05-01"), place: "舞钢市"), given: given)
        }
        #expect(throws: Station.Error.emptyName) {
            try decide(.rename(date: day("2024-05-01"), name: " "), given: given)
        }
        #expect(throws: Station.Error.emptyPlace) {
            try decide(.relocate(date: day("2024-05-01"), place: ""), given: given)
        }
    }

    @Test func `a station is closed, and nothing is recorded on it afterwards`() throws {
        let given = [StationDemo.registered, StationDemo.received]
        #expect(
            try decide(.close(date: day("2024-11-30"), note: " 并入街道联络总站 "), given: given) == [StationDemo.closed])
        let closed = given + [StationDemo.closed]
        let id = StationDemo.id
        #expect(throws: Station.Error.alreadyClosed(id)) { try decide(reception(), given: closed) }
        #expect(throws: Station.Error.alreadyClosed(id)) {
            try decide(.rename(date: day("2024-12-01"), name: "新名"), given: closed)
        }
        #expect(throws: Station.Error.alreadyClosed(id)) {
            try decide(.relocate(date: day("2024-12-01"), place: "叶县"), given: closed)
        }
        #expect(throws: Station.Error.alreadyClosed(id)) {
            try decide(.close(date: day("2024-12-01"), note: nil), given: closed)
        }
    }

    @Test func `rename, relocate and close need a registered station and a date within its life`() {
        #expect(throws: Station.Error.notRegistered) { try decide(.rename(date: day("2024-05-01"), name: "新名")) }
        #expect(throws: Station.Error.notRegistered) { try decide(.relocate(date: day("2024-05-01"), place: "叶县")) }
        #expect(throws: Station.Error.notRegistered) { try decide(.close(date: day("2024-05-01"), note: nil)) }
        #expect(throws: Station.Error.dateBeforeRegistration(day("2024-01-01"), registered: day("2024-01-10"))) {
            try decide(.close(date: day("2024-01-01"), note: nil), given: [StationDemo.registered])
        }
    }

    @Test func `every refusal is a sentence`() {
        let errors: [Station.Error] = [
            .notRegistered, .alreadyRegistered(StationDemo.id), .alreadyClosed(StationDemo.id), .yearOutOfRange(1999),
            .idYearMismatch(id: StationDemo.id, year: 2023), .dateInFuture(day("2025-01-01"), today: day("2024-12-31")),
            .dateBeforeRegistration(day("2024-01-01"), registered: day("2024-01-10")), .emptyName, .emptyPlace,
            .textTooLong(.name, max: 200), .nameUnchanged("甲"), .placeUnchanged("乙"), .peopleReceivedOutOfRange(-1),
            .duplicateDeputy("李华"),
        ]
        for error in errors {
            #expect(error.description.hasSuffix("."), "\(error.description)")
            #expect(error.description.first?.isUppercase == true, "\(error.description)")
        }
        #expect(Station.Error.alreadyClosed(StationDemo.id).description.contains("L2024-001"))
    }
}
