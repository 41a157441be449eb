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
    /// (see ``AggregateStates``).
    func load<State>(
        _ stream: StreamID, initial: State, evolve: (State, RecordedEvent) throws -> State
    ) throws -> (state: State, version: Int64) {
        let key = AggregateStates.Key(type: ObjectIdentifier(State.self), stream: stream.rawValue)
        var state = initial
        var version: Int64 = 0
        var hash: Data?
        if let cached = states.entry(key), let cachedState = cached.state as? State,
            try transaction.eventHash(stream: stream.rawValue, version: cached.version) == cached.hash
        {
            state = cachedState
            version = cached.version
            hash = cached.hash
        }
        let folded = version
        for event in try transaction.events(inStream: stream.rawValue, after: version) {
            state = try evolve(state, event)
            version = event.version
            hash = event.hash
        }
        if let hash, version != folded || states.entry(key) == nil {
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
            EventDraft(type: $0.eventType, data: String(decoding: try $0.encodedData(), as: UTF8.self))
        }
        let recorded = try transaction.append(
            drafts, to: stream.rawValue, expectedVersion: expectedVersion, meta: metadata, recordedAt: now
        )
        appended += recorded
        return recorded
    }
}
