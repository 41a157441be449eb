import Varlink

/// The records the load generator writes and reads, and the parameters of each call.
///
/// Three kinds of year keep the figures comparable at every log size:
/// - the **board year** (2024) holds a fixed board that the queries read: ``boardTopics`` topics with
///   ``itemsPerTopic`` items each over ``departments`` departments, written once by `seed`;
/// - the **history years** (2000–2023) hold what `fill` writes to make the log large, spread so that no stream
///   grows long (an aggregate is loaded by folding its stream);
/// - the **load year** (2025) holds what the timed write runs add: each client plans a topic, records
///   ``activitiesPerTopic`` activities on it, then plans the next, so every command is one event.
enum Workload {
    /// The year whose boards the queries read.
    static let boardYear = 2024
    /// The years `fill` writes into.
    static let historyYears = 2000...2023
    /// The year the timed write runs write into.
    static let loadYear = 2025
    /// How many departments `seed` registers.
    static let departments = 20
    /// How many topics of the board year `seed` plans.
    static let boardTopics = 40
    /// How many items `seed` adds to each board topic.
    static let itemsPerTopic = 10
    /// How many activities a write client records on a topic before it plans the next one.
    static let activitiesPerTopic = 19

    /// The code of department `index` (0-based): "d01" … "d20".
    static func department(_ index: Int) -> String {
        let number = index % departments + 1
        return number < 10 ? "d0\(number)" : "d\(number)"
    }

    /// `Departments.Add` of department `index`.
    static func addDepartment(_ index: Int) -> [String: JSONValue] {
        ["code": .string(department(index)), "name": .string("【示例】第\(index + 1)部门")]
    }

    /// `Topics.Plan` of a topic in `year`, naming two departments.
    static func planTopic(year: Int, index: Int) -> [String: JSONValue] {
        [
            "year": .int(Int64(year)), "kind": "law-inspection",
            "title": .string("【示例】执法检查 \(index)"), "committee": "教科文卫委",
            "departments": .array([.string(department(index)), .string(department(index + 1))]),
        ]
    }

    /// `Topics.RecordActivity` on `topic` (of `year`), dated in that year.
    static func recordActivity(topic: String, year: Int, index: Int) -> [String: JSONValue] {
        [
            "id": .string(topic),
            "activity": .object([
                "kind": "field-visit", "date": .string(date(year: year, index: index)),
                "places": .array([.string("【示例】第\(index % 9 + 1)县")]), "peopleMet": .int(Int64(index % 40)),
            ]),
        ]
    }

    /// `Items.Add` of a problem item under `topic`, led by department `index`.
    static func addItem(topic: String, year: Int, index: Int) -> [String: JSONValue] {
        [
            "parent": .string(topic), "kind": "problem", "aspect": .string("【示例】方面\(index % 5 + 1)"),
            "text": .string("【示例】问题 \(index)"), "lead": .string(department(index)),
            "dueDate": .string("\(year)-12-31"), "date": .string("\(year)-03-01"),
        ]
    }

    /// `Items.Answer` of `item` by its lead department `index`.
    static func answerItem(item: String, year: Int, index: Int) -> [String: JSONValue] {
        [
            "id": .string(item), "department": .string(department(index)), "date": .string("\(year)-09-01"),
            "text": "【示例】已整改", "claimed": "resolved",
        ]
    }

    /// A day of `year` between 1 March and 28 August, varying with `index`.
    static func date(year: Int, index: Int) -> String {
        let month = 3 + index % 6
        let day = 1 + index % 28
        return "\(year)-0\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// The three queries timed under write load, in turn.
    static let queries: [(name: String, method: String, parameters: [String: JSONValue])] = [
        ("topic-board", "org.oversight.topics.List", ["year": .int(Int64(boardYear))]),
        (
            "department-items", "org.oversight.items.List",
            ["department": .string(department(0)), "year": .int(Int64(boardYear))]
        ),
        ("scorecard", "org.oversight.reports.Scorecard", ["year": .int(Int64(boardYear))]),
    ]
}

/// What the calls' replies must hold; a reply without it is a protocol or daemon defect, reported as such.
enum ReplyError: Error, CustomStringConvertible {
    /// The reply lacked a field the interface declares.
    case missing(field: String, method: String)

    var description: String {
        switch self {
        case .missing(let field, let method): "the reply to \(method) has no \(field)"
        }
    }
}

extension [String: JSONValue] {
    /// The id of the record a command created (`topic.id`, `item.id`).
    func recordID(_ record: String, method: String) throws -> String {
        guard let id = self[record]?["id"]?.stringValue else {
            throw ReplyError.missing(field: "\(record).id", method: method)
        }
        return id
    }

    /// The log position a command's reply carries.
    func position(method: String) throws -> Int64 {
        guard let position = self["position"]?.intValue else {
            throw ReplyError.missing(field: "position", method: method)
        }
        return position
    }
}
