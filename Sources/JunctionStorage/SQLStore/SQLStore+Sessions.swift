import ConnectModel
import SQLKit

extension SQLStore: SessionStore {
    public func insertAccountLink(_ link: AccountLink) async throws {
        try await transaction { session in
            try await session.raw(
                """
                INSERT INTO account_links (token_hash, account, application, type, refresh_url, return_url, created, expires_at)
                VALUES (\(bind: link.tokenHash), \(bind: link.account), \(bind: link.application), \(bind: link.type.rawValue),
                        \(bind: link.refreshURL), \(bind: link.returnURL), \(bind: link.created), \(bind: link.expiresAt))
                """
            ).run()
        }
    }

    public func accountLink(tokenHash: String) async throws -> AccountLink? {
        try await transaction { session in
            try await session.raw(
                "SELECT \(unsafeRaw: AccountLinkRow.columns) FROM account_links WHERE token_hash = \(bind: tokenHash)"
            ).row(AccountLinkRow.self)?.link
        }
    }

    public func useAccountLink(
        tokenHash: String, now: Int, emitting: @escaping @Sendable (Account, Account) -> [Event],
        _ change: @escaping @Sendable (inout Account) throws -> Void
    ) async throws -> Account? {
        try await transaction { session in
            // The conditional update is the single-use guarantee: of two concurrent submits one wins.
            guard
                let accountID = try await session.raw(
                    """
                    UPDATE account_links SET used_at = \(bind: now)
                    WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING account
                    """
                ).first(decodingColumn: "account", as: String.self)
            else { return nil }
            return try await session.changeAccount(accountID, emitting: emitting, change)
        }
    }

    public func insertLoginLink(tokenHash: String, account: String, created: Int, expiresAt: Int) async throws {
        try await transaction { session in
            try await session.raw(
                """
                INSERT INTO login_links (token_hash, account, created, expires_at)
                VALUES (\(bind: tokenHash), \(bind: account), \(bind: created), \(bind: expiresAt))
                """
            ).run()
        }
    }

    public func useLoginLink(tokenHash: String, now: Int) async throws -> String? {
        try await transaction { session in
            try await session.raw(
                """
                UPDATE login_links SET used_at = \(bind: now)
                WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now) RETURNING account
                """
            ).first(decodingColumn: "account", as: String.self)
        }
    }

    public func insertSession(_ webSession: WebSession) async throws {
        try await transaction { session in
            // Expired sessions are swept as new ones arrive, so the table stays small.
            try await session.raw("DELETE FROM sessions WHERE expires_at < \(bind: webSession.created)").run()
            try await session.raw(
                """
                INSERT INTO sessions (token_hash, user_id, account, csrf, created, expires_at)
                VALUES (\(bind: webSession.tokenHash), \(bind: webSession.user), \(bind: webSession.account),
                        \(bind: webSession.csrf), \(bind: webSession.created), \(bind: webSession.expiresAt))
                """
            ).run()
        }
    }

    public func session(tokenHash: String, now: Int) async throws -> WebSession? {
        try await transaction { session in
            try await session.raw(
                """
                SELECT token_hash, user_id AS user, account, csrf, created, expires_at FROM sessions
                WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now)
                """
            ).row(WebSession.self)
        }
    }

    public func deleteSession(tokenHash: String) async throws {
        try await transaction { session in
            try await session.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }
}
