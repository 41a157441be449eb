/// The shape of every aggregate: an initial state, a decision that turns a command into events, and an
/// evolution that folds recorded events into state.
///
/// `decide` is pure and refuses only with its own `Failure`; `evolve` never fails, because recorded history is
/// already decided. A caller loads a stream, folds it with ``state(after:)``, decides, and appends the events.
public protocol Decider {
    /// What someone asks for.
    associatedtype Command: Sendable
    /// What happened; the only thing recorded.
    associatedtype Event: Sendable
    /// What the decider knows, rebuilt from events.
    associatedtype State: Sendable
    /// Why a command was refused.
    associatedtype Failure: Swift.Error

    /// The state before any event.
    static var initial: State { get }
    /// Decides what a command does in a state; returns the events to record or throws a refusal.
    static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Failure) -> [Event]
    /// Applies one recorded event to a state.
    static func evolve(_ state: State, _ event: Event) -> State
}

extension Decider {
    /// Folds recorded events, in order, into the state they lead to, starting from ``initial``.
    public static func state(after events: some Sequence<Event>) -> State {
        events.reduce(initial, evolve)
    }

    /// Decides a command against the state that `history` leads to.
    ///
    /// - Parameters:
    ///   - command: The command to decide.
    ///   - history: The aggregate's recorded events, in stream order.
    ///   - context: Today and the department registry.
    /// - Returns: The new events.
    /// - Throws: The decider's `Failure` when the command is refused.
    public static func decide(
        _ command: Command, given history: some Sequence<Event>, _ context: DecisionContext
    ) throws(Failure) -> [Event] {
        try decide(command, state(after: history), context)
    }
}
