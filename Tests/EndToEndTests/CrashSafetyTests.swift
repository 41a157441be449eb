import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` of the real daemon while 16 clients record: nothing acknowledged is lost, nothing is half-applied.
@Suite(.serialized)
struct CrashSafetyTests {
    private static let rounds = 20
    private static let writers = 16

    /// What the writers of one round saw.
    private struct RoundResult {
        /// Department codes whose `Add` was acknowledged.
        var acknowledged: [String]
        /// Department codes whose `Add` was sent but got no reply before the kill.
        var unanswered: [String]
        /// Replies that were neither a success nor a broken connection.
        var unexpected: [String]
    }

    @Test func `kill -9 under 16 writers loses no acknowledged command and half-applies none`() throws {
        let seed = SeededGenerator.seed(for: "crash safety")
        var random = SeededGenerator(seed: seed)
        let scratch = try Scratch()
        var acknowledged: Set<String> = []
        var unanswered: [String] = []
        for round in 0...Self.rounds {
            let daemon = try Daemon(scratch: scratch)
            let connection = try WireConnection(path: scratch.socket)
            // Retry what the last round left unanswered, with the same command ids: each applies at most once.
            for code in unanswered {
                let reply = try connection.parameters(
                    "org.oversight.departments.Add", ["code": code, "name": "部门 \(code)", "commandId": "crash-\(code)"])
                #expect((reply["department"] as? [String: Any])?["code"] as? String == code)
                acknowledged.insert(code)
            }
            try expectLogHoldsExactly(acknowledged, connection, round: round)
            guard round < Self.rounds else {
                #expect(daemon.stop() == 0)
                break
            }

            let killAfter = UInt32.random(in: 30_000...400_000, using: &random)
            let result = Self.writeUntilKilled(daemon, round: round, killAfterMicroseconds: killAfter)
            daemon.stop(signal: SIGKILL)
            #expect(result.unexpected.isEmpty, "round \(round): \(result.unexpected.prefix(5))")
            #expect(!result.acknowledged.isEmpty || killAfter < 100_000, "round \(round): nothing was acknowledged")
            acknowledged.formUnion(result.acknowledged)
            unanswered = result.unanswered
            // Offline, straight after the kill: chain intact, read models at the head and equal to a rebuild.
            try expectReadModelsEqualRebuild(stateDirectory: scratch.stateDirectory)
        }
        print("crash safety: \(Self.rounds) kills, \(acknowledged.count) commands acknowledged and kept")
    }

    /// Runs 16 writers (one connection each, `Add` after `Add`) and kills the daemon after the given time.
    private static func writeUntilKilled(_ daemon: Daemon, round: Int, killAfterMicroseconds: UInt32) -> RoundResult {
        let pid = daemon.process.processIdentifier
        let socket = daemon.scratch.socket
        let acknowledged = Collected<String>()
        let unanswered = Collected<String>()
        let unexpected = Collected<String>()
        onThreads(writers + 1) { index in
            guard index < writers else {
                usleep(killAfterMicroseconds)
                kill(pid, SIGKILL)
                return
            }
            guard let connection = try? WireConnection(path: socket) else { return }
            for number in 0... {
                let code = "r\(round)-w\(index)-\(number)"
                let sent = connection.send(
                    method: "org.oversight.departments.Add",
                    ["code": code, "name": "部门 \(code)", "commandId": "crash-\(code)"])
                guard sent else {
                    unanswered.append(code)
                    return
                }
                switch connection.read() {
                case .reply(let reply) where reply["error"] == nil:
                    acknowledged.append(code)
                case .reply(let reply):
                    unexpected.append("\(code): \(reply)")
                    return
                case .malformed(let data):
                    unexpected.append("\(code): \(String(decoding: data, as: UTF8.self))")
                    return
                case .closed, .timedOut:
                    unanswered.append(code)
                    return
                }
            }
        }
        return RoundResult(acknowledged: acknowledged.all, unanswered: unanswered.all, unexpected: unexpected.all)
    }

    /// Every acknowledged code was recorded exactly once, with its command id, and nothing else was (the retried
    /// unanswered commands count as acknowledged); the
    /// department board shows exactly the recorded departments; `Verify` passes.
    private func expectLogHoldsExactly(_ acknowledged: Set<String>, _ connection: WireConnection, round: Int) throws {
        let events = try allEvents(connection)
        var recorded: [String: Int] = [:]
        for event in events {
            #expect(event["type"] as? String == "DepartmentAdded")
            guard let code = (event["data"] as? [String: Any])?["code"] as? String else { continue }
            recorded[code, default: 0] += 1
            #expect(commandID(of: event) == "crash-\(code)")
        }
        let twice = recorded.filter { $0.value > 1 }.map(\.key)
        #expect(twice.isEmpty, "round \(round): recorded twice: \(twice.prefix(5))")
        let lost = acknowledged.subtracting(recorded.keys)
        #expect(lost.isEmpty, "round \(round): acknowledged but lost: \(lost.prefix(5))")
        // Every unanswered command of the last round was retried and acknowledged, so nothing else may be there.
        let unacknowledged = Set(recorded.keys).subtracting(acknowledged)
        #expect(unacknowledged.isEmpty, "round \(round): recorded but never acknowledged: \(unacknowledged.prefix(5))")
        let board = try connection.parameters("org.oversight.departments.List")
        let codes = (board["departments"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(Set(codes) == Set(recorded.keys), "round \(round): the board differs from the log")
        #expect(codes.count == recorded.count)
        let verify = try connection.parameters("org.oversight.log.Verify")
        #expect(verify["intact"] as? Bool == true, "round \(round): \(verify)")
    }
}
