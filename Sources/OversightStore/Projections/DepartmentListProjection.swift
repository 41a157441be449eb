import Foundation
import GRDB
import OversightDomain

/// The department list: one row per registered department, keyed by code.
public struct DepartmentListProjection: Projection {
    public let name = "department-list"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS department (
                    code TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL,
                    position INTEGER NOT NULL
                )
                """
        )
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS department")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        guard event.type.hasPrefix("Department") else { return }
        switch try event.decoded(as: Department.Event.self) {
        case .added(let code, let name):
            try db.executeCached(
                sql: "INSERT INTO department (code, name, position) VALUES (?, ?, ?)",
                arguments: [code.rawValue, name, event.position]
            )
        case .renamed(let name):
            try db.executeCached(
                sql: "UPDATE department SET name = ?, position = ? WHERE code = ?",
                arguments: [name, event.position, Self.code(ofStream: event.stream)]
            )
        }
    }

    /// The department code of a stream named `department-<code>`.
    static func code(ofStream stream: String) -> String {
        String(stream.dropFirst("department-".count))
    }
}

/// One row of the department list.
public struct DepartmentRow: Sendable, Equatable, Codable, FetchableRecord {
    public var code: String
    public var name: String
    public var position: Int64

    /// Every department, ordered by code.
    public static func all(_ db: Database) throws -> [DepartmentRow] {
        try DepartmentRow.fetchAll(db.cachedStatement(sql: "SELECT code, name, position FROM department ORDER BY code"))
    }

    /// One department, or nil.
    public static func find(_ db: Database, code: String) throws -> DepartmentRow? {
        try DepartmentRow.fetchOne(
            db.cachedStatement(sql: "SELECT code, name, position FROM department WHERE code = ?"), arguments: [code])
    }

    /// The subset of `codes` that are registered.
    public static func existing(_ db: Database, codes: [String]) throws -> Set<String> {
        var found: Set<String> = []
        for code in codes
        where try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM department WHERE code = ?"), arguments: [code])
            != nil
        {
            found.insert(code)
        }
        return found
    }
}
