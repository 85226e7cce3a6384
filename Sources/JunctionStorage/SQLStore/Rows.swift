import ConnectModel
import SQLKit

// Rows whose columns do not map one to one onto a record's properties (integers for booleans,
// names that differ), decoded with snake_case keys and turned into the record.

struct ConnectionRow: Decodable {
    var id: String
    var application: String
    var account: String
    var scope: Connection.Scope
    var isPlatform: Int
    var legacy: Int
    var created: Int
    var endedAt: Int?

    static let columns = "id, application, account, scope, is_platform, legacy, created, ended_at"

    /// The columns of table alias `table`, named `<table>_<column>`, for a row that joins others.
    static func columns(prefixed table: String) -> String {
        columns.split(separator: ", ").map { "\(table).\($0) AS \(table)_\($0)" }.joined(separator: ", ")
    }

    /// ``columns(prefixed:)`` for `c`, the alias of the key and connection lookups on every
    /// request: built once (rebuilt per call, it was 5 % of a GET's profile).
    static let columnsAsC = columns(prefixed: "c")

    /// The connection in a joined row selected with ``columns(prefixed:)``; `nil` when the join
    /// found none.
    static func connection(in row: any SQLRow, prefix: String) throws -> Connection? {
        func column<T: Decodable>(_ name: String, _ type: T.Type) throws -> T {
            try row.decode(column: "\(prefix)_\(name)", as: T.self)
        }
        guard let id = try column("id", String?.self) else { return nil }
        return Connection(
            id: id, application: try column("application", String.self), account: try column("account", String.self),
            scope: try column("scope", Connection.Scope.self), isPlatform: try column("is_platform", Int.self) != 0,
            legacy: try column("legacy", Int.self) != 0, created: try column("created", Int.self),
            endedAt: try column("ended_at", Int?.self))
    }

    var connection: Connection {
        Connection(
            id: id, application: application, account: account, scope: scope, isPlatform: isPlatform != 0,
            legacy: legacy != 0, created: created, endedAt: endedAt)
    }
}

struct OAuthCodeRow: Decodable {
    var codeHash: String
    var application: String
    var account: String
    var connection: String
    var scope: Connection.Scope
    var redirectUri: String?
    var created: Int
    var expiresAt: Int
    var usedAt: Int?

    static let columns =
        "code_hash, application, account, connection, scope, redirect_uri, created, expires_at, used_at"

    var code: OAuthCode {
        OAuthCode(
            hash: codeHash, application: application, account: account, connection: connection, scope: scope,
            redirectURI: redirectUri, created: created, expiresAt: expiresAt, usedAt: usedAt)
    }
}

struct AccountLinkRow: Decodable {
    var tokenHash: String
    var account: String
    var application: String
    var type: AccountLinkType
    var refreshUrl: String?
    var returnUrl: String?
    var created: Int
    var expiresAt: Int
    var usedAt: Int?

    static let columns = "token_hash, account, application, type, refresh_url, return_url, created, expires_at, used_at"

    var link: AccountLink {
        AccountLink(
            tokenHash: tokenHash, account: account, application: application, type: type, refreshURL: refreshUrl,
            returnURL: returnUrl, created: created, expiresAt: expiresAt, usedAt: usedAt)
    }
}

struct ObjectRow: Decodable {
    var id: String
    var account: String
    var type: ObjectKind
    var created: Int
    var deletedAt: Int?
    var dueAt: Int?
    var document: String

    static let columns = "id, account, type, created, deleted_at, due_at, document"

    func object() throws -> StoredObject {
        StoredObject(
            id: id, account: account, kind: type, created: created, deleted: deletedAt != nil, dueAt: dueAt,
            document: try JSONColumn.decode(JSONValue.self, document))
    }
}
