/// A deputies' liaison station (代表联络站): the decider of the stream "station-<id>".
///
/// Stations receive the public on reception days (接待日), where deputies hear problems and suggestions; those
/// become tracked items whose parent is the station (recorded on the items, not here).
///
/// Lifecycle: `register` → `recordReception` … (and `rename`, `relocate`) → `close`.
///
/// Rules, checked in this order (the first broken rule is reported):
/// 1. State: a command other than `register` needs a registered station (``Error/notRegistered``); `register`
///    needs a new id (``Error/alreadyRegistered(_:)``); nothing changes a closed station
///    (``Error/alreadyClosed(_:)``).
/// 2. Dates: the registration year is within ``years`` and is the id's year. Every date is not later than
///    ``DecisionContext/today`` and not before the registration date.
/// 3. Texts: the name and the place are not empty; texts fit their ``Field/maxLength``; a rename gives another
///    name and a relocation another place.
/// 4. A reception: people received from 0 to ``maxPeopleReceived``; deputies present are named once each.
///
/// Texts are trimmed (including the ideographic space); an optional text that is empty becomes `nil`; empty
/// deputy names are dropped. Pure: no I/O, no clock.
public enum Station {
    /// The years a station may be registered in.
    public static let years: ClosedRange<Int> = 2000...2100
    /// The largest number of people one reception may record.
    public static let maxPeopleReceived = 100_000

    /// A station as registered.
    public struct Registration: Sendable, Equatable {
        /// The station's name, such as "舞钢市垭口街道人大代表联络站".
        public var name: String
        /// Where it is: the county or district, such as "舞钢市".
        public var place: String
        /// The day it was registered (or set up).
        public var date: LocalDate
        /// A note, such as the address.
        public var note: String?

        /// Creates a registration.
        public init(name: String, place: String, date: LocalDate, note: String? = nil) {
            self.name = name
            self.place = place
            self.date = date
            self.note = note
        }
    }

    /// A reception day at the station (接待日).
    public struct Reception: Sendable, Equatable {
        /// The day.
        public var date: LocalDate
        /// How many people were received.
        public var peopleReceived: Int
        /// The deputies present, by name, if recorded.
        public var deputies: [String]
        /// A note.
        public var note: String?

        /// Creates a reception record.
        public init(date: LocalDate, peopleReceived: Int, deputies: [String] = [], note: String? = nil) {
            self.date = date
            self.peopleReceived = peopleReceived
            self.deputies = deputies
            self.note = note
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Registers a station under a caller-assigned id.
        case register(id: StationID, Registration)
        /// Records a reception day.
        case recordReception(Reception)
        /// Gives the station a new name.
        case rename(date: LocalDate, name: String)
        /// Moves the station to another place.
        case relocate(date: LocalDate, place: String)
        /// Closes the station.
        case close(date: LocalDate, note: String?)
    }

    /// What happened to a station; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// The station was registered.
        case registered(id: StationID, Registration)
        /// A reception day was recorded.
        case receptionRecorded(Reception)
        /// The station got a new name.
        case renamed(date: LocalDate, name: String)
        /// The station moved.
        case relocated(date: LocalDate, place: String)
        /// The station was closed.
        case closed(date: LocalDate, note: String?)
    }

    /// What the decider knows about a station.
    public enum State: Sendable, Equatable {
        /// Not registered yet.
        case absent
        /// Registered; what is known about it.
        case existing(Snapshot)
    }

    /// Everything the decider needs about a registered station.
    public struct Snapshot: Sendable, Equatable {
        /// The station's id.
        public var id: StationID
        /// The current name.
        public var name: String
        /// The current place.
        public var place: String
        /// The day it was registered.
        public var registeredOn: LocalDate
        /// How many reception days are recorded.
        public var receptions: Int
        /// How many people were received in all.
        public var peopleReceived: Int
        /// The day it was closed.
        public var closedOn: LocalDate?

        /// A freshly registered station.
        public init(id: StationID, registration: Registration) {
            self.id = id
            name = registration.name
            place = registration.place
            registeredOn = registration.date
            receptions = 0
            peopleReceived = 0
        }
    }

