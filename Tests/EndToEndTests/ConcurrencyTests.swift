import Foundation
import Testing

/// Many clients racing on one stream through the real daemon: each command succeeds or is refused, no update is
/// lost, and a retried command id is applied once.
@Suite(.serialized)
struct ConcurrencyTests {
    private static let clients = 16

    @Test func `16 clients renaming one department lose no update`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let setup = try WireConnection(path: scratch.socket)
        _ = try setup.parameters("org.oversight.departments.Add", ["code": "fgw", "name": "市发展和改革委员会"])
        let renamesPerClient = 10
        let succeeded = Collected<String>()
        let failures = Collected<String>()
        let socket = scratch.socket
        onThreads(Self.clients) { client in
            guard let connection = try? WireConnection(path: socket) else {
                failures.append("client \(client) could not connect")
                return
            }
            for number in 0..<renamesPerClient {
                let name = "名称 \(client)-\(number)"
                do {
                    let reply = try connection.call(
                        "org.oversight.departments.Rename",
                        ["code": "fgw", "name": name, "commandId": "rename-\(client)-\(number)"])
                    switch reply["error"] as? String {
                    case nil: succeeded.append(name)
                    case "org.oversight.departments.Conflict": continue
                    case let other: failures.append("\(name): \(other ?? "") \(reply)")
                    }
                } catch {
                    failures.append("\(name): \(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")

        // Every acknowledged rename is in the stream once, versions have no gap, the board shows the last one.
        let events = try allEvents(setup).filter { $0["stream"] as? String == "department-fgw" }
        let renamed = events.dropFirst().compactMap { ($0["data"] as? [String: Any])?["name"] as? String }
        #expect(renamed.count == succeeded.all.count)
        #expect(Set(renamed) == Set(succeeded.all))
        #expect(events.compactMap { $0["version"] as? Int } == Array(1...events.count))
        let board = try setup.parameters("org.oversight.departments.List")
        let department = (board["departments"] as? [[String: Any]])?.first
        #expect(department?["name"] as? String == renamed.last)
        #expect(daemon.stop() == 0)
    }

    @Test func `16 clients racing one topic transition: exactly one wins, the others are refused`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let setup = try WireConnection(path: scratch.socket)
        _ = try setup.parameters("org.oversight.departments.Add", ["code": "mzj", "name": "市民政局"])
        let plan = try setup.parameters(
            "org.oversight.topics.Plan",
            ["year": 2024, "kind": "law-inspection", "title": "养老服务条例执法检查", "departments": ["mzj"]])
        let id = try #require((plan["topic"] as? [String: Any])?["id"] as? String)
        _ = try setup.parameters(
            "org.oversight.topics.Deliberate", ["id": id, "term": 12, "session": 11, "date": "2024-06-25"])

        let outcomes = Collected<String>()
        let start = StopFlag()
        let socket = scratch.socket
        onThreads(Self.clients + 1) { client in
            guard client < Self.clients else {
                // Every client connects first, then all send at once.
                usleep(100_000)
                start.raise()
                return
            }
            guard let connection = try? WireConnection(path: socket) else {
                outcomes.append("no connection")
                return
            }
            while !start.isRaised { usleep(100) }
            do {
                let reply = try connection.call(
                    "org.oversight.topics.TransferOpinions",
                    ["id": id, "date": "2024-07-05", "dueDate": "2024-10-05", "commandId": "transfer-\(client)"])
                outcomes.append(reply["error"] as? String ?? "ok")
            } catch {
                outcomes.append("\(error)")
            }
        }
        let counts = Dictionary(grouping: outcomes.all, by: { $0 }).mapValues(\.count)
        #expect(counts["ok"] == 1, "\(counts)")
        #expect(counts["org.oversight.topics.Rejected"] == Self.clients - 1, "\(counts)")
        let events = try allEvents(setup).filter { $0["type"] as? String == "TopicOpinionsTransferred" }
        #expect(events.count == 1)
        #expect(daemon.stop() == 0)
    }

    @Test func `a command id retried by 16 clients at once is applied once`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let replies = Collected<String>()
        let socket = scratch.socket
        onThreads(Self.clients) { _ in
            guard let connection = try? WireConnection(path: socket) else { return }
            for _ in 0..<5 {
                let reply = try? connection.call(
                    "org.oversight.departments.Add", ["code": "kjj", "name": "市科学技术局", "commandId": "same-id"])
                let data = reply.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: .sortedKeys) }
                replies.append(data.map { String(decoding: $0, as: UTF8.self) } ?? "no reply")
            }
        }
        #expect(replies.all.count == Self.clients * 5)
        #expect(Set(replies.all).count == 1, "\(Set(replies.all).prefix(3))")
        #expect(replies.all.first?.contains("\"error\"") == false)
        let connection = try WireConnection(path: scratch.socket)
        #expect(try allEvents(connection).count == 1)
        // The same id for another request is refused, and records nothing.
        let reused = try connection.call(
            "org.oversight.departments.Add", ["code": "kjj2", "name": "另一个", "commandId": "same-id"])
        #expect(reused["error"] as? String == "org.oversight.departments.CommandIdReused")
        #expect(try allEvents(connection).count == 1)
        #expect(daemon.stop() == 0)
    }
}
