import GRDB

extension SQLiteEventLog: FilteredEventLog {
    /// Reads one page through `filter` with one SQL query on the `event` table.
    ///
    /// The query is bounded by a range of positions (`position + 1 … position + scanLimit`, the primary key), so
    /// a page costs at most `scanLimit` rows however sparse the filter is; SQLite may also use the `(stream,
    /// version)` index for stream filters.
    public func events(
        after position: Int64, limit: Int, matching filter: EventFilter, scanLimit: Int
    ) throws
        -> EventPage
    {
        try pool.read { db in
            let head = try EventRecord.head(db).position
            let end = min(head, position + Int64(max(scanLimit, 1)))
            guard limit > 0, end > position else {
                return EventPage(events: [], scannedThrough: max(position, 0), head: head, untilPassed: false)
            }
            var conditions = ["position > ?", "position <= ?"]
            var arguments: StatementArguments = [position, end]
            Self.addConditions(of: filter, to: &conditions, &arguments)
            arguments += [limit]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT \(EventRecord.columns) FROM event WHERE \(conditions.joined(separator: " AND ")) "
                    + "ORDER BY position LIMIT ?",
                arguments: arguments)
            let events = try EventRecord.decode(rows)
            let scannedThrough = events.count == limit ? events.last?.position ?? end : end
            var untilPassed = false
            if let until = filter.until {
                untilPassed =
                    try Bool.fetchOne(
                        db,
                        sql: "SELECT EXISTS (SELECT 1 FROM event WHERE position > ? AND position <= ? "
                            + "AND recorded_at > ?)",
                        arguments: [position, scannedThrough, until]) ?? false
            }
            return EventPage(events: events, scannedThrough: scannedThrough, head: head, untilPassed: untilPassed)
        }
    }

    public func event(at position: Int64) throws -> RecordedEvent? {
        try pool.read { db in
            try EventRecord.decode(
                Row.fetchAll(
                    db, sql: "SELECT \(EventRecord.columns) FROM event WHERE position = ?", arguments: [position])
            ).first
        }
    }

    /// Appends the SQL conditions (and their arguments) that say `filter`.
    private static func addConditions(
        of filter: EventFilter, to conditions: inout [String], _ arguments: inout StatementArguments
    ) {
        func alternatives(_ patterns: [EventFilter.Pattern], column: String) {
            guard !patterns.isEmpty else { return }
            var terms: [String] = []
            for pattern in patterns {
                switch pattern {
                case .exact(let name):
                    terms.append("\(column) = ?")
                    arguments += [name]
                case .prefix(let prefix):
                    if let upper = upperBound(ofPrefix: prefix) {
                        // Under the BINARY collation text sorts by UTF-8 bytes, which is the order of scalars:
                        // the names starting with `prefix` are exactly those in [prefix, upper).
                        terms.append("(\(column) >= ? AND \(column) < ?)")
                        arguments += [prefix, upper]
                    } else {
                        terms.append("instr(\(column), ?) = 1")
                        arguments += [prefix]
                    }
                }
            }
            conditions.append("(" + terms.joined(separator: " OR ") + ")")
        }
        alternatives(filter.streams, column: "stream")
        alternatives(filter.types, column: "type")
        if !filter.actors.isEmpty {
            conditions.append(
                "json_extract(meta, '$.actor') IN ("
                    + Array(repeating: "?", count: filter.actors.count)
                    .joined(separator: ", ") + ")")
            arguments += StatementArguments(filter.actors)
        }
        if let since = filter.since {
            conditions.append("recorded_at >= ?")
            arguments += [since]
        }
        if let until = filter.until {
            conditions.append("recorded_at <= ?")
            arguments += [until]
        }
    }

    /// The smallest text greater than every text that starts with `prefix`: its last scalar plus one; nil when
    /// that scalar is the last one Unicode has.
    static func upperBound(ofPrefix prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        guard let last = scalars.popLast() else { return nil }
        var next = last.value + 1
        if (0xD800...0xDFFF).contains(next) { next = 0xE000 }
        guard let scalar = Unicode.Scalar(next) else { return nil }
        scalars.append(scalar)
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }
}
