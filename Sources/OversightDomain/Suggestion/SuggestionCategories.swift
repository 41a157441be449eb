/// The versions of one list of reply categories: the decider of the stream "categories-<name>".
///
/// `define` records the next version of a list, in force from a day on. The built-in national list is version 1
/// of "national" without any event, so the first version an office defines of it is 2; another name starts at 1.
///
/// Rules, checked in this order:
/// 1. At least one category and at most 26; each letter is one of A to Z, used once; each meaning is not empty
///    and at most ``maxMeaningLength`` characters (trimmed).
/// 2. A version is in force from a day not before the previous version's.
/// 3. A version that changes nothing (same categories and wording as the version before) is refused.
///
/// Pure: no I/O, no clock.
public enum SuggestionCategories {
    /// The longest meaning, in characters.
    public static let maxMeaningLength = 200

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Records a new version of the list `name`, in force from `effectiveFrom`.
        case define(name: SuggestionCategoryList.Name, effectiveFrom: LocalDate, [SuggestionCategoryList.Category])
    }

    /// What happened to a list; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// A version of the list was defined.
        case defined(SuggestionCategoryList)
    }

    /// The versions defined by events, oldest first (the built-in version is not among them).
    public typealias State = [SuggestionCategoryList]

    /// Why a definition was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The definition has no category.
        case noCategories
        /// The definition has more than 26 categories.
        case tooManyCategories(Int)
        /// A letter is not one of A to Z.
        case invalidLetter(String)
        /// A letter is used twice.
        case duplicateLetter(String)
        /// A category's meaning is empty.
        case emptyMeaning(letter: String)
        /// A category's meaning is too long.
        case meaningTooLong(letter: String, max: Int)
        /// The version would be in force before the version it follows.
        case effectiveBeforePrevious(LocalDate, previous: String, previousFrom: LocalDate)
        /// The version is the same as the version it follows.
        case unchanged(previous: String)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .noCategories:
                "The list has no category; give at least one, such as A=已解决或基本解决."
            case .tooManyCategories(let count):
                "The list has \(count) categories; use at most 26 (one per letter A to Z)."
            case .invalidLetter(let letter):
                "\"\(letter.prefix(20))\" is not a category letter; use one capital letter from A to Z."
            case .duplicateLetter(let letter):
                "Category \(letter) is given twice; give each letter once."
            case .emptyMeaning(let letter):
                "Category \(letter) has no meaning; say what the category means."
            case .meaningTooLong(let letter, let max):
                "The meaning of category \(letter) is too long; use at most \(max) characters."
            case .effectiveBeforePrevious(let date, let previous, let previousFrom):
                "The new version would be in force from \(date), before \(previous) (in force from "
                    + "\(previousFrom)); give a day on or after \(previousFrom)."
            case .unchanged(let previous):
                "The categories are the same as \(previous); nothing to define."
            }
        }
    }

    /// No version defined yet.
    public static let initial: State = []

    /// Decides a definition; returns the new version or refuses with an ``Error``.
    ///
    /// - Parameters:
    ///   - command: The definition.
    ///   - state: The versions already defined for the list.
    ///   - context: Unused (a definition needs neither today nor the departments); kept for the ``Decider`` shape.
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch command {
        case .define(let name, let effectiveFrom, let categories):
            let cleaned = try validated(categories)
            let previous = state.last ?? SuggestionCategoryList.builtIn(name)
            if let previous {
                guard effectiveFrom >= previous.effectiveFrom else {
                    throw .effectiveBeforePrevious(
                        effectiveFrom, previous: previous.reference, previousFrom: previous.effectiveFrom)
                }
                guard cleaned != previous.categories else { throw .unchanged(previous: previous.reference) }
            }
            let list = SuggestionCategoryList(
                name: name, version: (previous?.version ?? 0) + 1, effectiveFrom: effectiveFrom, categories: cleaned)
            return [.defined(list)]
        }
    }

    /// Applies one recorded event.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch event {
        case .defined(let list): state + [list]
        }
    }

    /// Every version of the list `name`: the built-in one (if any), then the defined ones, oldest first.
    public static func versions(of name: SuggestionCategoryList.Name, defined: State) -> [SuggestionCategoryList] {
        (SuggestionCategoryList.builtIn(name).map { [$0] } ?? []) + defined
    }

    /// The version of the list `name` in force on `date`: the highest version in force from that day or earlier.
    public static func inForce(
        _ name: SuggestionCategoryList.Name, on date: LocalDate, defined: State
    ) -> SuggestionCategoryList? {
        versions(of: name, defined: defined).last { $0.effectiveFrom <= date }
    }

    /// The stream that holds a list's versions: "categories-<name>".
    public static func stream(_ name: SuggestionCategoryList.Name) -> StreamID {
        StreamID(category: "categories", id: name.rawValue)
    }

    private static func validated(
        _ categories: [SuggestionCategoryList.Category]
    ) throws(Error) -> [SuggestionCategoryList.Category] {
        guard !categories.isEmpty else { throw .noCategories }
        guard categories.count <= 26 else { throw .tooManyCategories(categories.count) }
        var seen: Set<String> = []
        var result: [SuggestionCategoryList.Category] = []
        for category in categories {
            let letter = category.letter.trimmed
            guard letter.count == 1, let scalar = letter.unicodeScalars.first, ("A"..."Z").contains(scalar) else {
                throw .invalidLetter(category.letter)
            }
            guard seen.insert(letter).inserted else { throw .duplicateLetter(letter) }
            let meaning = category.meaning.trimmed
            guard !meaning.isEmpty else { throw .emptyMeaning(letter: letter) }
            guard meaning.count <= maxMeaningLength else {
                throw .meaningTooLong(letter: letter, max: maxMeaningLength)
            }
            result.append(.init(letter: letter, meaning: meaning, reasonRequired: category.reasonRequired))
        }
        return result
    }
}

extension SuggestionCategories: Decider {}
