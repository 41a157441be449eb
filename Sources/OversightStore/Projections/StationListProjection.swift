import Foundation
import GRDB
import OversightDomain

/// The list of deputies' liaison stations and their reception days.
///
/// Table `station` holds one row per station: current name and place, `registered_on`, the number of reception days
/// (`receptions`) and of people received (`people_received`), the latest reception day, `state` ('open'|'closed').
/// Table `station_reception` holds one row per reception day (keyed by log position), with the deputies present as
/// a JSON array.
public struct StationListProjection: Projection {
    public let name = "station-list"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS station (
                    id TEXT PRIMARY KEY NOT NULL,
                    year INTEGER NOT NULL,
                    sequence INTEGER NOT NULL,
                    name TEXT NOT NULL,
                    place TEXT NOT NULL,
                    registered_on TEXT NOT NULL,
                    note TEXT,
                    receptions INTEGER NOT NULL DEFAULT 0,
                    people_received INTEGER NOT NULL DEFAULT 0,
                    last_reception TEXT,
                    state TEXT NOT NULL,
                    closed_on TEXT,
                    position INTEGER NOT NULL
                );
                CREATE INDEX IF NOT EXISTS station_by_place ON station (place, state);
                CREATE TABLE IF NOT EXISTS station_reception (
                    position INTEGER PRIMARY KEY NOT NULL,
                    station_id TEXT NOT NULL,
                    date TEXT NOT NULL,
                    people_received INTEGER NOT NULL,
                    deputies TEXT NOT NULL,
                    note TEXT
                );
                CREATE INDEX IF NOT EXISTS station_reception_by_station ON station_reception (station_id, date);
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS station; DROP TABLE IF EXISTS station_reception")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        let prefix = RecordKinds.Station.streamCategory + "-"
        guard event.stream.hasPrefix(prefix) else { return }
        let id = String(event.stream.dropFirst(prefix.count))
        switch try event.decoded(as: Station.Event.self) {
        case .registered(let stationID, let registration):
            try db.executeCached(
                sql: """
                    INSERT INTO station (id, year, sequence, name, place, registered_on, note, state, position)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)
                    """,
                arguments: [
                    stationID.rawValue, stationID.year, stationID.sequence, registration.name, registration.place,
                    registration.date.description, registration.note, event.position,
                ]
            )
        case .receptionRecorded(let reception):
            try db.executeCached(
                sql: """
                    INSERT INTO station_reception (position, station_id, date, people_received, deputies, note)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.position, id, reception.date.description, reception.peopleReceived,
                    try VoteBoardProjection.jsonArray(reception.deputies), reception.note,
                ]
            )
            try db.executeCached(
                sql: """
                    UPDATE station SET receptions = receptions + 1, people_received = people_received + ?,
                        last_reception = CASE WHEN last_reception IS NULL OR last_reception < ? THEN ?
                                              ELSE last_reception END,
                        position = ?
                    WHERE id = ?
                    """,
                arguments: [
                    reception.peopleReceived, reception.date.description, reception.date.description, event.position,
                    id,
                ]
            )
        case .renamed(_, let name):
            try db.executeCached(
                sql: "UPDATE station SET name = ?, position = ? WHERE id = ?", arguments: [name, event.position, id])
        case .relocated(_, let place):
            try db.executeCached(
                sql: "UPDATE station SET place = ?, position = ? WHERE id = ?", arguments: [place, event.position, id])
        case .closed(let date, _):
            try db.executeCached(
                sql: "UPDATE station SET state = 'closed', closed_on = ?, position = ? WHERE id = ?",
                arguments: [date.description, event.position, id]
            )
        }
    }
}

/// One row of the station list.
public struct StationRow: Sendable, Equatable, FetchableRecord {
    public var id: String
    public var year: Int
    public var name: String
    public var place: String
    public var registeredOn: String
    public var note: String?
    public var receptions: Int
    public var peopleReceived: Int
    public var lastReception: String?
    public var state: String
    public var closedOn: String?
    public var position: Int64

    public init(row: Row) throws {
        id = row["id"]
        year = row["year"]
        name = row["name"]
        place = row["place"]
        registeredOn = row["registered_on"]
        note = row["note"]
        receptions = row["receptions"]
        peopleReceived = row["people_received"]
        lastReception = row["last_reception"]
        state = row["state"]
        closedOn = row["closed_on"]
        position = row["position"]
    }

    /// Stations, ordered by year and sequence; only those at `place` and in `state` when given.
    public static func list(_ db: Database, place: String? = nil, state: String? = nil) throws -> [StationRow] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let place {
            conditions.append("place = ?")
            arguments.append(place)
        }
        if let state {
            conditions.append("state = ?")
            arguments.append(state)
        }
        let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try StationRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM station\(clause) ORDER BY year, sequence"),
            arguments: StatementArguments(arguments))
    }

    /// One station, or nil.
    public static func find(_ db: Database, id: String) throws -> StationRow? {
        try StationRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM station WHERE id = ?"), arguments: [id])
    }

    /// The next free per-year sequence number.
    public static func nextSequence(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db.cachedStatement(sql: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM station WHERE year = ?"),
            arguments: [year]) ?? 1
    }
}

/// One reception day of a station.
public struct StationReceptionRow: Sendable, Equatable, FetchableRecord {
    public var position: Int64
    public var date: String
    public var peopleReceived: Int
    public var deputies: [String]
    public var note: String?

    public init(row: Row) throws {
        position = row["position"]
        date = row["date"]
        peopleReceived = row["people_received"]
        deputies = JSONStringArray.decode(row["deputies"]) ?? []
        note = row["note"]
    }

    /// A station's reception days, by date, then in the order recorded.
    public static func of(_ db: Database, stationID: String) throws -> [StationReceptionRow] {
        try StationReceptionRow.fetchAll(
            db.cachedStatement(sql: "SELECT * FROM station_reception WHERE station_id = ? ORDER BY date, position"),
            arguments: [stationID])
    }
}
