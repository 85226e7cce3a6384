import ConnectModel
import SQLKit

extension SQLStore: AccountStore {
    public func insertAccount(
        _ account: Account, keys: [APIKey], connection: Connection?, code: OAuthCode?, events: [Event]
    ) async throws {
        try await transaction { session in
            let seq = try await session.insertAccountRow(account)
            for key in keys { try await session.insertKey(key) }
            if let connection { try await session.insertConnection(connection, accountSeq: seq) }
            if let code { try await session.insertCode(code) }
            for event in events { try await session.insertEvent(event) }
        }
    }

    public func account(_ id: String) async throws -> Account? {
        try await read { session in try await session.account(id, forUpdate: false) }
    }

    public func updateAccount(
        _ id: String, emitting: @escaping @Sendable (Account, Account) -> [Event],
        _ change: @escaping @Sendable (inout Account) throws -> Void
    ) async throws -> Account? {
        try await transaction { session in
            try await session.changeAccount(id, emitting: emitting, change)
        }
    }

    public func accountsDueForPayout(now: Int, limit: Int) async throws -> [String] {
        try await transaction { session in
            try await session.raw(
                """
                SELECT id FROM accounts WHERE payout_due IS NOT NULL AND payout_due <= \(bind: now)
                AND deleted_at IS NULL ORDER BY payout_due LIMIT \(bind: limit)
                """
            ).all(decodingColumn: "id", as: String.self)
        }
    }

    public func deleteAccount(_ id: String, now: Int) async throws -> Bool {
        try await transaction { session in
            let rows = try await session.raw(
                "UPDATE accounts SET deleted_at = \(bind: now) WHERE id = \(bind: id) AND deleted_at IS NULL RETURNING id"
            ).all()
            guard !rows.isEmpty else { return false }
            try await session.raw(
                "UPDATE connections SET ended_at = \(bind: now) WHERE account = \(bind: id) AND ended_at IS NULL"
            ).run()
            try await session.raw(
                "UPDATE api_keys SET revoked_at = \(bind: now) WHERE account = \(bind: id) AND revoked_at IS NULL"
            ).run()
            return true
        }
    }

    public func connectedAccounts(of application: String, page: PageRequest) async throws -> Page<Account> {
        try await read { session in
            try await session.page(
                "\(unsafeRaw: Self.connectedAccountsSelect)\(bind: application) AND c.ended_at IS NULL",
                order: "c.account_seq", createdColumn: "a.created", page: page, noun: "account",
                seqOf: { id in
                    // Only an account connected to this application (L8: no oracle for others).
                    try await session.raw(
                        "SELECT account_seq FROM connections WHERE application = \(bind: application) AND account = \(bind: id)"
                    ).first(decodingColumn: "account_seq", as: Int.self)
                }, decode: { try await $0.documents(Account.self) })
        }
    }

    /// The start of the C10 query; ``connectedAccounts(of:page:)`` appends the filter.
    static let connectedAccountsSelect = """
        SELECT a.document AS document, c.account_seq AS seq FROM connections c
        JOIN accounts a ON a.id = c.account
        WHERE c.application = 
        """

    public func accounts(ownedBy user: String) async throws -> [Account] {
        try await read { session in try await session.accounts(ownedBy: user) }
    }
}

extension SQLSession {
    /// Inserts the account's row; returns its `seq` (connections order by it, C10).
    func insertAccountRow(_ account: Account) async throws -> Int {
        let row = try await raw(
            """
            INSERT INTO accounts (id, created, controlling_application, owner_user, payout_due, document)
            VALUES (\(bind: account.id), \(bind: account.created), \(bind: account.controllingApplication),
                    \(bind: account.ownerUser), \(bind: account.automaticPayoutDue),
                    \(bind: try JSONColumn.encode(account)))
            RETURNING seq
            """
        ).first(decodingColumn: "seq", as: Int.self)
        return row!
    }

    /// The one way an account row is written after insertion: its document and the columns
    /// queries filter on.
    func saveAccount(_ account: Account) async throws {
        try await raw(
            """
            UPDATE accounts SET document = \(bind: try JSONColumn.encode(account)),
                controlling_application = \(bind: account.controllingApplication), owner_user = \(bind: account.ownerUser),
                payout_due = \(bind: account.automaticPayoutDue)
            WHERE id = \(bind: account.id)
            """
        ).run()
    }

    /// A live account; with `forUpdate`, locked for the rest of the transaction.
    func account(_ id: String, forUpdate: Bool) async throws -> Account? {
        try await raw(
            "SELECT document FROM accounts WHERE id = \(bind: id) AND deleted_at IS NULL\(unsafeRaw: forUpdate ? flavor.forUpdate : "")"
        ).first(decodingColumn: "document", as: String.self).map {
            try DocumentCaches.accounts.decode(id: id, text: $0)
        }
    }

    /// Loads (locked), changes, saves an account and emits the events of the change (E1).
    func changeAccount(
        _ id: String, emitting: (Account, Account) -> [Event], _ change: (inout Account) throws -> Void
    ) async throws -> Account? {
        guard var account = try await account(id, forUpdate: true) else { return nil }
        let before = account
        try change(&account)
        try await saveAccount(account)
        for event in emitting(before, account) { try await insertEvent(event) }
        return account
    }

    func accountSeq(_ id: String) async throws -> Int? {
        try await raw("SELECT seq FROM accounts WHERE id = \(bind: id)").first(decodingColumn: "seq", as: Int.self)
    }

    func accounts(ownedBy user: String) async throws -> [Account] {
        try await raw(
            "SELECT document FROM accounts WHERE owner_user = \(bind: user) AND deleted_at IS NULL ORDER BY seq DESC"
        ).documents(Account.self)
    }
}
