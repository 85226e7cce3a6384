/// Which SQL database a ``SQLBackend`` talks to, and the few clauses that differ between them.
public enum SQLFlavor: String, Sendable, CaseIterable {
    case sqlite
    case postgres

    /// Locks the rows a SELECT reads until the transaction ends. SQLite's `BEGIN IMMEDIATE`
    /// already serializes writers, so it needs nothing.
    var forUpdate: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }

    /// Like ``forUpdate``, but skips rows another transaction holds, so instances sharing one
    /// PostgreSQL claim disjoint rows.
    var forUpdateSkipLocked: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE SKIP LOCKED"
        }
    }

    /// The text at `path` (dotted, code-defined) of a JSON document kept in a TEXT `column`.
    func jsonText(_ column: String, _ path: String) -> String {
        let segments = path.split(separator: ".")
        precondition(
            segments.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } },
            "JSON paths come from code, never from a request: \(path)")
        switch self {
        case .sqlite: return "json_extract(\(column), '$.\(segments.joined(separator: "."))')"
        case .postgres: return "(\(column)::jsonb #>> '{\(segments.joined(separator: ","))}')"
        }
    }

    /// The auto-increment primary key every table orders by.
    var sequenceColumn: String {
        switch self {
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }
}
