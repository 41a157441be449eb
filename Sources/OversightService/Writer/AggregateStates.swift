import Foundation

/// Aggregate states the writer has already folded, so that a command folds only the events appended since.
///
/// Loading an aggregate folds its whole stream; a topic with twenty events costs twenty decodes per command.
/// The writer keeps, per (state type, stream), the state it last folded with the version and hash of the event it
/// was folded up to. A later load reuses it only when the log, inside the current transaction, still holds that
/// very event (same stream, version and hash): a batch or savepoint that rolled back cannot leak into a later
/// command, since its events are gone and the hash check fails; the stream is then folded from the start.
///
/// - Important: Owned by the writer thread and used only there (it is created in the writer's run loop).
final class AggregateStates {
    struct Key: Hashable {
        var type: ObjectIdentifier
        var stream: String
    }

    struct Entry {
        var version: Int64
        var hash: Data
        var state: Any
    }

    /// At most this many states are kept; when full, the cache is emptied and refills with what is used.
    let capacity: Int
    private var entries: [Key: Entry] = [:]

    init(capacity: Int = 16_384) {
        self.capacity = capacity
    }

    /// The entry for `key`, if any.
    func entry(_ key: Key) -> Entry? {
        entries[key]
    }

    /// Forgets the state of `key`.
    func remove(_ key: Key) {
        entries[key] = nil
    }

    /// Remembers a folded state.
    func store(_ entry: Entry, for key: Key) {
        if entries.count >= capacity, entries[key] == nil {
            entries.removeAll(keepingCapacity: true)
        }
        entries[key] = entry
    }
}
