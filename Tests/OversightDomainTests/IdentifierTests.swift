import Foundation
import OversightDomain
import Testing

struct IdentifierTests {
    @Test(arguments: ["fgw", "kjj", "a", "dept-2", "x0-y1", String(repeating: "a", count: 32)])
    func `valid department codes are accepted`(text: String) throws {
        let code = try #require(DepartmentCode(text))
        #expect(code.rawValue == text && code.description == text)
    }

    @Test(arguments: [
        "", "Fgw", "2fgw", "-fgw", "fg w", "fgw_1", "fgw.", "发改委", String(repeating: "a", count: 33), "ｆｇｗ",
    ])
    func `invalid department codes are refused`(text: String) {
        #expect(DepartmentCode(text) == nil)
    }

    @Test func `department codes order alphabetically and are coded as strings`() throws {
        #expect(
            [department("mzj"), department("fgw"), department("kjj")].sorted().map(\.rawValue) == [
                "fgw", "kjj", "mzj",
            ])
        let data = try JSONEncoder().encode([department("fgw")])
        #expect(String(decoding: data, as: UTF8.self) == #"["fgw"]"#)
        #expect(try JSONDecoder().decode([DepartmentCode].self, from: data) == [department("fgw")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([DepartmentCode].self, from: Data(#"["FGW"]"#.utf8))
        }
    }

    @Test(arguments: [
        ("T2024-003", 2024, 3), ("T2000-000", 2000, 0), ("T2024-1000", 2024, 1000),
        ("T2100-999999999", 2100, 999_999_999),
    ])
    func `valid topic ids are accepted with their year and sequence`(text: String, year: Int, sequence: Int) throws {
        let id = try #require(TopicID(text))
        #expect(id.rawValue == text && id.description == text)
        #expect(id.year == year && id.sequence == sequence)
        #expect(TopicID(year: year, sequence: sequence) == id)
    }

    @Test(arguments: [
        "", "T2024", "T2024-", "T2024-03", "t2024-003", "2024-003", "T24-003", "T2024_003", "T2024-003 ", "T2024-00a",
        "T2024-0003", "T2024-1234567890", "T２０２４-003", "TT2024-003",
    ])
    func `invalid topic ids are refused`(text: String) {
        #expect(TopicID(text) == nil)
    }

    @Test func `topic ids from parts are padded and clamped`() {
        #expect(TopicID(year: 2024, sequence: 3).rawValue == "T2024-003")
        #expect(TopicID(year: 2024, sequence: 42).rawValue == "T2024-042")
        #expect(TopicID(year: 2024, sequence: 1234).rawValue == "T2024-1234")
        #expect(TopicID(year: -5, sequence: -1).rawValue == "T0000-000")
        #expect(TopicID(year: 12_345, sequence: .max).rawValue == "T9999-999999999")
        #expect(TopicID(TopicID(year: 12_345, sequence: .max).rawValue) != nil)
    }

    @Test func `topic ids order by year, then by sequence number`() {
        let ids = [topicID("T2024-1000"), topicID("T2025-001"), topicID("T2024-999"), topicID("T2023-500")]
        #expect(ids.sorted().map(\.rawValue) == ["T2023-500", "T2024-999", "T2024-1000", "T2025-001"])
    }

    @Test func `topic ids are coded as strings and validated on decoding`() throws {
        let data = try JSONEncoder().encode([topicID("T2024-003")])
        #expect(String(decoding: data, as: UTF8.self) == #"["T2024-003"]"#)
        #expect(try JSONDecoder().decode([TopicID].self, from: data) == [topicID("T2024-003")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TopicID].self, from: Data(#"["T24-3"]"#.utf8)) }
    }

    @Test func `streams are named after the aggregate and its id`() {
        let topic = Topic.stream(topicID("T2024-003"))
        #expect(topic.rawValue == "topic-T2024-003")
        #expect(topic.category == "topic" && topic.id == "T2024-003")
        let dept = Department.stream(department("fgw"))
        #expect(dept.rawValue == "department-fgw" && dept.description == "department-fgw")
        #expect(dept.category == "department" && dept.id == "fgw")
        #expect(StreamID("topic-T2024-003") == topic)
        #expect(StreamID("department-fgw") == dept)
    }

    @Test(arguments: [
        "", "topic", "topic-", "-T2024-003", "Topic-T2024-003", "topic-T2024 003", "topic-议题", "to pic-x",
        "topic-" + String(repeating: "x", count: 123),
    ])
    func `invalid stream names are refused`(text: String) {
        #expect(StreamID(text) == nil)
    }

    @Test func `stream names are coded as strings and validated on decoding`() throws {
        let data = try JSONEncoder().encode([Topic.stream(topicID("T2024-003"))])
        #expect(String(decoding: data, as: UTF8.self) == #"["topic-T2024-003"]"#)
        #expect(try JSONDecoder().decode([StreamID].self, from: data) == [Topic.stream(topicID("T2024-003"))])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([StreamID].self, from: Data(#"["nodash"]"#.utf8))
        }
    }
}