    /// The texts of a station that have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The station's name.
        case name
        /// The station's place.
        case place
        /// A deputy's name.
        case deputy
        /// A note.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .name, .place: 200
            case .deputy: 100
            case .note: 2000
            }
        }
    }

    /// Why a station command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The station is not registered yet.
        case notRegistered
        /// A station with this id is already registered.
        case alreadyRegistered(StationID)
        /// The station is closed; nothing more can be recorded.
        case alreadyClosed(StationID)
        /// The registration year is outside ``Station/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the registration year.
        case idYearMismatch(id: StationID, year: Int)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// A date is before the station was registered.
        case dateBeforeRegistration(LocalDate, registered: LocalDate)
        /// The name is empty.
        case emptyName
        /// The place is empty.
        case emptyPlace
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// The station already has this name.
        case nameUnchanged(String)
        /// The station is already at this place.
        case placeUnchanged(String)
        /// The number of people received is negative or above ``Station/maxPeopleReceived``.
        case peopleReceivedOutOfRange(Int)
        /// A deputy is named twice for one reception.
        case duplicateDeputy(String)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notRegistered:
                "The station is not registered yet; register it first."
            case .alreadyRegistered(let id):
                "Station \(id) is already registered; register a new station under the next free id."
            case .alreadyClosed(let id):
                "Station \(id) is closed; nothing more can be recorded on it."
            case .yearOutOfRange(let year):
                "The registration year \(year) is out of range; use a date from \(Station.years.lowerBound) to "
                    + "\(Station.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Station id \(id) does not belong to \(year), the year of registration; use an id of the form "
                    + "L\(year)-NNN."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .dateBeforeRegistration(let date, let registered):
                "The date \(date) is before the station was registered (\(registered)); check the date."
            case .emptyName:
                "The name is empty; give the station its name."
            case .emptyPlace:
                "The place is empty; say where the station is (county or district)."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .nameUnchanged(let name):
                "The station is already named \"\(name)\"; give a different name."
            case .placeUnchanged(let place):
                "The station is already at \"\(place)\"; give a different place."
            case .peopleReceivedOutOfRange(let count):
                "The number of people received (\(count)) is out of range; use 0 to \(Station.maxPeopleReceived)."
            case .duplicateDeputy(let name):
                "The deputy \"\(name)\" is named twice; name each deputy present once."
            }
        }
    }

    /// The state of a station stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to a station; refuses only with a ``Station/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The station's state, folded from its stream.
    ///   - context: Today.
    /// - Returns: The events to record (one per accepted command).
    /// - Throws: ``Station/Error``, the first rule the command breaks (see the rules on ``Station``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch (command, state) {
        case (.register(let id, let registration), .absent):
            let date = registration.date
            guard years.contains(date.year) else { throw .yearOutOfRange(date.year) }
            guard id.year == date.year else { throw .idYearMismatch(id: id, year: date.year) }
            guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
            guard let name = try optionalText(registration.name, .name) else { throw .emptyName }
            guard let place = try optionalText(registration.place, .place) else { throw .emptyPlace }
            let cleaned = Registration(
                name: name, place: place, date: date, note: try optionalText(registration.note, .note))
            return [.registered(id: id, cleaned)]
        case (.register, .existing(let station)):
            throw .alreadyRegistered(station.id)
        case (.recordReception, .absent), (.rename, .absent), (.relocate, .absent), (.close, .absent):
            throw .notRegistered

        case (.recordReception(let reception), .existing(let station)):
            try station.checkOpen(reception.date, context)
            guard (0...maxPeopleReceived).contains(reception.peopleReceived) else {
                throw .peopleReceivedOutOfRange(reception.peopleReceived)
            }
            var deputies: [String] = []
            for deputy in reception.deputies {
                guard let name = try optionalText(deputy, .deputy) else { continue }
                guard !deputies.contains(name) else { throw .duplicateDeputy(name) }
                deputies.append(name)
            }
            let cleaned = Reception(
                date: reception.date, peopleReceived: reception.peopleReceived, deputies: deputies,
                note: try optionalText(reception.note, .note))
            return [.receptionRecorded(cleaned)]

        case (.rename(let date, let name), .existing(let station)):
            try station.checkOpen(date, context)
            guard let name = try optionalText(name, .name) else { throw .emptyName }
            guard name != station.name else { throw .nameUnchanged(name) }
            return [.renamed(date: date, name: name)]

        case (.relocate(let date, let place), .existing(let station)):
            try station.checkOpen(date, context)
            guard let place = try optionalText(place, .place) else { throw .emptyPlace }
            guard place != station.place else { throw .placeUnchanged(place) }
            return [.relocated(date: date, place: place)]

        case (.close(let date, let note), .existing(let station)):
            try station.checkOpen(date, context)
            return [.closed(date: date, note: try optionalText(note, .note))]
        }
    }

    /// Applies one recorded event; never fails.
    ///
    /// An event that cannot follow the state leaves it unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .registered(let id, let registration)):
            return .existing(Snapshot(id: id, registration: registration))
        case (.absent, _), (.existing, .registered):
            return state
        case (.existing(var station), .receptionRecorded(let reception)):
            station.receptions += 1
            station.peopleReceived += reception.peopleReceived
            return .existing(station)
        case (.existing(var station), .renamed(_, let name)):
            station.name = name
            return .existing(station)
        case (.existing(var station), .relocated(_, let place)):
            station.place = place
            return .existing(station)
        case (.existing(var station), .closed(let date, _)):
            station.closedOn = date
            return .existing(station)
        }
    }

    /// The stream that holds a station's events: "station-<id>".
    public static func stream(_ id: StationID) -> StreamID { id.stream }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Station: Decider {}

extension Station.Snapshot {
    /// Refuses a command on a closed station, or dated after today or before the registration.
    fileprivate func checkOpen(_ date: LocalDate, _ context: DecisionContext) throws(Station.Error) {
        guard closedOn == nil else { throw .alreadyClosed(id) }
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        guard date >= registeredOn else { throw .dateBeforeRegistration(date, registered: registeredOn) }
    }
}
