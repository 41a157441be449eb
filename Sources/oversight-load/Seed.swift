import ArgumentParser
import Varlink

/// `seed`: the departments and the board year's topics and items that the queries read.
struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Register the departments and write the board year (topics, items, answers) the queries read.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let clients = try await connection.connect(1)
        let client = clients[0]
        for index in 0..<Workload.departments {
            _ = try await client.call("org.oversight.departments.Add", Workload.addDepartment(index))
        }
        let year = Workload.boardYear
        var items = 0
        for topicIndex in 0..<Workload.boardTopics {
            let plan = "org.oversight.topics.Plan"
            let topic = try await client.call(plan, Workload.planTopic(year: year, index: topicIndex))
                .recordID("topic", method: plan)
            for activity in 0..<2 {
                _ = try await client.call(
                    "org.oversight.topics.RecordActivity",
                    Workload.recordActivity(topic: topic, year: year, index: topicIndex + activity))
            }
            for itemIndex in 0..<Workload.itemsPerTopic {
                let department = topicIndex * Workload.itemsPerTopic + itemIndex
                let add = "org.oversight.items.Add"
                let item = try await client.call(add, Workload.addItem(topic: topic, year: year, index: department))
                    .recordID("item", method: add)
                items += 1
                if itemIndex % 2 == 0 {
                    _ = try await client.call(
                        "org.oversight.items.Answer", Workload.answerItem(item: item, year: year, index: department))
                }
            }
        }
        let head = try await client.call("org.oversight.log.Status")["headPosition"]?.intValue ?? 0
        await client.close()
        Report.print(
            [
                "departments": .int(Int64(Workload.departments)), "topics": .int(Int64(Workload.boardTopics)),
                "items": .int(Int64(items)), "head": .int(head),
            ],
            summary: "seeded \(Workload.departments) departments, \(Workload.boardTopics) topics, \(items) items")
    }
}
