import ConnectModel

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
