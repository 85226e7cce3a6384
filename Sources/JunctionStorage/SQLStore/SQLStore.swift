import ConnectModel
import Foundation
import SQLKit

/// The one implementation of ``Store``: SQLKit queries that run unchanged on SQLite and
/// PostgreSQL. Objects are stored as JSON documents next to the columns that queries filter on.
public final class SQLStore: Store {
    public let backend: any SQLBackend

    public init(backend: any SQLBackend) {
        self.backend = backend
    }

    // MARK: Migrations

    public func migrate() async throws {
        let flavor = backend.flavor
        try await backend.transaction { db in
            if flavor == .postgres {
                // Two instances starting together must not both run a migration.
                try await db.raw("SELECT pg_advisory_xact_lock(7411)").run()
            }
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)"
            ).run()
            let applied = Set(
                try await db.raw("SELECT version FROM schema_migrations").all().map {
                    try $0.decode(column: "version", as: Int.self)
                })
            for migration in Migrations.all where !applied.contains(migration.version) {
                for statement in migration.statements {
                    try await db.raw(SQLQueryString(Migrations.sql(statement, flavor: flavor))).run()
                }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(bind: migration.version), \(bind: Int(Date().timeIntervalSince1970)))"
                ).run()
            }
        }
    }

    // MARK: Accounts

    public func insertAccount(_ account: Account, connection: Connection?, code: OAuthCode?, events: [Event])
        async throws
    {
        let document = try Self.encode(account)
        try await backend.transaction { db in
            let seq = try await Self.insertAccountRow(account, document: document, in: db)
            if let connection { try await Self.insertConnection(connection, accountSeq: seq, in: db) }
            if let code { try await Self.insertCode(code, in: db) }
            for event in events { try await Self.insertEvent(event, in: db) }
        }
    }

    public func account(_ id: String) async throws -> Account? {
        try await backend.transaction { db in try await Self.loadAccount(id, in: db, forUpdate: false) }
    }

    public func updateAccount(
        _ id: String, emitting: @Sendable (Account, Account) -> [Event],
        _ change: @Sendable (inout Account) throws -> Void
    ) async throws -> Account? {
        try await backend.transaction { db in
            guard var account = try await Self.loadAccount(id, in: db, forUpdate: true) else { return nil }
            let before = account
            try change(&account)
            try await Self.saveAccount(account, in: db)
            for event in emitting(before, account) { try await Self.insertEvent(event, in: db) }
            return account
        }
    }

    private static func saveAccount(_ account: Account, in db: any SQLDatabase) async throws {
        try await db.raw(
            "UPDATE accounts SET document = \(bind: try Self.encode(account)), controlling_application = \(bind: account.controllingApplication), owner_user = \(bind: account.ownerUser) WHERE id = \(bind: account.id)"
        ).run()
    }

    public func deleteAccount(_ id: String, now: Int) async throws -> Bool {
        try await backend.transaction { db in
            let rows = try await db.raw(
                "UPDATE accounts SET deleted_at = \(bind: now) WHERE id = \(bind: id) AND deleted_at IS NULL RETURNING id"
            ).all()
            guard !rows.isEmpty else { return false }
            try await db.raw(
                "UPDATE connections SET ended_at = \(bind: now) WHERE account = \(bind: id) AND ended_at IS NULL"
            ).run()
            try await db.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now) WHERE account = \(bind: id) AND revoked_at IS NULL"
            ).run()
            return true
        }
    }

    public func connectedAccounts(
        of application: String, limit: Int, cursor: PageCursor, created: CreatedFilter? = nil
    ) async throws -> Page<Account> {
        try await backend.transaction { db in
            try await Self.page(
                "\(unsafeRaw: Self.connectedAccountsSelect)\(bind: application) AND c.ended_at IS NULL",
                order: "c.account_seq", createdColumn: "a.created", created: created, cursor: cursor, limit: limit,
                noun: "account", seqOf: { try await Self.accountSeq($0, in: db) }, in: db)
        }
    }

    /// The start of the C10 query; ``connectedAccounts(of:limit:cursor:)`` appends the filter.
    static let connectedAccountsSelect = """
        SELECT a.document AS document, c.account_seq AS seq FROM connections c
        JOIN accounts a ON a.id = c.account
        WHERE c.application = 
        """

    public func accounts(ownedBy user: String) async throws -> [Account] {
        try await backend.transaction { db in
            try await db.raw(
                "SELECT document FROM accounts WHERE owner_user = \(bind: user) AND deleted_at IS NULL ORDER BY seq DESC"
            ).all().map { try Self.decode(Account.self, $0.decode(column: "document", as: String.self)) }
        }
    }

    // MARK: Applications, users, keys

    public func insertApplication(_ application: ConnectApplication, account: Account, keys: [APIKey]) async throws {
        let accountDocument = try Self.encode(account)
        let document = try Self.encode(application)
        try await backend.transaction { db in
            _ = try await Self.insertAccountRow(account, document: accountDocument, in: db)
            try await db.raw(
                "INSERT INTO applications (id, account, created, document) VALUES (\(bind: application.id), \(bind: application.account), \(bind: application.created), \(bind: document))"
            ).run()
            for key in keys { try await Self.insertKey(key, in: db) }
        }
    }

    public func application(_ id: String) async throws -> ConnectApplication? {
        try await backend.transaction { db in
            try await db.raw("SELECT document FROM applications WHERE id = \(bind: id)").first().map {
                try Self.decode(ConnectApplication.self, $0.decode(column: "document", as: String.self))
            }
        }
    }

    public func application(ownedBy account: String) async throws -> ConnectApplication? {
        try await backend.transaction { db in
            try await db.raw("SELECT document FROM applications WHERE account = \(bind: account)").first().map {
                try Self.decode(ConnectApplication.self, $0.decode(column: "document", as: String.self))
            }
        }
    }

    public func insertUser(_ user: User) async throws {
        do {
            try await backend.transaction { db in
                try await db.raw(
                    "INSERT INTO users (id, email, created, password_hash) VALUES (\(bind: user.id), \(bind: user.email.lowercased()), \(bind: user.created), \(bind: user.passwordHash))"
                ).run()
            }
        } catch  where isUniqueViolation(error) {
            throw StoreError.duplicate("email")
        }
    }

    public func user(_ id: String) async throws -> User? {
        try await backend.transaction { db in
            try await db.raw("SELECT id, email, created, password_hash FROM users WHERE id = \(bind: id)").first().map(
                Self.user)
        }
    }

    public func user(email: String) async throws -> User? {
        try await backend.transaction { db in
            try await db.raw(
                "SELECT id, email, created, password_hash FROM users WHERE email = \(bind: email.lowercased())"
            ).first().map(Self.user)
        }
    }

    public func insertDirectAccount(_ account: Account, keys: [APIKey]) async throws {
        let document = try Self.encode(account)
        try await backend.transaction { db in
            _ = try await Self.insertAccountRow(account, document: document, in: db)
            for key in keys { try await Self.insertKey(key, in: db) }
        }
    }

    public func keyHolder(hash: String) async throws -> KeyHolder? {
        try await backend.transaction { db in
            guard let key = try await Self.loadKey(hash, in: db),
                let account = try await Self.loadAccount(key.account, in: db, forUpdate: false)
            else { return nil }
            if let connectionID = key.connection {
                // An OAuth token works only while its connection is active (P13).
                guard let connection = try await Self.loadConnection(id: connectionID, in: db),
                    connection.endedAt == nil,
                    let application = try await Self.loadApplication(connection.application, in: db)
                else { return nil }
                return KeyHolder(key: key, account: account, application: application, connection: connection)
            }
            let application = try await db.raw("SELECT document FROM applications WHERE account = \(bind: account.id)")
                .first().map {
                    try Self.decode(ConnectApplication.self, $0.decode(column: "document", as: String.self))
                }
            return KeyHolder(key: key, account: account, application: application)
        }
    }

    private static func loadKey(_ hash: String, in db: any SQLDatabase) async throws -> APIKey? {
        try await db.raw(
            """
            SELECT hash, kind, account, created, connection, scope, code_hash FROM api_keys
            WHERE hash = \(bind: hash) AND revoked_at IS NULL
            """
        ).first().map { row in
            APIKey(
                hash: try row.decode(column: "hash", as: String.self),
                kind: KeyKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .secret,
                account: try row.decode(column: "account", as: String.self),
                created: try row.decode(column: "created", as: Int.self),
                connection: try row.decode(column: "connection", as: String?.self),
                scope: try row.decode(column: "scope", as: String?.self).flatMap(Connection.Scope.init(rawValue:)),
                codeHash: try row.decode(column: "code_hash", as: String?.self))
        }
    }

    private static func loadApplication(_ id: String, in db: any SQLDatabase) async throws -> ConnectApplication? {
        try await db.raw("SELECT document FROM applications WHERE id = \(bind: id)").first().map {
            try Self.decode(ConnectApplication.self, $0.decode(column: "document", as: String.self))
        }
    }

    // MARK: Connections

    public func activeConnection(application: String, account: String) async throws -> Connection? {
        try await backend.transaction { db in try await Self.loadConnection(application, account, in: db) }
    }

    public func accountsWithConnections(ownedBy user: String) async throws -> [(Account, [Connection])] {
        try await backend.transaction { db in
            let accounts = try await db.raw(
                "SELECT document FROM accounts WHERE owner_user = \(bind: user) AND deleted_at IS NULL ORDER BY seq DESC"
            ).all().map { try Self.decode(Account.self, $0.decode(column: "document", as: String.self)) }
            var result: [(Account, [Connection])] = []
            for account in accounts {
                result.append((account, try await Self.activeConnections(of: account.id, in: db)))
            }
            return result
        }
    }

    public func connect(
        application: ConnectApplication, account accountID: String, legacy: Bool, now: Int,
        decide: @Sendable (Account, [Connection]) throws -> Connection.Scope,
        makeCode: @Sendable (Connection) -> OAuthCode?, eventIfNew: Event?
    ) async throws -> Connection {
        try await backend.transaction { db in
            // The row lock serializes connects to one account (P4, also with legacy connections,
            // which the unique index leaves out); the index is the last word for the rest.
            guard let account = try await Self.loadAccount(accountID, in: db, forUpdate: true),
                let seq = try await Self.accountSeq(accountID, in: db)
            else { throw ConnectError.noSuch("account", accountID, param: "account") }
            let active = try await Self.activeConnections(of: accountID, in: db)
            let scope = try decide(account, active)
            var connection: Connection
            if var existing = active.first(where: { $0.application == application.id }), !legacy {
                // P7: re-authorizing keeps the connection.
                if existing.scope != scope {
                    try await db.raw(
                        "UPDATE connections SET scope = \(bind: scope.rawValue) WHERE id = \(bind: existing.id)"
                    )
                    .run()
                    existing.scope = scope
                }
                connection = existing
            } else {
                connection = Connection(
                    id: Identifiers.make("conn"), application: application.id, account: accountID, scope: scope,
                    isPlatform: application.kind == .platform, legacy: legacy, created: now)
                try await Self.insertConnection(connection, accountSeq: seq, in: db)
                if let eventIfNew { try await Self.insertEvent(eventIfNew, in: db) }
            }
            if let code = makeCode(connection) { try await Self.insertCode(code, in: db) }
            return connection
        }
    }

    public func redeemCode(
        hash: String, application: String, now: Int, tokens: @Sendable (OAuthCode) -> [APIKey]
    ) async throws -> CodeRedemption {
        try await backend.transaction { db in
            guard
                let row = try await db.raw(
                    """
                    SELECT code_hash, application, account, connection, scope, redirect_uri, created, expires_at, used_at
                    FROM oauth_codes WHERE code_hash = \(bind: hash)\(unsafeRaw: db.dialect.name == "postgresql" ? " FOR UPDATE" : "")
                    """
                ).first()
            else { return .unknown }
            let code = OAuthCode(
                hash: try row.decode(column: "code_hash", as: String.self),
                application: try row.decode(column: "application", as: String.self),
                account: try row.decode(column: "account", as: String.self),
                connection: try row.decode(column: "connection", as: String.self),
                scope: Connection.Scope(rawValue: try row.decode(column: "scope", as: String.self)) ?? .readOnly,
                redirectURI: try row.decode(column: "redirect_uri", as: String?.self),
                created: try row.decode(column: "created", as: Int.self),
                expiresAt: try row.decode(column: "expires_at", as: Int.self),
                usedAt: try row.decode(column: "used_at", as: Int?.self))
            if code.application != application { return .wrongApplication }
            if code.usedAt != nil {
                // P15: a replayed code may be stolen; what it issued stops working.
                try await db.raw(
                    "UPDATE api_keys SET revoked_at = \(bind: now) WHERE code_hash = \(bind: hash) AND revoked_at IS NULL"
                ).run()
                return .reused
            }
            if now >= code.expiresAt { return .expired }
            guard let connection = try await Self.loadConnection(id: code.connection, in: db), connection.endedAt == nil
            else { return .connectionEnded }
            try await db.raw("UPDATE oauth_codes SET used_at = \(bind: now) WHERE code_hash = \(bind: hash)").run()
            for key in tokens(code) { try await Self.insertKey(key, in: db) }
            return .issued(connection)
        }
    }

    public func endConnection(
        application: String, account accountID: String, now: Int, event: Event?,
        change: @Sendable (inout Account, Connection) throws -> [Event]
    ) async throws -> Connection? {
        try await backend.transaction { db in
            guard var account = try await Self.loadAccount(accountID, in: db, forUpdate: true),
                var connection = try await Self.loadConnection(application, accountID, in: db)
            else { return nil }
            let changeEvents = try change(&account, connection)
            connection.endedAt = now
            try await db.raw(
                "UPDATE connections SET ended_at = \(bind: now) WHERE application = \(bind: application) AND account = \(bind: accountID) AND ended_at IS NULL"
            ).run()
            try await db.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now) WHERE connection IN (SELECT id FROM connections WHERE application = \(bind: application) AND account = \(bind: accountID)) AND revoked_at IS NULL"
            ).run()
            try await db.raw(
                "UPDATE accounts SET document = \(bind: try Self.encode(account)), controlling_application = \(bind: account.controllingApplication) WHERE id = \(bind: accountID)"
            ).run()
            for event in [event].compactMap({ $0 }) + changeEvents { try await Self.insertEvent(event, in: db) }
            return connection
        }
    }

    public func connections(ofAccount account: String) async throws -> [(Connection, ConnectApplication)] {
        try await backend.transaction { db in
            var result: [(Connection, ConnectApplication)] = []
            for connection in try await Self.activeConnections(of: account, in: db).reversed() {
                if let application = try await Self.loadApplication(connection.application, in: db) {
                    result.append((connection, application))
                }
            }
            return result
        }
    }

    public func oauthKey(hash: String) async throws -> (APIKey, Connection?)? {
        try await backend.transaction { db in
            guard let key = try await Self.loadKey(hash, in: db) else { return nil }
            guard let id = key.connection else { return (key, nil) }
            return (key, try await Self.loadConnection(id: id, in: db))
        }
    }

    public func insertKey(_ key: APIKey) async throws {
        try await backend.transaction { db in try await Self.insertKey(key, in: db) }
    }

    private static func activeConnections(of account: String, in db: any SQLDatabase) async throws -> [Connection] {
        try await db.raw(
            """
            SELECT id, application, account, scope, is_platform, legacy, created, ended_at FROM connections
            WHERE account = \(bind: account) AND ended_at IS NULL ORDER BY seq DESC
            """
        ).all().map(Self.connection)
    }

    private static func loadConnection(id: String, in db: any SQLDatabase) async throws -> Connection? {
        try await db.raw(
            "SELECT id, application, account, scope, is_platform, legacy, created, ended_at FROM connections WHERE id = \(bind: id)"
        ).first().map(Self.connection)
    }

    private static func insertCode(_ code: OAuthCode, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO oauth_codes (code_hash, application, account, connection, scope, redirect_uri, created, expires_at)
            VALUES (\(bind: code.hash), \(bind: code.application), \(bind: code.account), \(bind: code.connection),
                    \(bind: code.scope.rawValue), \(bind: code.redirectURI), \(bind: code.created), \(bind: code.expiresAt))
            """
        ).run()
    }

    public func account(_ id: String, connectionOf application: String?) async throws -> (Account, Connection?)? {
        try await backend.transaction { db in
            guard let account = try await Self.loadAccount(id, in: db, forUpdate: false) else { return nil }
            guard let application else { return (account, nil) }
            return (account, try await Self.loadConnection(application, id, in: db))
        }
    }

    private static func loadConnection(_ application: String, _ account: String, in db: any SQLDatabase) async throws
        -> Connection?
    {
        try await db.raw(
            """
            SELECT id, application, account, scope, is_platform, legacy, created, ended_at FROM connections
            WHERE application = \(bind: application) AND account = \(bind: account) AND ended_at IS NULL
            ORDER BY seq DESC
            """
        ).first().map(Self.connection)
    }

    // MARK: Account links

    public func insertAccountLink(_ link: AccountLink) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO account_links (token_hash, account, application, type, refresh_url, return_url, created, expires_at)
                VALUES (\(bind: link.tokenHash), \(bind: link.account), \(bind: link.application), \(bind: link.type),
                        \(bind: link.refreshURL), \(bind: link.returnURL), \(bind: link.created), \(bind: link.expiresAt))
                """
            ).run()
        }
    }

    public func accountLink(tokenHash: String) async throws -> AccountLink? {
        try await backend.transaction { db in try await Self.loadAccountLink(tokenHash, in: db) }
    }

    public func useAccountLink(
        tokenHash: String, now: Int, emitting: @Sendable (Account, Account) -> [Event],
        _ change: @Sendable (inout Account) throws -> Void
    ) async throws -> Account? {
        try await backend.transaction { db in
            // The conditional update is the single-use guarantee: of two concurrent submits one wins.
            let claimed = try await db.raw(
                """
                UPDATE account_links SET used_at = \(bind: now)
                WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING account
                """
            ).first()
            guard let accountID = try claimed?.decode(column: "account", as: String.self),
                var account = try await Self.loadAccount(accountID, in: db, forUpdate: true)
            else { return nil }
            let before = account
            try change(&account)
            try await Self.saveAccount(account, in: db)
            for event in emitting(before, account) { try await Self.insertEvent(event, in: db) }
            return account
        }
    }

    private static func loadAccountLink(_ tokenHash: String, in db: any SQLDatabase) async throws -> AccountLink? {
        try await db.raw(
            """
            SELECT token_hash, account, application, type, refresh_url, return_url, created, expires_at, used_at
            FROM account_links WHERE token_hash = \(bind: tokenHash)
            """
        ).first().map { row in
            AccountLink(
                tokenHash: try row.decode(column: "token_hash", as: String.self),
                account: try row.decode(column: "account", as: String.self),
                application: try row.decode(column: "application", as: String.self),
                type: try row.decode(column: "type", as: String.self),
                refreshURL: try row.decode(column: "refresh_url", as: String?.self),
                returnURL: try row.decode(column: "return_url", as: String?.self),
                created: try row.decode(column: "created", as: Int.self),
                expiresAt: try row.decode(column: "expires_at", as: Int.self),
                usedAt: try row.decode(column: "used_at", as: Int?.self))
        }
    }

    // MARK: Browser sessions and login links

    public func insertSession(_ session: WebSession) async throws {
        try await backend.transaction { db in
            // Expired sessions are swept as new ones arrive, so the table stays small.
            try await db.raw("DELETE FROM sessions WHERE expires_at < \(bind: session.created)").run()
            try await db.raw(
                """
                INSERT INTO sessions (token_hash, user_id, account, csrf, created, expires_at)
                VALUES (\(bind: session.tokenHash), \(bind: session.user), \(bind: session.account), \(bind: session.csrf),
                        \(bind: session.created), \(bind: session.expiresAt))
                """
            ).run()
        }
    }

    public func session(tokenHash: String, now: Int) async throws -> WebSession? {
        try await backend.transaction { db in
            try await db.raw(
                """
                SELECT token_hash, user_id, account, csrf, created, expires_at FROM sessions
                WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now)
                """
            ).first().map { row in
                WebSession(
                    tokenHash: try row.decode(column: "token_hash", as: String.self),
                    user: try row.decode(column: "user_id", as: String?.self),
                    account: try row.decode(column: "account", as: String?.self),
                    csrf: try row.decode(column: "csrf", as: String.self),
                    created: try row.decode(column: "created", as: Int.self),
                    expiresAt: try row.decode(column: "expires_at", as: Int.self))
            }
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await backend.transaction { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    public func insertLoginLink(tokenHash: String, account: String, created: Int, expiresAt: Int) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO login_links (token_hash, account, created, expires_at)
                VALUES (\(bind: tokenHash), \(bind: account), \(bind: created), \(bind: expiresAt))
                """
            ).run()
        }
    }

    public func useLoginLink(tokenHash: String, now: Int) async throws -> String? {
        try await backend.transaction { db in
            try await db.raw(
                """
                UPDATE login_links SET used_at = \(bind: now)
                WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING account
                """
            ).first()?.decode(column: "account", as: String.self)
        }
    }

    // MARK: Events

    public func event(_ id: String) async throws -> Event? {
        try await backend.transaction { db in
            try await db.raw("SELECT document FROM events WHERE id = \(bind: id)").first().map {
                try Self.decode(Event.self, $0.decode(column: "document", as: String.self))
            }
        }
    }

    public func events(
        account: String, application: String?, types: [String], created: CreatedFilter?, limit: Int, cursor: PageCursor
    ) async throws -> Page<Event> {
        try await backend.transaction { db in
            var query: SQLQueryString = "SELECT document FROM events WHERE (account = \(bind: account)"
            if let application { query += " OR application = \(bind: application)" }
            query += ")"
            if !types.isEmpty { query += " AND type IN (\(binds: types))" }
            return try await Self.page(
                query, order: "seq", createdColumn: "created", created: created, cursor: cursor, limit: limit,
                noun: "event",
                seqOf: { id in
                    try await db.raw("SELECT seq FROM events WHERE id = \(bind: id)").first()?.decode(
                        column: "seq", as: Int.self)
                }, in: db)
        }
    }

    /// One page of a list, newest first: `base` (a SELECT of `document` with its WHERE started)
    /// gets the `created` filter, the cursor and the order, and reads `limit + 1` rows to know
    /// whether there are more. With an index on the order column, this costs O(limit).
    static func page<T: Decodable & Sendable>(
        _ base: SQLQueryString, order column: String, createdColumn: String, created: CreatedFilter?,
        cursor: PageCursor, limit: Int, noun: String, seqOf: (String) async throws -> Int?, in db: any SQLDatabase
    ) async throws -> Page<T> {
        try await page(
            base, order: column, createdColumn: createdColumn, created: created, cursor: cursor, limit: limit,
            noun: noun,
            seqOf: seqOf, in: db, row: { try decode(T.self, $0.decode(column: "document", as: String.self)) })
    }

    static func page<T: Sendable>(
        _ base: SQLQueryString, order column: String, createdColumn: String, created: CreatedFilter?,
        cursor: PageCursor, limit: Int, noun: String, seqOf: (String) async throws -> Int?, in db: any SQLDatabase,
        row: (any SQLRow) throws -> T
    ) async throws -> Page<T> {
        var query = base
        if let created {
            if let gt = created.gt { query += " AND \(unsafeRaw: createdColumn) > \(bind: gt)" }
            if let gte = created.gte { query += " AND \(unsafeRaw: createdColumn) >= \(bind: gte)" }
            if let lt = created.lt { query += " AND \(unsafeRaw: createdColumn) < \(bind: lt)" }
            if let lte = created.lte { query += " AND \(unsafeRaw: createdColumn) <= \(bind: lte)" }
        }
        var ascending = false
        switch cursor {
        case .first:
            query += " ORDER BY \(unsafeRaw: column) DESC"
        case .startingAfter(let id):
            guard let seq = try await seqOf(id) else { throw ConnectError.noSuch(noun, id, param: "starting_after") }
            query += " AND \(unsafeRaw: column) < \(bind: seq) ORDER BY \(unsafeRaw: column) DESC"
        case .endingBefore(let id):
            guard let seq = try await seqOf(id) else { throw ConnectError.noSuch(noun, id, param: "ending_before") }
            ascending = true
            query += " AND \(unsafeRaw: column) > \(bind: seq) ORDER BY \(unsafeRaw: column) ASC"
        }
        query += " LIMIT \(bind: limit + 1)"
        var items = try await db.raw(query).all().map(row)
        let hasMore = items.count > limit
        if hasMore { items.removeLast() }
        if ascending { items.reverse() }
        return Page(items: items, hasMore: hasMore)
    }

    /// Stores an event and, in the same transaction, one delivery for every webhook endpoint that
    /// wants it (E2): the account's own endpoints, and the `connect` endpoints of applications
    /// connected to the account or (for `account.application.*`) the application it is about.
    static func insertEvent(_ event: Event, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO events (id, account, application, type, created, document)
            VALUES (\(bind: event.id), \(bind: event.account), \(bind: event.application), \(bind: event.type),
                    \(bind: event.created), \(bind: try Self.encode(event)))
            """
        ).run()
        // An account's own endpoints ('account'), the connect endpoints ('connect') of the
        // applications connected to it, and listen sessions ('listen'), which take both.
        var endpoints = try await db.raw(
            """
            SELECT id, account, type, document FROM objects
            WHERE type IN ('webhook_endpoint', 'listen_session') AND deleted_at IS NULL
              AND account = \(bind: event.account) AND lookup IN ('account', 'listen')
            UNION
            SELECT o.id, o.account, o.type, o.document FROM objects o
            JOIN applications a ON a.account = o.account
            JOIN connections c ON c.application = a.id
            WHERE c.account = \(bind: event.account) AND c.ended_at IS NULL
              AND o.type IN ('webhook_endpoint', 'listen_session') AND o.deleted_at IS NULL
              AND o.lookup IN ('connect', 'listen')
            """
        ).all()
        if let application = event.application {
            endpoints += try await db.raw(
                """
                SELECT o.id, o.account, o.type, o.document FROM objects o JOIN applications a ON a.account = o.account
                WHERE a.id = \(bind: application) AND o.type IN ('webhook_endpoint', 'listen_session')
                  AND o.deleted_at IS NULL AND o.lookup IN ('connect', 'listen')
                """
            ).all()
        }
        let wall = Int(Date().timeIntervalSince1970)
        var seen = Set<String>()
        for row in endpoints {
            let id = try row.decode(column: "id", as: String.self)
            guard seen.insert(id).inserted else { continue }
            let document = try JSONDecoder().decode(
                JSONValue.self, from: Data(try row.decode(column: "document", as: String.self).utf8))
            let enabled = document["enabled_events"]?.arrayItems?.compactMap(\.stringValue) ?? []
            guard document["status"]?.stringValue == "enabled", Webhooks.wants(enabled, event.type) else { continue }
            let pulled = try row.decode(column: "type", as: String.self) == "listen_session"
            // A session whose listener stopped polling gets nothing more.
            if pulled, (document["_expires_at"]?.integerValue ?? 0) < wall { continue }
            try await db.raw(
                """
                INSERT INTO webhook_deliveries (id, event, endpoint, owner, status, attempts, next_attempt_at, created, updated, mode)
                VALUES (\(bind: Identifiers.make("whd")), \(bind: event.id), \(bind: id), \(bind: try row.decode(column: "account", as: String.self)),
                        'pending', 0, \(bind: event.created), \(bind: event.created), \(bind: event.created), \(bind: pulled ? "pull" : "push"))
                """
            ).run()
        }
    }

    // MARK: Clock

    public func clockOffset() async throws -> Int {
        try await backend.transaction { db in
            try await db.raw("SELECT offset_seconds FROM clock WHERE id = 1").first()?.decode(
                column: "offset_seconds", as: Int.self) ?? 0
        }
    }

    public func advanceClock(by seconds: Int) async throws -> Int {
        try await backend.transaction { db in
            try await db.raw(
                "UPDATE clock SET offset_seconds = offset_seconds + \(bind: max(0, seconds)) WHERE id = 1 RETURNING offset_seconds"
            ).first()?.decode(column: "offset_seconds", as: Int.self) ?? 0
        }
    }

    // MARK: Webhook deliveries

    public func claimDeliveries(now: Int, limit: Int, lease: Int, session: String?) async throws -> [DeliveryJob] {
        let wall = Int(Date().timeIntervalSince1970)
        return try await backend.transaction { db in
            // SKIP LOCKED lets instances sharing one PostgreSQL claim disjoint rows; SQLite has a
            // single writer anyway. The lease hands a delivery back if its claimer died.
            let skip = db.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
            let whose: SQLQueryString = session.map { "endpoint = \(bind: $0)" } ?? "mode = 'push'"
            let rows = try await db.raw(
                """
                UPDATE webhook_deliveries SET locked_until = \(bind: wall + lease)
                WHERE id IN (
                    SELECT id FROM webhook_deliveries
                    WHERE status = 'pending' AND \(whose) AND next_attempt_at <= \(bind: now)
                      AND (locked_until IS NULL OR locked_until < \(bind: wall))
                    ORDER BY next_attempt_at LIMIT \(bind: limit)\(unsafeRaw: skip))
                RETURNING \(unsafeRaw: Self.deliveryColumns)
                """
            ).all()
            var jobs: [DeliveryJob] = []
            for row in rows {
                let delivery = try Self.delivery(row)
                guard
                    let event = try await db.raw("SELECT document FROM events WHERE id = \(bind: delivery.event)")
                        .first().map({
                            try Self.decode(Event.self, $0.decode(column: "document", as: String.self))
                        }),
                    let endpoint = try await SQLObjectTransaction(db: db).load(
                        delivery.endpoint, account: delivery.owner, lock: false),
                    !endpoint.deleted, endpoint.document["status"]?.stringValue == "enabled",
                    endpoint.type == "listen_session" || endpoint.document["url"]?.stringValue != nil,
                    let secret = endpoint.document["_secret"]?.stringValue
                else {
                    // Stripe stops sending to an endpoint once it is deleted or disabled.
                    try await db.raw(
                        "UPDATE webhook_deliveries SET status = 'failed', last_error = 'endpoint deleted or disabled', locked_until = NULL, next_attempt_at = NULL WHERE id = \(bind: delivery.id)"
                    ).run()
                    continue
                }
                jobs.append(
                    DeliveryJob(
                        delivery: delivery, event: event, url: endpoint.document["url"]?.stringValue, secret: secret))
            }
            return jobs
        }
    }

    public func finishDelivery(
        _ id: String, succeeded: Bool, status: Int?, error: String?, nextAttemptAt: Int?, now: Int
    )
        async throws
    {
        let state = succeeded ? "succeeded" : (nextAttemptAt == nil ? "failed" : "pending")
        try await backend.transaction { db in
            try await db.raw(
                """
                UPDATE webhook_deliveries SET status = \(bind: state), attempts = attempts + 1, last_status = \(bind: status),
                    last_error = \(bind: error), next_attempt_at = \(bind: nextAttemptAt), locked_until = NULL, updated = \(bind: now)
                WHERE id = \(bind: id)
                """
            ).run()
        }
    }

    public func deliveries(event: String?, endpoint: String?, owner: String?, limit: Int) async throws
        -> [WebhookDelivery]
    {
        try await backend.transaction { db in
            var query: SQLQueryString = """
                SELECT d.id, d.event, d.endpoint, d.owner, d.status, d.attempts, d.next_attempt_at, d.last_status,
                       d.last_error, d.created, d.updated, e.type AS event_type
                FROM webhook_deliveries d JOIN events e ON e.id = d.event WHERE 1 = 1
                """
            if let event { query += " AND d.event = \(bind: event)" }
            if let endpoint { query += " AND d.endpoint = \(bind: endpoint)" }
            if let owner { query += " AND d.owner = \(bind: owner)" }
            query += " ORDER BY d.seq DESC LIMIT \(bind: limit)"
            return try await db.raw(query).all().map {
                var delivery = try Self.delivery($0)
                delivery.eventType = try $0.decode(column: "event_type", as: String.self)
                return delivery
            }
        }
    }

    public func delivery(_ id: String) async throws -> WebhookDelivery? {
        try await backend.transaction { db in
            try await db.raw("SELECT \(unsafeRaw: Self.deliveryColumns) FROM webhook_deliveries WHERE id = \(bind: id)")
                .first().map(Self.delivery)
        }
    }

    public func expireListenSessions(wall: Int, now: Int) async throws -> Int {
        try await backend.transaction { db in
            var expired = 0
            let sessions = try await db.raw(
                "SELECT \(unsafeRaw: SQLObjectTransaction.columns) FROM objects WHERE type = 'listen_session' AND deleted_at IS NULL"
            ).all().map(SQLObjectTransaction.object)
            for var session in sessions where (session.document["_expires_at"]?.integerValue ?? 0) < wall {
                session.deleted = true
                try await SQLObjectTransaction(db: db).update(session)
                try await db.raw(
                    """
                    UPDATE webhook_deliveries SET status = 'failed', last_error = 'listen session expired',
                        next_attempt_at = NULL, locked_until = NULL, updated = \(bind: now)
                    WHERE endpoint = \(bind: session.id) AND status = 'pending'
                    """
                ).run()
                expired += 1
            }
            return expired
        }
    }

    public func dueObjects(type: String, now: Int, limit: Int) async throws -> [StoredObject] {
        try await backend.transaction { db in
            try await db.raw(
                """
                SELECT \(unsafeRaw: SQLObjectTransaction.columns) FROM objects
                WHERE type = \(bind: type) AND due_at IS NOT NULL AND deleted_at IS NULL AND due_at <= \(bind: now)
                ORDER BY due_at LIMIT \(bind: limit)
                """
            ).all().map(SQLObjectTransaction.object)
        }
    }

    public func abandonDeliveries(endpoint: String, reason: String, now: Int) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                UPDATE webhook_deliveries SET status = 'failed', last_error = \(bind: reason), next_attempt_at = NULL,
                    locked_until = NULL, updated = \(bind: now)
                WHERE endpoint = \(bind: endpoint) AND status = 'pending'
                """
            ).run()
        }
    }

    public func pendingDeliveries(of events: [String]) async throws -> [String: Int] {
        guard !events.isEmpty else { return [:] }
        return try await backend.transaction { db in
            var counts: [String: Int] = [:]
            for row in try await db.raw(
                "SELECT event, COUNT(*) AS pending FROM webhook_deliveries WHERE status = 'pending' AND event IN (\(binds: events)) GROUP BY event"
            ).all() {
                counts[try row.decode(column: "event", as: String.self)] = try row.decode(
                    column: "pending", as: Int.self)
            }
            return counts
        }
    }

    static let deliveryColumns =
        "id, event, endpoint, owner, status, attempts, next_attempt_at, last_status, last_error, created, updated"

    static func delivery(_ row: any SQLRow) throws -> WebhookDelivery {
        WebhookDelivery(
            id: try row.decode(column: "id", as: String.self), event: try row.decode(column: "event", as: String.self),
            endpoint: try row.decode(column: "endpoint", as: String.self),
            owner: try row.decode(column: "owner", as: String.self),
            status: try row.decode(column: "status", as: String.self),
            attempts: try row.decode(column: "attempts", as: Int.self),
            nextAttemptAt: try row.decode(column: "next_attempt_at", as: Int?.self),
            lastStatus: try row.decode(column: "last_status", as: Int?.self),
            lastError: try row.decode(column: "last_error", as: String?.self),
            created: try row.decode(column: "created", as: Int.self),
            updated: try row.decode(column: "updated", as: Int.self))
    }

    // MARK: Objects

    public func write<R: Sendable>(_ body: @Sendable (any ObjectTransaction) async throws -> R) async throws -> R {
        try await backend.transaction { db in try await body(SQLObjectTransaction(db: db)) }
    }

    public func object(_ id: String, account: String) async throws -> StoredObject? {
        try await backend.transaction { db in
            try await SQLObjectTransaction(db: db).load(id, account: account, lock: false)
        }
    }

    public func objects(account: String, type: String, filter: ObjectFilter, limit: Int, cursor: PageCursor)
        async throws
        -> Page<StoredObject>
    {
        try await backend.transaction { db in
            var query: SQLQueryString = """
                SELECT \(unsafeRaw: SQLObjectTransaction.columns) FROM objects
                WHERE account = \(bind: account) AND type = \(bind: type) AND deleted_at IS NULL
                """
            if let customer = filter.customer { query += " AND customer = \(bind: customer)" }
            if let parent = filter.parent { query += " AND parent = \(bind: parent)" }
            if let lookup = filter.lookup { query += " AND lookup = \(bind: lookup)" }
            if let excluded = filter.excludeLookup { query += " AND (lookup IS NULL OR lookup <> \(bind: excluded))" }
            return try await Self.page(
                query, order: "seq", createdColumn: "created", created: filter.created, cursor: cursor, limit: limit,
                noun: type.replacingOccurrences(of: "_", with: " "),
                seqOf: { id in
                    try await db.raw("SELECT seq FROM objects WHERE id = \(bind: id) AND account = \(bind: account)")
                        .first()?
                        .decode(column: "seq", as: Int.self)
                }, in: db, row: SQLObjectTransaction.object)
        }
    }

    // MARK: Balances

    public func balance(of account: String, now: Int) async throws -> [BalanceAmount] {
        try await backend.transaction { db in
            try await db.raw(
                """
                SELECT currency,
                    CAST(SUM(CASE WHEN available_on <= \(bind: now) THEN net ELSE 0 END) AS BIGINT) AS available,
                    CAST(SUM(CASE WHEN available_on > \(bind: now) THEN net ELSE 0 END) AS BIGINT) AS pending
                FROM balance_transactions WHERE account = \(bind: account) GROUP BY currency ORDER BY currency
                """
            ).all().map { row in
                BalanceAmount(
                    currency: try row.decode(column: "currency", as: String.self),
                    available: try row.decode(column: "available", as: Int.self),
                    pending: try row.decode(column: "pending", as: Int.self))
            }
        }
    }

    public func balanceTransaction(_ id: String, account: String) async throws -> BalanceEntry? {
        try await backend.transaction { db in
            try await db.raw(
                "SELECT document FROM balance_transactions WHERE id = \(bind: id) AND account = \(bind: account)"
            ).first().map { try Self.decode(BalanceEntry.self, $0.decode(column: "document", as: String.self)) }
        }
    }

    public func balanceTransactions(
        account: String, type: String?, source: String?, created: CreatedFilter?, limit: Int, cursor: PageCursor
    ) async throws -> Page<BalanceEntry> {
        try await backend.transaction { db in
            var query: SQLQueryString = "SELECT document FROM balance_transactions WHERE account = \(bind: account)"
            if let type { query += " AND type = \(bind: type)" }
            if let source { query += " AND source = \(bind: source)" }
            return try await Self.page(
                query, order: "seq", createdColumn: "created", created: created, cursor: cursor, limit: limit,
                noun: "balance transaction",
                seqOf: { id in
                    try await db.raw(
                        "SELECT seq FROM balance_transactions WHERE id = \(bind: id) AND account = \(bind: account)"
                    ).first()?.decode(column: "seq", as: Int.self)
                }, in: db)
        }
    }

    // MARK: Seeding

    public func seededObject(kind: String, key: String) async throws -> String? {
        try await backend.transaction { db in
            try await db.raw("SELECT object_id FROM seed_objects WHERE kind = \(bind: kind) AND key = \(bind: key)")
                .first()?
                .decode(column: "object_id", as: String.self)
        }
    }

    public func recordSeededObject(kind: String, key: String, id: String) async throws {
        try await backend.transaction { db in
            try await db.raw(
                "INSERT INTO seed_objects (kind, key, object_id) VALUES (\(bind: kind), \(bind: key), \(bind: id))"
            ).run()
        }
    }

    // MARK: Idempotency

    /// Rows older than this are forgotten (Stripe keeps keys at least 24 hours).
    static let idempotencyLifetime = 24 * 3600
    /// An in-flight claim older than this belongs to a request that died with its process.
    static let idempotencyLease = 120

    public func claimIdempotent(scope: String, key: String, requestHash: String, now: Int) async throws
        -> IdempotencyClaim
    {
        try await backend.transaction { db in
            try await db.raw(
                "DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND created < \(bind: now - Self.idempotencyLifetime)"
            ).run()
            let inserted = try await db.raw(
                """
                INSERT INTO idempotency_keys (scope, key, request_hash, state, created)
                VALUES (\(bind: scope), \(bind: key), \(bind: requestHash), 'in_flight', \(bind: now))
                ON CONFLICT DO NOTHING RETURNING key
                """
            ).all()
            if !inserted.isEmpty { return .started }
            guard
                let row = try await db.raw(
                    "SELECT request_hash, state, created, response FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key)"
                ).first()
            else { return .started }
            if try row.decode(column: "request_hash", as: String.self) != requestHash { return .mismatch }
            if try row.decode(column: "state", as: String.self) == "done",
                let response = try row.decode(column: "response", as: String?.self)
            {
                return .replay(try Self.decode(StoredResponse.self, response))
            }
            if try row.decode(column: "created", as: Int.self) < now - Self.idempotencyLease {
                try await db.raw(
                    "UPDATE idempotency_keys SET created = \(bind: now) WHERE scope = \(bind: scope) AND key = \(bind: key)"
                ).run()
                return .started
            }
            return .inFlight
        }
    }

    public func finishIdempotent(scope: String, key: String, response: StoredResponse) async throws {
        let document = try Self.encode(response)
        try await backend.transaction { db in
            try await db.raw(
                "UPDATE idempotency_keys SET state = 'done', response = \(bind: document) WHERE scope = \(bind: scope) AND key = \(bind: key)"
            ).run()
        }
    }

    public func releaseIdempotent(scope: String, key: String) async throws {
        try await backend.transaction { db in
            try await db.raw(
                "DELETE FROM idempotency_keys WHERE scope = \(bind: scope) AND key = \(bind: key) AND state = 'in_flight'"
            ).run()
        }
    }

    // MARK: Helpers

    private static func insertAccountRow(_ account: Account, document: String, in db: any SQLDatabase) async throws
        -> Int
    {
        let row = try await db.raw(
            """
            INSERT INTO accounts (id, created, controlling_application, owner_user, document)
            VALUES (\(bind: account.id), \(bind: account.created), \(bind: account.controllingApplication), \(bind: account.ownerUser), \(bind: document))
            RETURNING seq
            """
        ).first()
        return try row!.decode(column: "seq", as: Int.self)
    }

    static func insertConnection(_ c: Connection, accountSeq: Int, in db: any SQLDatabase) async throws {
        do {
            try await db.raw(
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

    private static func insertKey(_ key: APIKey, in db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO api_keys (hash, kind, account, created, connection, scope, code_hash)
            VALUES (\(bind: key.hash), \(bind: key.kind.rawValue), \(bind: key.account), \(bind: key.created),
                    \(bind: key.connection), \(bind: key.scope?.rawValue), \(bind: key.codeHash))
            """
        ).run()
    }

    private static func loadAccount(_ id: String, in db: any SQLDatabase, forUpdate: Bool) async throws -> Account? {
        // SQLite's BEGIN IMMEDIATE already serializes writers; PostgreSQL needs the row lock.
        let lock = forUpdate && db.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await db.raw(
            "SELECT document FROM accounts WHERE id = \(bind: id) AND deleted_at IS NULL\(unsafeRaw: lock)"
        ).first().map { try decode(Account.self, $0.decode(column: "document", as: String.self)) }
    }

    private static func accountSeq(_ id: String, in db: any SQLDatabase) async throws -> Int? {
        try await db.raw("SELECT seq FROM accounts WHERE id = \(bind: id)").first()?.decode(column: "seq", as: Int.self)
    }

    private static func user(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            created: try row.decode(column: "created", as: Int.self))
    }

    private static func connection(_ row: any SQLRow) throws -> Connection {
        Connection(
            id: try row.decode(column: "id", as: String.self),
            application: try row.decode(column: "application", as: String.self),
            account: try row.decode(column: "account", as: String.self),
            scope: Connection.Scope(rawValue: try row.decode(column: "scope", as: String.self)) ?? .readOnly,
            isPlatform: try row.decode(column: "is_platform", as: Int.self) != 0,
            legacy: try row.decode(column: "legacy", as: Int.self) != 0,
            created: try row.decode(column: "created", as: Int.self),
            endedAt: try row.decode(column: "ended_at", as: Int?.self))
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}

