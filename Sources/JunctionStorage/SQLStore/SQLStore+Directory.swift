import ConnectModel
import SQLKit

extension SQLStore: DirectoryStore {
    public func insertApplication(_ application: ConnectApplication, account: Account, keys: [APIKey]) async throws {
        try await transaction { session in
            _ = try await session.insertAccountRow(account)
            try await session.raw(
                """
                INSERT INTO applications (id, account, created, document)
                VALUES (\(bind: application.id), \(bind: application.account), \(bind: application.created),
                        \(bind: try JSONColumn.encode(application)))
                """
            ).run()
            for key in keys { try await session.insertKey(key) }
        }
    }

    public func application(_ id: String) async throws -> ConnectApplication? {
        try await read { session in try await session.application(id) }
    }

    public func updateApplication(_ application: ConnectApplication) async throws {
        try await transaction { session in
            try await session.raw(
                "UPDATE applications SET document = \(bind: try JSONColumn.encode(application)) WHERE id = \(bind: application.id)"
            ).run()
        }
    }

    public func application(ownedBy account: String) async throws -> ConnectApplication? {
        try await read { session in try await session.application(ownedBy: account) }
    }

    public func insertUser(_ user: User) async throws {
        do {
            try await transaction { session in
                try await session.raw(
                    """
                    INSERT INTO users (id, email, created, password_hash)
                    VALUES (\(bind: user.id), \(bind: user.email.lowercased()), \(bind: user.created), \(bind: user.passwordHash))
                    """
                ).run()
            }
        } catch  where isUniqueViolation(error) {
            throw StoreError.duplicate("email")
        }
    }

    public func user(_ id: String) async throws -> User? {
        try await read { session in
            try await session.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").row(
                User.self)
        }
    }

    public func user(email: String) async throws -> User? {
        try await read { session in
            try await session.raw(
                "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE email = \(bind: email.lowercased())"
            ).row(User.self)
        }
    }

    static let userColumns = "id, email, created, password_hash"

    public func insertKeys(_ keys: [APIKey]) async throws {
        try await transaction { session in
            for key in keys { try await session.insertKey(key) }
        }
    }

    /// One statement: the key with its account, and either its connection and that
    /// connection's application (an OAuth token) or the application its account runs. Every
    /// authenticated request starts here.
    public func keyHolder(hash: String) async throws -> KeyHolder? {
        try await read { session in
            guard
                let row = try await session.raw(
                    """
                    SELECT k.hash, k.kind, k.account, k.created, k.connection, k.scope, k.code_hash,
                        a.document AS account_document,
                        \(unsafeRaw: ConnectionRow.columnsAsC),
                        COALESCE(ca.id, oa.id) AS application_id, COALESCE(ca.document, oa.document) AS application_document
                    FROM api_keys k
                    JOIN accounts a ON a.id = k.account AND a.deleted_at IS NULL
                    LEFT JOIN connections c ON c.id = k.connection
                    LEFT JOIN applications ca ON ca.id = c.application
                    LEFT JOIN applications oa ON k.connection IS NULL AND oa.account = k.account
                    WHERE k.hash = \(bind: hash) AND k.revoked_at IS NULL
                    """
                ).first()
            else { return nil }
            let key = APIKey(
                hash: try row.decode(column: "hash", as: String.self),
                kind: try row.decode(column: "kind", as: KeyKind.self),
                account: try row.decode(column: "account", as: String.self),
                created: try row.decode(column: "created", as: Int.self),
                connection: try row.decode(column: "connection", as: String?.self),
                scope: try row.decode(column: "scope", as: Connection.Scope?.self),
                codeHash: try row.decode(column: "code_hash", as: String?.self))
            let account = try DocumentCaches.accounts.decode(
                id: key.account, text: try row.decode(column: "account_document", as: String.self))
            let application = try row.decode(column: "application_id", as: String?.self).map { id in
                try DocumentCaches.applications.decode(
                    id: id, text: try row.decode(column: "application_document", as: String.self))
            }
            guard key.connection != nil else { return KeyHolder(key: key, account: account, application: application) }
            // An OAuth token works only while its connection is active (P13).
            guard let connection = try ConnectionRow.connection(in: row, prefix: "c"), connection.endedAt == nil,
                let application
            else { return nil }
            return KeyHolder(key: key, account: account, application: application, connection: connection)
        }
    }
}

extension SQLSession {
    func application(_ id: String) async throws -> ConnectApplication? {
        try await raw("SELECT document FROM applications WHERE id = \(bind: id)").first(
            decodingColumn: "document", as: String.self
        ).map { try DocumentCaches.applications.decode(id: id, text: $0) }
    }

    func application(ownedBy account: String) async throws -> ConnectApplication? {
        try await raw("SELECT id, document FROM applications WHERE account = \(bind: account)").first().map { row in
            try DocumentCaches.applications.decode(
                id: try row.decode(column: "id", as: String.self),
                text: try row.decode(column: "document", as: String.self))
        }
    }

    func insertKey(_ key: APIKey) async throws {
        try await raw(
            """
            INSERT INTO api_keys (hash, kind, account, created, connection, scope, code_hash)
            VALUES (\(bind: key.hash), \(bind: key.kind.rawValue), \(bind: key.account), \(bind: key.created),
                    \(bind: key.connection), \(bind: key.scope?.rawValue), \(bind: key.codeHash))
            """
        ).run()
    }

    /// An unrevoked key by the hash of its secret.
    func key(_ hash: String) async throws -> APIKey? {
        try await raw(
            """
            SELECT hash, kind, account, created, connection, scope, code_hash FROM api_keys
            WHERE hash = \(bind: hash) AND revoked_at IS NULL
            """
        ).row(APIKey.self)
    }
}
