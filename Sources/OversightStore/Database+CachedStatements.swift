import GRDB

extension Database {
    /// Executes one SQL statement through the connection's statement cache.
    ///
    /// The write path and the replay run the same few statements for every event: compiling each once per
    /// connection (and running GRDB's authorizer once) instead of once per call is most of their SQL cost.
    ///
    /// - Important: `sql` must hold exactly one statement; build it from constant text (values go in `arguments`),
    ///   so that the cache stays small.
    func executeCached(sql: String, arguments: StatementArguments = StatementArguments()) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
