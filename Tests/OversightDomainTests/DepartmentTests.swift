import OversightDomain
import Testing

struct DepartmentTests {
    let context = DecisionContext(today: day("2024-08-19"))
    let fgw = department("fgw")
    let added = Department.Event.added(code: department("fgw"), name: "市发展和改革委员会")

    @Test func `adding a new department records it with its trimmed name`() throws {
        let events = try Department.decide(.add(code: fgw, name: "\u{3000} 市发展和改革委员会\n"), given: [], context)
        #expect(events == [added])
        #expect(Department.state(after: events) == .registered(code: fgw, name: "市发展和改革委员会"))
    }

    @Test func `adding a department twice is refused`() {
        #expect(throws: Department.Error.alreadyExists(fgw)) {
            try Department.decide(.add(code: fgw, name: "发改委"), given: [added], context)
        }
    }

    @Test(arguments: ["", "   ", "\u{3000}\n\t"])
    func `an empty name is refused`(name: String) {
        #expect(throws: Department.Error.emptyName) {
            try Department.decide(.add(code: fgw, name: name), given: [], context)
        }
        #expect(throws: Department.Error.emptyName) {
            try Department.decide(.rename(name: name), given: [added], context)
        }
    }

    @Test func `a name longer than 100 characters is refused, 100 are accepted`() throws {
        let longest = String(repeating: "委", count: Department.maxNameLength)
        #expect(
            try Department.decide(.add(code: fgw, name: longest), given: [], context) == [
                .added(code: fgw, name: longest)
            ])
        #expect(throws: Department.Error.nameTooLong(max: 100)) {
            try Department.decide(.add(code: fgw, name: longest + "委"), given: [], context)
        }
    }

    @Test func `renaming a registered department records the new name`() throws {
        let events = try Department.decide(.rename(name: " 市发展改革委 "), given: [added], context)
        #expect(events == [.renamed(name: "市发展改革委")])
        #expect(Department.state(after: [added] + events) == .registered(code: fgw, name: "市发展改革委"))
    }

    @Test func `renaming an unregistered department is refused`() {
        #expect(throws: Department.Error.notFound) {
            try Department.decide(.rename(name: "发改委"), given: [], context)
        }
    }

    @Test func `renaming to the current name is refused`() {
        #expect(throws: Department.Error.nameUnchanged("市发展和改革委员会")) {
            try Department.decide(.rename(name: "市发展和改革委员会 "), given: [added], context)
        }
    }

    @Test func `evolve folds the history and ignores a rename of nothing`() {
        #expect(Department.initial == .absent)
        #expect(Department.evolve(.absent, .renamed(name: "x")) == .absent)
        let history: [Department.Event] = [added, .renamed(name: "A"), .renamed(name: "B")]
        #expect(Department.state(after: history) == .registered(code: fgw, name: "B"))
    }

    @Test func `error descriptions are sentences that name what to fix`() {
        #expect(
            Department.Error.alreadyExists(fgw).description
                == "A department with code \"fgw\" is already registered; use another code, or rename the existing one."
        )
        #expect(Department.Error.nameTooLong(max: 100).description.contains("at most 100 characters"))
        let all: [Department.Error] = [
            .alreadyExists(fgw), .notFound, .emptyName, .nameTooLong(max: 100), .nameUnchanged("x"),
        ]
        for error in all {
            #expect(error.description.hasSuffix("."), "\(error)")
        }
    }
}
