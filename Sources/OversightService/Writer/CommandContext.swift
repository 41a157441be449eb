import Foundation
import OversightDomain
import OversightStore

/// What one command sees inside the writer's transaction: the log, who asked, and the office's time.
struct CommandContext {
    /// The batch transaction; writes here commit together with the other commands of the batch.
    let transaction: WriteTransaction
    /// Recorded in every event this command appends.
    let metadata: EventMetadata
    /// The instant the batch started, recorded on each event.
    let now: Date
    /// The office's calendar day at `now`.
    let today: LocalDate
    /// Events this command appended, in order.
    private(set) var appended: [RecordedEvent] = []
    /// States folded by earlier commands of this writer.
    private let states: AggregateStates
    /// Per stream loaded by this command: folds what the command appends into the cached state.
    private let followers = Followers()

    /// The folds of the streams this command loaded (a class, so that loading needs no `inout` context).
    private final class Followers {
        var byStream: [String: ([RecordedEvent]) -> Void] = [:]
    }

    /// The state a command loaded, as its own appends move it on.
    private final class FoldedState<State> {
        var state: State
        var version: Int64

        init(state: State, version: Int64) {
            self.state = state
            self.version = version
        }
    }

    init(
        transaction: WriteTransaction, metadata: EventMetadata, now: Date, today: LocalDate, states: AggregateStates
    ) {
        self.transaction = transaction
        self.metadata = metadata
        self.now = now
        self.today = today
        self.states = states
    }

    /// Loads an aggregate's state by folding its stream; returns the state and the stream's version.
    ///
    /// `evolve` must be the aggregate's own fold for `State` (the same for every caller that loads `State` from a
    /// stream): the writer reuses the state it folded for an earlier command and folds only the events after it
    /// (see ``AggregateStates``). What this command then appends to the stream is folded in at once, so the next
    /// command on the stream finds the state current with one query.
    func load<State>(
        _ stream: StreamID, initial: State, evolve: @escaping (State, RecordedEvent) throws -> State
    ) throws -> (state: State, version: Int64) {
        let key = AggregateStates.Key(type: ObjectIdentifier(State.self), stream: stream.rawValue)
        let loaded = try fold(key, initial: initial, evolve: evolve)
        let states = self.states
        let folded = FoldedState(state: loaded.state, version: loaded.version)
        followers.byStream[stream.rawValue] = { events in
            for event in events {
                guard event.version == folded.version + 1, let next = try? evolve(folded.state, event) else {
                    states.remove(key)
                    return
                }
                folded.state = next
                folded.version = event.version
                states.store(AggregateStates.Entry(version: event.version, hash: event.hash, state: next), for: key)
            }
        }
        return loaded
    }

    /// The state of `key`'s stream: the cached one when the stream's last event is still the one it was folded
    /// up to, else the cached one folded forward, else a fold from the first event.
    private func fold<State>(
        _ key: AggregateStates.Key, initial: State, evolve: (State, RecordedEvent) throws -> State
    ) throws -> (state: State, version: Int64) {
        var state = initial
        var version: Int64 = 0
        var hash: Data?
        let cached = states.entry(key)
        if let cached, let cachedState = cached.state as? State {
            // The usual case, one query: nothing was appended to the stream since the state was folded.
            if let last = try transaction.lastEvent(inStream: key.stream), last.version == cached.version,
                last.hash == cached.hash
            {
                return (cachedState, cached.version)
            }
            if try transaction.eventHash(stream: key.stream, version: cached.version) == cached.hash {
                state = cachedState
                version = cached.version
                hash = cached.hash
            }
        }
        let folded = version
        for event in try transaction.events(inStream: key.stream, after: version) {
            state = try evolve(state, event)
            version = event.version
            hash = event.hash
        }
        if let hash, version != folded || cached == nil {
            states.store(AggregateStates.Entry(version: version, hash: hash, state: state), for: key)
        }
        return (state, version)
    }

    /// Appends domain events to a stream at the expected version.
    @discardableResult
    mutating func append(
        _ events: [some EventCoding], to stream: StreamID, expectedVersion: ExpectedVersion
    ) throws -> [RecordedEvent] {
        let drafts = try events.map {
            EventDraft(
                type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self),
                payload: AppendedPayload($0))
        }
        let recorded = try transaction.append(
            drafts, to: stream.rawValue, expectedVersion: expectedVersion, meta: metadata, recordedAt: now
        )
        appended += recorded
        followers.byStream[stream.rawValue]?(recorded)
        return recorded
    }
}
