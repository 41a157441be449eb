import Foundation
import GRDB

/// One row of the inquiry record: a special inquiry as listed.
public struct InquiryRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var subject: String
    public var topicID: String?
    public var committee: String?
    public var sessionTerm: Int?
    public var sessionNumber: Int
    public var date: String
    public var state: String
    public var rounds: Int
    public var lastRoundOn: String?
    public var concludedOn: String?
    public var conclusionNote: String?
    public var transferredOn: String?
    public var dueDate: String?
    public var transferSummary: String?
    public var position: Int64

    public init(row: Row) throws {
        id = row["id"]
        year = row["year"]
        subject = row["subject"]
        topicID = row["topic_id"]
        committee = row["committee"]
        sessionTerm = row["session_term"]
        sessionNumber = row["session_number"]
        date = row["date"]
        state = row["state"]
        rounds = row["rounds"]
        lastRoundOn = row["last_round_on"]
        concludedOn = row["concluded_on"]
        conclusionNote = row["conclusion_note"]
        transferredOn = row["transferred_on"]
        dueDate = row["due_date"]
        transferSummary = row["transfer_summary"]
        position = row["position"]
    }

    /// The session in words: "12th committee, 13th session, 2024-08-19".
    public var session: String {
        let number = "\(Ordinal.english(sessionNumber)) session, \(date)"
        guard let sessionTerm else { return number }
        return "\(Ordinal.english(sessionTerm)) committee, \(number)"
    }

    /// Filters of the inquiry list; nil means any.
    public struct Filter: Sendable, Equatable {
        public var year: Int?
        public var state: String?
        public var topicID: String?

        /// Creates a filter.
        public init(year: Int? = nil, state: String? = nil, topicID: String? = nil) {
            self.year = year
            self.state = state
            self.topicID = topicID
        }
    }

    /// The inquiries under the filter, ordered by year and sequence.
    public static func list(_ db: Database, filter: Filter) throws -> [InquiryRow] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let year = filter.year {
            conditions.append("year = ?")
            arguments.append(year)
        }
        if let state = filter.state {
            conditions.append("state = ?")
            arguments.append(state)
        }
        if let topicID = filter.topicID {
            conditions.append("topic_id = ?")
            arguments.append(topicID)
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try InquiryRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM inquiry\(clause) ORDER BY year, sequence"),
            arguments: StatementArguments(arguments))
    }

    /// One inquiry, or nil.
    public static func find(_ db: Database, id: String) throws -> InquiryRow? {
        try InquiryRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM inquiry WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM inquiry WHERE year = ?"),
            arguments: [year]) ?? 1
    }
}

/// One round of an inquiry: who asked, who answered for which department, the question and the answer in brief.
public struct InquiryRoundRow: Sendable, Equatable, FetchableRecord {
    public var inquiryID: String
    public var round: Int
    public var date: String
    public var questioner: String
    public var respondent: String
    public var respondentDepartment: String
    public var question: String
    public var answerSummary: String?
    public var position: Int64

    public init(row: Row) throws {
        inquiryID = row["inquiry_id"]
        round = row["round"]
        date = row["date"]
        questioner = row["questioner"]
        respondent = row["respondent"]
        respondentDepartment = row["respondent_department"]
        question = row["question"]
        answerSummary = row["answer_summary"]
        position = row["position"]
    }

    /// An inquiry's rounds, in order.
    public static func of(_ db: Database, inquiryID: String) throws -> [InquiryRoundRow] {
        try InquiryRoundRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM inquiry_round WHERE inquiry_id = ? ORDER BY round"),
            arguments: [inquiryID])
    }

    /// One round, or nil.
    public static func find(_ db: Database, inquiryID: String, round: Int) throws -> InquiryRoundRow? {
        try InquiryRoundRow.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM inquiry_round WHERE inquiry_id = ? AND round = ?"),
            arguments: [inquiryID, round])
    }
}
