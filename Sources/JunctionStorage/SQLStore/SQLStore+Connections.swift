import ConnectModel
import SQLKit

extension SQLStore: ConnectionStore {
    public func connect(
        application: ConnectApplication, account accountID: String, legacy: Bool, now: Int,
        decide: @escaping @Sendable (Account, [Connection]) throws -> Connection.Scope,
        makeCode: @escaping @Sendable (Connection) -> OAuthCode?, eventIfNew: Event?
    ) async throws -> Connection {
        try await transaction { session in
            // The row lock serializes connects to one account (P4, also with legacy connections,
            // which the unique index leaves out); the index is the last word for the rest.
            guard let account = try await session.account(accountID, forUpdate: true),
                let seq = try await session.accountSeq(accountID)
            else { throw JunctionError.noSuch("account", accountID, param: "account") }
            let active = try await session.activeConnections(of: accountID)
            let scope = try decide(account, active)
            var connection: Connection
            if var existing = active.first(where: { $0.application == application.id }), !legacy {
                // P7: re-authorizing keeps the connection.
                if existing.scope != scope {
                    try await session.raw(
                        "UPDATE connections SET scope = \(bind: scope.rawValue) WHERE id = \(bind: existing.id)"
                    ).run()
                    existing.scope = scope
                }
                connection = existing
            } else {
                connection = Connection(
                    id: Identifiers.make("conn"), application: application.id, account: accountID, scope: scope,
                    isPlatform: application.kind == .platform, legacy: legacy, created: now)
                try await session.insertConnection(connection, accountSeq: seq)
                if let eventIfNew { try await session.insertEvent(eventIfNew) }
            }
            if let code = makeCode(connection) { try await session.insertCode(code) }
            return connection
        }
    }

    public func redeemCode(
        hash: String, application: String, now: Int, tokens: @escaping @Sendable (OAuthCode) -> [APIKey]
    ) async throws -> CodeRedemption {
        try await transaction { session in
            guard
                let code = try await session.raw(
                    """
                    SELECT \(unsafeRaw: OAuthCodeRow.columns) FROM oauth_codes
                    WHERE code_hash = \(bind: hash)\(unsafeRaw: session.flavor.forUpdate)
                    """
                ).row(OAuthCodeRow.self)?.code
            else { return .unknown }
            if code.application != application { return .wrongApplication }
            if code.usedAt != nil {
                // P15: a replayed code may be stolen; what it issued stops working.
                try await session.raw(
                    "UPDATE api_keys SET revoked_at = \(bind: now) WHERE code_hash = \(bind: hash) AND revoked_at IS NULL"
                ).run()
                return .reused
            }
            if now >= code.expiresAt { return .expired }
            guard let connection = try await session.connection(id: code.connection), connection.endedAt == nil
            else { return .connectionEnded }
            try await session.raw("UPDATE oauth_codes SET used_at = \(bind: now) WHERE code_hash = \(bind: hash)").run()
            for key in tokens(code) { try await session.insertKey(key) }
            return .issued(connection)
        }
    }

    public func endConnection(
        application: String, account accountID: String, now: Int, event: Event?,
        change: @escaping @Sendable (inout Account, Connection) throws -> [Event]
    ) async throws -> Connection? {
        try await transaction { session in
            guard var account = try await session.account(accountID, forUpdate: true),
                var connection = try await session.activeConnection(application: application, account: accountID)
            else { return nil }
            let changeEvents = try change(&account, connection)
            connection.endedAt = now
            try await session.raw(
                """
                UPDATE connections SET ended_at = \(bind: now)
                WHERE application = \(bind: application) AND account = \(bind: accountID) AND ended_at IS NULL
                """
            ).run()
            try await session.raw(
                """
                UPDATE api_keys SET revoked_at = \(bind: now)
                WHERE connection IN (SELECT id FROM connections WHERE application = \(bind: application) AND account = \(bind: accountID))
                  AND revoked_at IS NULL
                """
            ).run()
            // The webhook endpoints the application made on the account stop with its access.
            let objects = SQLObjectTransaction(session: session)
            for var endpoint in try await objects.all(
                account: accountID, kind: .webhookEndpoint, filter: ObjectFilter(fields: ["application": application]))
            {
                endpoint.setStatus(WebhookEndpointStatus.disabled)
                try await objects.update(endpoint)
            }
            try await session.saveAccount(account)
            for event in [event].compactMap({ $0 }) + changeEvents { try await session.insertEvent(event) }
            return connection
        }
    }

