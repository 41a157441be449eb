import Foundation
import Testing

@testable import OversightStore

struct TimestampTests {
    @Test(arguments: [
        (Int64(1_724_034_600_123), "2024-08-19T02:30:00.123Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (Timestamp.minimumMilliseconds, "0001-01-01T00:00:00.000Z"),
        (Timestamp.maximumMilliseconds, "9999-12-31T23:59:59.999Z"),
    ])
    func `milliseconds format to ISO-8601 UTC text and parse back`(milliseconds: Int64, text: String) {
        #expect(Timestamp.format(milliseconds: milliseconds) == text)
        #expect(Timestamp.parse(text) == milliseconds)
    }

    @Test(arguments: [
        "2024-08-19T02:30:00Z", "2024-08-19 02:30:00.123Z", "2024-02-30T00:00:00.000Z", "2023-02-29T00:00:00.000Z",
        "2024-13-01T00:00:00.000Z", "2024-08-19T24:00:00.000Z", "2024-08-19T02:30:00.123+", "0000-01-01T00:00:00.000Z",
        "2024-08-19T02:30:00.12xZ", "",
    ])
    func `malformed text is not a timestamp`(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func `random instants of the storable range format to text that parses back to them`() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let milliseconds = Int64.random(
                in: Timestamp.minimumMilliseconds...Timestamp.maximumMilliseconds, using: &generator)
            let text = Timestamp.format(milliseconds: milliseconds)
            #expect(text.utf8.count == 24)
            #expect(Timestamp.parse(text) == milliseconds, "\(milliseconds) → \(text)")
        }
    }

    @Test func `dates are truncated to the millisecond and round-trip exactly`() {
        #expect(Timestamp.milliseconds(of: Date(timeIntervalSince1970: 1_724_034_600.123_9)) == 1_724_034_600_123)
        #expect(Timestamp.milliseconds(of: Date(timeIntervalSince1970: -0.000_5)) == -1)
        for milliseconds in stride(from: Int64(1_724_034_600_000), to: 1_724_034_601_000, by: 1) {
            #expect(Timestamp.milliseconds(of: Timestamp.date(milliseconds: milliseconds)) == milliseconds)
        }
        #expect(Timestamp.milliseconds(of: Date(timeIntervalSince1970: 1e15)) == nil)
    }
}