/// ``ObjectTransaction`` on one SQL session inside a transaction.
struct SQLObjectTransaction: ObjectTransaction {
    let db: any SQLDatabase

    static let columns = "id, account, type, customer, parent, lookup, created, deleted_at, due_at, document"

    func object(_ id: String, account: String) async throws -> StoredObject? {
        try await load(id, account: account, lock: true)
    }

    func load(_ id: String, account: String, lock: Bool) async throws -> StoredObject? {
        let suffix = lock && db.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await db.raw(
            "SELECT \(unsafeRaw: Self.columns) FROM objects WHERE id = \(bind: id) AND account = \(bind: account)\(unsafeRaw: suffix)"
        ).first().map(Self.object)
    }

    func insert(_ object: StoredObject) async throws {
        try await db.raw(
            """
            INSERT INTO objects (id, account, type, customer, parent, lookup, created, deleted_at, due_at, document)
            VALUES (\(bind: object.id), \(bind: object.account), \(bind: object.type), \(bind: object.customer),
                    \(bind: object.parent), \(bind: object.lookup), \(bind: object.created), \(bind: object.deleted ? object.created : nil),
                    \(bind: object.dueAt), \(bind: String(decoding: object.document.serialized(), as: UTF8.self)))
            """
        ).run()
    }

