/// A government department under supervision (政府部门): the decider of the stream "department-<code>".
///
/// Example: `fgw`, 市发展和改革委员会.
///
/// Rules:
/// - `add` registers the code once; adding it again is refused (``Error/alreadyExists(_:)``).
/// - `rename` needs a registered department and a different name.
/// - Names are trimmed of surrounding white space, may not be empty, and have at most ``maxNameLength``
///   characters (grapheme clusters, so a Chinese character counts as one).
///
/// Pure: no I/O, no clock.
public enum Department {
    /// The maximum length of a department name, in characters.
    public static let maxNameLength = 100

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Registers a department under a new code, with its full name.
        case add(code: DepartmentCode, name: String)
        /// Gives a registered department a new name (departments are merged and renamed in reforms).
        case rename(name: String)
    }

    /// What happened to a department.
    public enum Event: Sendable, Equatable {
        /// The department was registered with this code and name (trimmed).
        case added(code: DepartmentCode, name: String)
        /// The department got this name (trimmed).
        case renamed(name: String)
    }

    /// What the decider knows about a department.
    public enum State: Sendable, Equatable {
        /// Nothing recorded yet.
        case absent
        /// Registered under a code, with its current name.
        case registered(code: DepartmentCode, name: String)
    }

    /// Why a department command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// A department with this code is already registered.
        case alreadyExists(DepartmentCode)
        /// The department is not registered, so it cannot be renamed.
        case notFound
        /// The name is empty or only white space.
        case emptyName
        /// The name is longer than the maximum number of characters.
        case nameTooLong(max: Int)
        /// The department already has this name.
        case nameUnchanged(String)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .alreadyExists(let code):
                "A department with code \"\(code)\" is already registered; "
                    + "use another code, or rename the existing one."
            case .notFound:
                "The department is not registered; add it first."
            case .emptyName:
                "The department name is empty; give the department's full name."
            case .nameTooLong(let max):
                "The department name is too long; use at most \(max) characters."
            case .nameUnchanged(let name):
                "The department is already named \"\(name)\"; nothing to rename."
            }
        }
    }

    /// The state of a department stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to a department; refuses only with a ``Department/Error``.
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch (command, state) {
        case (.add(let code, let name), .absent):
            return [.added(code: code, name: try validated(name))]
        case (.add(let code, _), .registered):
            throw .alreadyExists(code)
        case (.rename, .absent):
            throw .notFound
        case (.rename(let name), .registered(_, let current)):
            let name = try validated(name)
            guard name != current else { throw .nameUnchanged(current) }
            return [.renamed(name: name)]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .added(let code, let name)), (.registered, .added(let code, let name)):
            .registered(code: code, name: name)
        case (.registered(let code, _), .renamed(let name)):
            .registered(code: code, name: name)
        case (.absent, .renamed):
            // Cannot be in a decided history; a rename of nothing stays nothing.
            .absent
        }
    }

    /// The stream that holds a department's events: "department-<code>".
    public static func stream(_ code: DepartmentCode) -> StreamID {
        StreamID(category: "department", id: code.rawValue)
    }

    private static func validated(_ name: String) throws(Error) -> String {
        let name = name.trimmed
        guard !name.isEmpty else { throw .emptyName }
        guard name.count <= maxNameLength else { throw .nameTooLong(max: maxNameLength) }
        return name
    }
}

extension Department: Decider {}
