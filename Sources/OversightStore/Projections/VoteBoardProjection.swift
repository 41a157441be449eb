import Foundation
import GRDB
import OversightDomain

/// The vote board: every recorded vote with its tally and result, and every candidate of a differential vote.
///
/// Table `vote` holds one row per vote. A resolution or decision has `for_count`, `against_count`,
/// `abstain_count` and `adopted` (0/1); a differential (livelihood) vote has those NULL and `voters`, `places`,
/// `chosen` and `tied` (JSON arrays of names) instead. `rule` is the rule's stored spelling, such as
/// "more-than-1/2-of-entitled". Table `vote_candidate` holds one row per candidate of a differential vote, in ballot
/// order (`ordinal` from 1), with `chosen` and `tied` as 0/1.
public struct VoteBoardProjection: Projection {
    public let name = "vote-board"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS vote (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    title TEXT NOT NULL,
                    date TEXT NOT NULL,
                    session_term INTEGER,
                    session_number INTEGER,
                    entitled INTEGER NOT NULL,
                    for_count INTEGER,
                    against_count INTEGER,
                    abstain_count INTEGER,
                    voters INTEGER,
                    rule TEXT NOT NULL,
                    adopted INTEGER,
                    places INTEGER,
                    chosen TEXT,
                    tied TEXT,
                    note TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS vote_by_year ON vote (year, kind);
                CREATE TABLE IF NOT EXISTS vote_candidate (
                    vote_id TEXT NOT NULL,
                    ordinal INTEGER NOT NULL,
                    candidate TEXT NOT NULL,
                    votes INTEGER NOT NULL,
                    chosen INTEGER NOT NULL,
                    tied INTEGER NOT NULL,
                    PRIMARY KEY (vote_id, ordinal)
                );
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS vote; DROP TABLE IF EXISTS vote_candidate")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard event.stream.hasPrefix(RecordKinds.Vote.streamCategory + "-") else { return }
        switch try event.decoded(as: Vote.Event.self) {
        case .recorded(let id, let resolution, let adopted):
            try db.executeCached(
                sql: """
                    INSERT INTO vote (id, year, sequence, kind, title, date, session_term, session_number, entitled,
                                      for_count, against_count, abstain_count, rule, adopted, note, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, id.year, id.sequence, resolution.kind.rawValue, resolution.title,
                    resolution.date.description, resolution.session?.term, resolution.session?.number,
                    resolution.entitled, resolution.forVotes, resolution.against, resolution.abstain,
                    resolution.rule.description, adopted, resolution.note, event.position,
                ]
            )
        case .differentialRecorded(let id, let differential, let selection):
            try db.executeCached(
                sql: """
                    INSERT INTO vote (id, year, sequence, kind, title, date, session_term, session_number, entitled,
                                      voters, rule, places, chosen, tied, note, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    id.rawValue, id.year, id.sequence, VoteKind.livelihood.rawValue, differential.title,
                    differential.date.description, differential.session?.term, differential.session?.number,
                    differential.entitled, differential.voters, differential.rule.description, differential.places,
                    try Self.jsonArray(selection.chosen), try Self.jsonArray(selection.tied), differential.note,
                    event.position,
                ]
            )
            let chosen = Set(selection.chosen)
            let tied = Set(selection.tied)
            for (offset, candidate) in differential.candidates.enumerated() {
                try db.executeCached(
                    sql: """
                        INSERT INTO vote_candidate (vote_id, ordinal, candidate, votes, chosen, tied)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        id.rawValue, offset + 1, candidate.name, candidate.votes, chosen.contains(candidate.name),
                        tied.contains(candidate.name),
                    ]
                )
            }
        }
    }

    /// A JSON array of strings, as stored in TEXT columns.
    static func jsonArray(_ names: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(names), as: UTF8.self)
    }
}