    public func connections(ofAccount account: String) async throws -> [(Connection, ConnectApplication)] {
        try await read { session in
            var result: [(Connection, ConnectApplication)] = []
            for connection in try await session.activeConnections(of: account).reversed() {
                if let application = try await session.application(connection.application) {
                    result.append((connection, application))
                }
            }
            return result
        }
    }

    public func activeConnection(application: String, account: String) async throws -> Connection? {
        try await read { session in
            try await session.activeConnection(application: application, account: account)
        }
    }

    public func account(_ id: String, connectionOf application: String?) async throws -> (Account, Connection?)? {
        guard let application else {
            return try await read { session in try await session.account(id, forUpdate: false).map { ($0, nil) } }
        }
        // One statement: this is the check of every call with `Stripe-Account` (A2).
        return try await read { session in
            guard
                let row = try await session.raw(
                    """
                    SELECT a.document, \(unsafeRaw: ConnectionRow.columnsAsC)
                    FROM accounts a
                    LEFT JOIN connections c
                        ON c.account = a.id AND c.application = \(bind: application) AND c.ended_at IS NULL
                    WHERE a.id = \(bind: id) AND a.deleted_at IS NULL
                    ORDER BY c.seq DESC LIMIT 1
                    """
                ).first()
            else { return nil }
            let account = try DocumentCaches.accounts.decode(
                id: id, text: try row.decode(column: "document", as: String.self))
            return (account, try ConnectionRow.connection(in: row, prefix: "c"))
        }
    }

    public func accountsWithConnections(ownedBy user: String) async throws -> [(Account, [Connection])] {
        try await read { session in
            var result: [(Account, [Connection])] = []
            for account in try await session.accounts(ownedBy: user) {
                result.append((account, try await session.activeConnections(of: account.id)))
            }
            return result
        }
    }

    public func oauthKey(hash: String) async throws -> (APIKey, Connection?)? {
        try await read { session in
            guard let key = try await session.key(hash) else { return nil }
            guard let id = key.connection else { return (key, nil) }
            return (key, try await session.connection(id: id))
        }
    }
}

extension SQLSession {
    /// Throws ``StoreError/platformConnectionExists`` when P4's unique index refuses it.
    func insertConnection(_ c: Connection, accountSeq: Int) async throws {
        do {
            try await raw(
                """
                INSERT INTO connections (id, application, account, account_seq, scope, is_platform, legacy, created)
                VALUES (\(bind: c.id), \(bind: c.application), \(bind: c.account), \(bind: accountSeq), \(bind: c.scope.rawValue),
                        \(bind: c.isPlatform ? 1 : 0), \(bind: c.legacy ? 1 : 0), \(bind: c.created))
                """
            ).run()
        } catch  where isUniqueViolation(error) {
            throw StoreError.platformConnectionExists
        }
    }

    func insertCode(_ code: OAuthCode) async throws {
        try await raw(
            """
            INSERT INTO oauth_codes (code_hash, application, account, connection, scope, redirect_uri, created, expires_at)
            VALUES (\(bind: code.hash), \(bind: code.application), \(bind: code.account), \(bind: code.connection),
                    \(bind: code.scope.rawValue), \(bind: code.redirectURI), \(bind: code.created), \(bind: code.expiresAt))
            """
        ).run()
    }

    /// The active connections of an account, newest first.
    func activeConnections(of account: String) async throws -> [Connection] {
        try await raw(
            """
            SELECT \(unsafeRaw: ConnectionRow.columns) FROM connections
            WHERE account = \(bind: account) AND ended_at IS NULL ORDER BY seq DESC
            """
        ).rows(ConnectionRow.self).map(\.connection)
    }

    func connection(id: String) async throws -> Connection? {
        try await raw("SELECT \(unsafeRaw: ConnectionRow.columns) FROM connections WHERE id = \(bind: id)").row(
            ConnectionRow.self)?.connection
    }

    func activeConnection(application: String, account: String) async throws -> Connection? {
        try await raw(
            """
            SELECT \(unsafeRaw: ConnectionRow.columns) FROM connections
            WHERE application = \(bind: application) AND account = \(bind: account) AND ended_at IS NULL
            ORDER BY seq DESC
            """
        ).row(ConnectionRow.self)?.connection
    }
}