    func update(_ object: StoredObject) async throws {
        try await db.raw(
            """
            UPDATE objects SET customer = \(bind: object.customer), parent = \(bind: object.parent), lookup = \(bind: object.lookup),
                deleted_at = CASE WHEN \(bind: object.deleted ? 1 : 0) = 1 THEN COALESCE(deleted_at, created) ELSE NULL END,
                due_at = \(bind: object.dueAt), document = \(bind: String(decoding: object.document.serialized(), as: UTF8.self))
            WHERE id = \(bind: object.id) AND account = \(bind: object.account)
            """
        ).run()
    }

    func emit(_ event: Event) async throws {
        try await SQLStore.insertEvent(event, in: db)
    }

    func account(_ id: String) async throws -> Account? {
        let suffix = db.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        return try await db.raw(
            "SELECT document FROM accounts WHERE id = \(bind: id) AND deleted_at IS NULL\(unsafeRaw: suffix)"
        ).first().map { try SQLStore.decode(Account.self, $0.decode(column: "document", as: String.self)) }
    }

    func application(_ id: String) async throws -> ConnectApplication? {
        try await db.raw("SELECT document FROM applications WHERE id = \(bind: id)").first().map {
            try SQLStore.decode(ConnectApplication.self, $0.decode(column: "document", as: String.self))
        }
    }

