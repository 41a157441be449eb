import Foundation
import Varlink

/// One client's stream of durable one-event commands: plan a topic, record activities on it, plan the next.
///
/// Every call is one command that appends one event (a `TopicPlanned` or a `TopicActivityRecorded`) with its
/// projections (the topic board row and a timeline row), with a fresh `commandId` as `oversightctl` sends; the
/// topic's stream never grows past
/// ``Workload/activitiesPerTopic`` + 1 events, so a command's cost does not depend on how long the run is.
struct TopicWriter {
    let client: VarlinkClient
    let year: Int
    let clientIndex: Int
    private var topic: String?
    private var activities = 0
    private var issued = 0

    init(client: VarlinkClient, year: Int, clientIndex: Int) {
        self.client = client
        self.year = year
        self.clientIndex = clientIndex
    }

    /// Sends the next command and waits for its (durable) reply; returns the position of its event.
    mutating func next() async throws -> Int64 {
        issued += 1
        if let topic, activities < Workload.activitiesPerTopic {
            activities += 1
            let method = "org.oversight.topics.RecordActivity"
            var parameters = Workload.recordActivity(topic: topic, year: year, index: issued + clientIndex)
            parameters["commandId"] = .string(UUID().uuidString.lowercased())
            let reply = try await client.call(method, parameters)
            return try reply.position(method: method)
        }
        let method = "org.oversight.topics.Plan"
        var parameters = Workload.planTopic(year: year, index: issued + clientIndex)
        parameters["commandId"] = .string(UUID().uuidString.lowercased())
        let reply = try await client.call(method, parameters)
        topic = try reply.recordID("topic", method: method)
        activities = 0
        return try reply.position(method: method)
    }
}
