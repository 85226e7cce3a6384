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
        try await transaction { session in try await session.application(id) }
    }

    public func updateApplication(_ application: ConnectApplication) async throws {
        try await transaction { session in
            try await session.raw(
                "UPDATE applications SET document = \(bind: try JSONColumn.encode(application)) WHERE id = \(bind: application.id)"
            ).run()
        }
    }

    public func application(ownedBy account: String) async throws -> ConnectApplication? {
        try await transaction { session in try await session.application(ownedBy: account) }
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
        try await transaction { session in
            try await session.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").row(
                User.self)
        }
    }

    public func user(email: String) async throws -> User? {
        try await transaction { session in
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

    public func keyHolder(hash: String) async throws -> KeyHolder? {
        try await transaction { session in
            guard let key = try await session.key(hash),
                let account = try await session.account(key.account, forUpdate: false)
            else { return nil }
            if let connectionID = key.connection {
                // An OAuth token works only while its connection is active (P13).
                guard let connection = try await session.connection(id: connectionID), connection.endedAt == nil,
                    let application = try await session.application(connection.application)
                else { return nil }
                return KeyHolder(key: key, account: account, application: application, connection: connection)
            }
            return KeyHolder(
                key: key, account: account, application: try await session.application(ownedBy: account.id))
        }
    }
}

extension SQLSession {
    func application(_ id: String) async throws -> ConnectApplication? {
        try await raw("SELECT document FROM applications WHERE id = \(bind: id)").document(ConnectApplication.self)
    }

    func application(ownedBy account: String) async throws -> ConnectApplication? {
        try await raw("SELECT document FROM applications WHERE account = \(bind: account)").document(
            ConnectApplication.self)
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
