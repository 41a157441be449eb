/// The structured-logging metadata keys of the store (see STYLE.md, Logging).
enum LogKey {
    /// A projection's name.
    static let projection = "ov.projection"
    /// A log position.
    static let position = "ov.position"
    /// A database path.
    static let path = "ov.path"
    /// The schema version of the database.
    static let schemaVersion = "ov.schema.version"
    /// The error that failed an operation.
    static let error = "ov.error"
}
