import Varlink

/// Latency samples of one kind of call, and what they add up to.
///
/// Samples are kept whole (a run of a few minutes holds a few million), so percentiles are exact, not binned.
struct LatencyRecorder: Sendable {
    /// Each call's latency, in seconds, in the order recorded.
    private(set) var samples: [Double] = []

    /// Records one call's latency.
    mutating func record(_ duration: Duration) {
        samples.append(duration.seconds)
    }

    /// Adds another recorder's samples (one per client) to these.
    mutating func merge(_ other: LatencyRecorder) {
        samples += other.samples
    }

    /// The count, p50, p90, p99 and max (milliseconds), as a JSON object.
    var summary: JSONValue {
        let sorted = samples.sorted()
        func percentile(_ fraction: Double) -> JSONValue {
            guard !sorted.isEmpty else { return .null }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * fraction).rounded(.up)) - 1)
            return .double(sorted[max(index, 0)] * 1000)
        }
        return .object([
            "count": .int(Int64(sorted.count)),
            "p50Ms": percentile(0.50),
            "p90Ms": percentile(0.90),
            "p99Ms": percentile(0.99),
            "maxMs": sorted.last.map { .double($0 * 1000) } ?? .null,
        ])
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