    func record(_ entry: BalanceEntry) async throws {
        try await db.raw(
            """
            INSERT INTO balance_transactions (id, account, type, source, currency, net, created, available_on, document)
            VALUES (\(bind: entry.id), \(bind: entry.account), \(bind: entry.type), \(bind: entry.source), \(bind: entry.currency),
                    \(bind: entry.net), \(bind: entry.created), \(bind: entry.availableOn), \(bind: try SQLStore.encode(entry)))
            """
        ).run()
    }

    func totalBalance(of account: String) async throws -> [String: Int] {
        var totals: [String: Int] = [:]
        for row in try await db.raw(
            "SELECT currency, CAST(SUM(net) AS BIGINT) AS total FROM balance_transactions WHERE account = \(bind: account) GROUP BY currency"
        ).all() {
            totals[try row.decode(column: "currency", as: String.self)] = try row.decode(column: "total", as: Int.self)
        }
        return totals
    }

    static func object(_ row: any SQLRow) throws -> StoredObject {
        StoredObject(
            id: try row.decode(column: "id", as: String.self),
            account: try row.decode(column: "account", as: String.self),
            type: try row.decode(column: "type", as: String.self),
            customer: try row.decode(column: "customer", as: String?.self),
            parent: try row.decode(column: "parent", as: String?.self),
            lookup: try row.decode(column: "lookup", as: String?.self),
            created: try row.decode(column: "created", as: Int.self),
            deleted: try row.decode(column: "deleted_at", as: Int?.self) != nil,
            dueAt: try row.decode(column: "due_at", as: Int?.self),
            document: try JSONDecoder().decode(
                JSONValue.self, from: Data(try row.decode(column: "document", as: String.self).utf8)))
    }
}
