import Foundation
import OversightDomain

/// The typed event a command appended, kept beside its JSON `data` while the append's transaction runs.
///
/// The projections and the writer's folded states read each new event right after it was encoded; with the value
/// at hand they skip decoding the text again (``RecordedEvent/decoded(as:)``). It is never stored, encoded or
/// compared (``RecordedEvent`` and ``EventDraft`` equality is that of their columns). The domain's coding tests
/// check that decoding an event's data gives back the same value, so both ways read the same event.
public struct AppendedPayload: Sendable {
    /// The event value the data was encoded from.
    public let value: any EventCoding

    /// Keeps `value`, the event the draft's data was encoded from.
    public init(_ value: any EventCoding) {
        self.value = value
    }
}

extension RecordedEvent {
    /// The payload as `Event`: the appended value when the writer still holds it, else decoded from `data`.
    ///
    /// - Throws: ``DomainDecodingError`` when `data` is not an `Event` of this type.
    public func decoded<Event: EventCoding>(as _: Event.Type) throws(DomainDecodingError) -> Event {
        if let value = payload?.value as? Event, value.eventType == type { return value }
        return try Event.decode(eventType: type, data: Data(data.utf8))
    }
}
