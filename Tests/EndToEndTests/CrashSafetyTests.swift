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

    /// What the writers of one round saw, by command id.
    private struct RoundResult {
        /// Commands acknowledged.
        var acknowledged: [String]
        /// Commands sent that got no reply before the kill.
        var unanswered: [String]
        /// Replies that were neither a success nor a broken connection.
        var unexpected: [String]
    }

    /// The command of id `id`: even writers register departments, odd ones plan topics (whose ids the daemon
    /// assigns inside the write transaction, from the topic board).
    private static func command(_ id: String) -> (method: String, parameters: [String: Any]) {
        let name = String(id.dropFirst("crash-".count))
        let writer = Int(name.split(separator: "-")[1].dropFirst()) ?? 0
        if writer.isMultiple(of: 2) {
            return ("org.oversight.departments.Add", ["code": name, "name": "部门 \(name)", "commandId": id])
        }
        return (
            "org.oversight.topics.Plan",
            ["year": 2024, "kind": "research", "title": "调研 \(name)", "commandId": id]
        )
    }

    @Test func `kill -9 under 16 writers loses no acknowledged command and half-applies none`() throws {
        let seed = SeededGenerator.seed(for: "crash safety")
        var random = SeededGenerator(seed: seed)
        let scratch = try Scratch()
        var acknowledged: Set<String> = []
        var unanswered: [String] = []
        var committedUnanswered = 0
        for round in 0...Self.rounds {
            let daemon = try Daemon(scratch: scratch)
            let connection = try WireConnection(path: scratch.socket)
            // Retry what the last round left unanswered, with the same command ids: each applies at most once,
            // whether the kill came before its commit or after it (between the fsync and the reply).
            let recorded = Set(try allEvents(connection).compactMap(commandID(of:)))
            committedUnanswered += unanswered.filter(recorded.contains).count
            for id in unanswered {
                let (method, parameters) = Self.command(id)
                _ = try connection.parameters(method, parameters)
                acknowledged.insert(id)
            }
            try expectLogHoldsExactly(acknowledged, connection, round: round)
            guard round < Self.rounds else {
                #expect(daemon.stop() == 0)
                break
            }

            let killAfter = UInt32.random(in: 0...300_000, using: &random)
            let result = Self.writeUntilKilled(daemon, round: round, killAfterMicroseconds: killAfter)
            daemon.stop(signal: SIGKILL)
            #expect(result.unexpected.isEmpty, "round \(round): \(result.unexpected.prefix(5))")
            #expect(!result.acknowledged.isEmpty, "round \(round): nothing was acknowledged before the kill")
            acknowledged.formUnion(result.acknowledged)
            unanswered = result.unanswered
            // Offline, straight after the kill: chain intact, read models at the head and equal to a rebuild.
            try expectReadModelsEqualRebuild(stateDirectory: scratch.stateDirectory)
        }
        print(
            "crash safety: \(Self.rounds) kills, \(acknowledged.count) commands acknowledged and kept; "
                + "\(committedUnanswered) had committed without a reply before the kill and were not applied again")
    }

    /// Runs 16 writers (one connection each, command after command) and kills the daemon the given time after the
    /// first acknowledgement, so that every kill lands while commands are in flight.
    private static func writeUntilKilled(_ daemon: Daemon, round: Int, killAfterMicroseconds: UInt32) -> RoundResult {
        let pid = daemon.process.processIdentifier
        let socket = daemon.scratch.socket
        let acknowledged = Collected<String>()
        let unanswered = Collected<String>()
        let unexpected = Collected<String>()
        let writing = StopFlag()
        onThreads(writers + 1) { index in
            guard index < writers else {
                for _ in 0..<2000 where !writing.isRaised { usleep(1000) }
                usleep(killAfterMicroseconds)
                kill(pid, SIGKILL)
                return
            }
            guard let connection = try? WireConnection(path: socket) else { return }
            for number in 0... {
                let id = "crash-r\(round)-w\(index)-\(number)"
                let (method, parameters) = command(id)
                guard connection.send(method: method, parameters) else {
                    unanswered.append(id)
                    return
                }
                switch connection.read() {
                case .reply(let reply) where reply["error"] == nil:
                    acknowledged.append(id)
                    writing.raise()
                case .reply(let reply):
                    unexpected.append("\(id): \(reply)")
                    return
                case .malformed(let data):
                    unexpected.append("\(id): \(String(decoding: data, as: UTF8.self))")
                    return
                case .closed, .timedOut:
                    unanswered.append(id)
                    return
                }
            }
        }
        return RoundResult(acknowledged: acknowledged.all, unanswered: unanswered.all, unexpected: unexpected.all)
    }

    /// Every acknowledged command id is in exactly one event and no other id is (the retried unanswered commands
    /// count as acknowledged); the boards show exactly what the log holds, topic ids without gaps or repeats;
    /// `Verify` passes.
    private func expectLogHoldsExactly(_ acknowledged: Set<String>, _ connection: WireConnection, round: Int) throws {
        let events = try allEvents(connection)
        var perCommand: [String: Int] = [:]
        var departments: Set<String> = []
        var topics: [String] = []
        for event in events {
            perCommand[commandID(of: event) ?? "none", default: 0] += 1
            let data = event["data"] as? [String: Any] ?? [:]
            switch event["type"] as? String {
            case "DepartmentAdded": departments.insert(data["code"] as? String ?? "")
            case "TopicPlanned": topics.append(data["id"] as? String ?? "")
            case let other: Issue.record("round \(round): unexpected event \(other ?? "")")
            }
        }
        let twice = perCommand.filter { $0.value > 1 }.map(\.key)
        #expect(twice.isEmpty, "round \(round): recorded twice: \(twice.prefix(5))")
        let lost = acknowledged.subtracting(perCommand.keys)
        #expect(lost.isEmpty, "round \(round): acknowledged but lost: \(lost.prefix(5))")
        let unacknowledged = Set(perCommand.keys).subtracting(acknowledged)
        #expect(unacknowledged.isEmpty, "round \(round): recorded but never acknowledged: \(unacknowledged.prefix(5))")

        let board = try connection.parameters("org.oversight.departments.List")
        let codes = (board["departments"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        #expect(Set(codes) == departments && codes.count == departments.count, "round \(round): department board")
        let topicBoard = try connection.parameters("org.oversight.topics.List", ["year": 2024])
        let ids = (topicBoard["topics"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.sorted() == topics.sorted(), "round \(round): topic board")
        let expectedIDs = topics.isEmpty ? [] : (1...topics.count).map { String(format: "T2024-%03d", $0) }
        // Both sorted as text: from the 1,000th topic on, "T2024-1000" sorts before "T2024-101".
        #expect(topics.sorted() == expectedIDs.sorted(), "round \(round): topic ids \(topics.sorted().prefix(5))…")
        let verify = try connection.parameters("org.oversight.log.Verify")
        #expect(verify["intact"] as? Bool == true, "round \(round): \(verify)")
    }
}
