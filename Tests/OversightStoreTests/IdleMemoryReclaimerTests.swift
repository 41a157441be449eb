import Dispatch
import Foundation
import Synchronization
import Testing

@testable import OversightStore

/// Memory is given back only once the writer has been quiet for the quiet period, and the log works on after it.
struct IdleMemoryReclaimerTests {
    /// The uptimes, in nanoseconds, at which the reclaimer's release ran.
    private final class Releases: Sendable {
        private let times = Mutex<[UInt64]>([])
        func record() { times.withLock { $0.append(DispatchTime.now().uptimeNanoseconds) } }
        var all: [UInt64] { times.withLock { $0 } }
    }

    @Test func `memory is reclaimed after the last write and its quiet period, not between writes`() async throws {
        let quiet = Duration.milliseconds(400)
        let quietNanoseconds: UInt64 = 400_000_000
        let releases = Releases()
        let reclaimer = IdleMemoryReclaimer(quietPeriod: quiet) { releases.record() }
        var notes: [UInt64] = []
        let start = ContinuousClock.now
        while ContinuousClock.now - start < .milliseconds(1_500) {
            notes.append(DispatchTime.now().uptimeNanoseconds)
            reclaimer.noteActivity()
            try await Task.sleep(for: .milliseconds(10))
        }
        guard let last = notes.last else { Issue.record("no writes noted"); return }
        let deadline = ContinuousClock.now + .seconds(60)
        while !releases.all.contains(where: { $0 >= last }), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        let all = releases.all
        // Between writes, a release may only follow a pause of the test itself (a loaded machine) as long as the
        // quiet period; otherwise there is none.
        let pauses = zip(notes, notes.dropFirst()).filter { $1 - $0 >= quietNanoseconds }.count
        #expect(all.filter { $0 < last }.count <= pauses, "released during writes: \(all.count) releases")
        let after = all.filter { $0 >= last }
        #expect(after.count == 1, "releases after the last write: \(after.count)")
        #expect(after.allSatisfy { $0 - last >= quietNanoseconds })
    }

    @Test func `a reclaimer that saw no write releases nothing`() async throws {
        let releases = Releases()
        let reclaimer = IdleMemoryReclaimer(quietPeriod: .milliseconds(50)) { releases.record() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(releases.all.isEmpty)
        reclaimer.reclaimNow()
        #expect(releases.all.count == 1)
    }

    @Test func `the log reads and appends after its memory is reclaimed`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            for index in 0..<20 { try append(log, ["T"], to: "s-\(index)") }
            #expect(try log.events(after: 0, limit: 100).count == 20)
            log.memoryReclaimer.reclaimNow()
            #expect(try log.events(after: 0, limit: 100).count == 20)
            try append(log, ["T"], to: "s-0", expected: .exactly(1))
            #expect(try log.events(inStream: "s-0").map(\.version) == [1, 2])
            #expect(try log.verifyChain().isIntact)
        }
    }
}
