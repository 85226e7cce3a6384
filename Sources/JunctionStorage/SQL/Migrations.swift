import SQLKit

/// The schema, as numbered migrations. A migration never changes once released: add a new one.
///
/// Every table has an auto-increment `seq` and orders lists by it, so they page in O(limit)
/// through an index. Statements are written once for both databases (see ``sql(_:flavor:)``).
enum Migrations {
    static let all: [(version: Int, statements: [String])] = [
        (
            1,
            [
                """
                CREATE TABLE accounts (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, created BIGINT NOT NULL,
                    controlling_application TEXT, owner_user TEXT, deleted_at BIGINT,
                    document TEXT NOT NULL)
                """,
                "CREATE INDEX accounts_owner ON accounts (owner_user, seq)",
                """
                CREATE TABLE applications (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL UNIQUE REFERENCES accounts (id),
                    created BIGINT NOT NULL, document TEXT NOT NULL)
                """,
                """
                CREATE TABLE users (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, email TEXT NOT NULL UNIQUE, created BIGINT NOT NULL,
                    password_hash TEXT NOT NULL)
                """,
                """
                CREATE TABLE api_keys (
                    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, account TEXT NOT NULL REFERENCES accounts (id),
                    created BIGINT NOT NULL, revoked_at BIGINT)
                """,
                """
                CREATE TABLE connections (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, application TEXT NOT NULL REFERENCES applications (id),
                    account TEXT NOT NULL REFERENCES accounts (id), account_seq BIGINT NOT NULL,
                    scope TEXT NOT NULL, is_platform INTEGER NOT NULL, legacy INTEGER NOT NULL,
                    created BIGINT NOT NULL, ended_at BIGINT)
                """,
                // C10 in O(limit): an application's active connections ordered by account age.
                "CREATE INDEX connections_by_application ON connections (application, account_seq) WHERE ended_at IS NULL",
                "CREATE INDEX connections_by_account ON connections (account) WHERE ended_at IS NULL",
                // P4 enforced by the database: one active non-legacy platform connection per account.
                """
                CREATE UNIQUE INDEX connections_single_platform ON connections (account)
                    WHERE ended_at IS NULL AND is_platform = 1 AND legacy = 0
                """,
                """
                CREATE TABLE idempotency_keys (
                    scope TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, state TEXT NOT NULL,
                    created BIGINT NOT NULL, response TEXT, PRIMARY KEY (scope, key))
                """,
            ]
        ),
        (
            2,
            [
                // Account links (hosted onboarding): single-use, short-lived; only a hash of the token is kept.
                """
                CREATE TABLE account_links (
                    token_hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts (id),
                    application TEXT NOT NULL, type TEXT NOT NULL, refresh_url TEXT, return_url TEXT,
                    created BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
                """
            ]
        ),
        (
            3,
            [
                // OAuth access and refresh tokens are keys bound to a connection, with their own scope.
                "ALTER TABLE api_keys ADD COLUMN connection TEXT",
                "ALTER TABLE api_keys ADD COLUMN scope TEXT",
                "ALTER TABLE api_keys ADD COLUMN code_hash TEXT",
                "CREATE INDEX api_keys_by_connection ON api_keys (connection) WHERE revoked_at IS NULL",
                "CREATE INDEX api_keys_by_code ON api_keys (code_hash)",
                """
                CREATE TABLE oauth_codes (
                    code_hash TEXT PRIMARY KEY, application TEXT NOT NULL REFERENCES applications (id),
                    account TEXT NOT NULL REFERENCES accounts (id), connection TEXT NOT NULL, scope TEXT NOT NULL,
                    redirect_uri TEXT, created BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
                """,
            ]
        ),
        (
            4,
            [
                // Browser sessions: a person (user), or the one account an Express login link opened.
                """
                CREATE TABLE sessions (
                    token_hash TEXT PRIMARY KEY, user_id TEXT, account TEXT, csrf TEXT NOT NULL,
                    created BIGINT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                """
                CREATE TABLE login_links (
                    token_hash TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts (id),
                    created BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
                """,
            ]
        ),
        (
            5,
            [
                // What a --seed file created, by its natural key, so seeding twice creates nothing new.
                "CREATE TABLE seed_objects (kind TEXT NOT NULL, key TEXT NOT NULL, object_id TEXT NOT NULL, PRIMARY KEY (kind, key))"
            ]
        ),
        (
            6,
            [
                // The event outbox: written in the transaction of the change it describes (E1).
                """
                CREATE TABLE events (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, application TEXT, type TEXT NOT NULL,
                    created BIGINT NOT NULL, document TEXT NOT NULL)
                """,
                "CREATE INDEX events_by_account ON events (account, seq)",
                "CREATE INDEX events_by_application ON events (application, seq)",
            ]
        ),
        (
            7,
            [
                // The objects accounts own (customers, payment methods, payments, …) as Stripe JSON
                // documents; `account` is the owner, so objects never cross accounts (A6).
                """
                CREATE TABLE objects (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, type TEXT NOT NULL, customer TEXT,
                    parent TEXT, lookup TEXT, created BIGINT NOT NULL, deleted_at BIGINT, document TEXT NOT NULL)
                """,
                "CREATE INDEX objects_by_type ON objects (account, type, seq) WHERE deleted_at IS NULL",
                "CREATE INDEX objects_by_customer ON objects (account, type, customer, seq) WHERE deleted_at IS NULL",
                "CREATE INDEX objects_by_parent ON objects (account, type, parent, seq) WHERE deleted_at IS NULL",
                "CREATE INDEX objects_by_lookup ON objects (account, type, lookup, seq) WHERE deleted_at IS NULL",
            ]
        ),
        (
            8,
            [
                // Balance transactions: money columns so balances are sums, not document scans.
                """
                CREATE TABLE balance_transactions (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, account TEXT NOT NULL, type TEXT NOT NULL, source TEXT,
                    currency TEXT NOT NULL, net BIGINT NOT NULL, created BIGINT NOT NULL, available_on BIGINT NOT NULL,
                    document TEXT NOT NULL)
                """,
                "CREATE INDEX balance_transactions_by_account ON balance_transactions (account, seq)",
                "CREATE INDEX balance_transactions_by_source ON balance_transactions (account, source, seq)",
            ]
        ),
        (
            9,
            [
                // Webhook deliveries: one row per event and endpoint, written with the event (E2).
                """
                CREATE TABLE webhook_deliveries (
                    seq {SEQ}, id TEXT NOT NULL UNIQUE, event TEXT NOT NULL, endpoint TEXT NOT NULL, owner TEXT NOT NULL,
                    status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT, locked_until BIGINT,
                    last_status INTEGER, last_error TEXT, created BIGINT NOT NULL, updated BIGINT NOT NULL)
                """,
                "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'",
                "CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event, seq)",
                "CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint, seq)",
            ]
        ),
        (
            10,
            [
                // The clock's offset, so a restart keeps moved time (retries stay due) and
                // instances sharing one database agree on "now".
                "CREATE TABLE clock (id INTEGER PRIMARY KEY, offset_seconds BIGINT NOT NULL)",
                "INSERT INTO clock (id, offset_seconds) VALUES (1, 0)",
                // Deliveries to `junction listen` sessions are pulled by the session, not pushed.
                "ALTER TABLE webhook_deliveries ADD COLUMN mode TEXT NOT NULL DEFAULT 'push'",
                "CREATE INDEX webhook_deliveries_by_owner ON webhook_deliveries (owner, seq)",
                "CREATE INDEX objects_live_listen_sessions ON objects (type) WHERE type = 'listen_session' AND deleted_at IS NULL",
            ]
        ),
        (
            11,
            [
                // When an object next needs the clock's attention (a subscription's period end).
                "ALTER TABLE objects ADD COLUMN due_at BIGINT",
                "CREATE INDEX objects_due ON objects (type, due_at) WHERE due_at IS NOT NULL AND deleted_at IS NULL",
            ]
        ),
        (
            12,
            [
                // One meaning per column: `status` is the object's status (read from its document
                // as its resource's descriptor says); `lookup`, which held six different things, goes.
                // Filters no column serves read the document instead.
                "ALTER TABLE objects ADD COLUMN status TEXT",
                "UPDATE objects SET status = lookup WHERE type IN ('subscription', 'product', 'price')",
                """
                UPDATE objects SET status = {json:document:status}
                WHERE type IN ('payment_intent', 'charge', 'refund', 'invoice', 'webhook_endpoint', 'listen_session')
                """,
                // `customer` holds only an object's own customer; refunds have none.
                "UPDATE objects SET customer = NULL WHERE type = 'refund'",
                "DROP INDEX objects_by_lookup",
                "ALTER TABLE objects DROP COLUMN lookup",
                "CREATE INDEX objects_by_status ON objects (account, type, status, seq) WHERE deleted_at IS NULL",
            ]
        ),
        (
            13,
            [
                // Ids are unique per account, as on Stripe: ids a client chooses (`prod_gold`, a
                // coupon's code) may be taken by every account once, and one account's choice does
                // not show through another's "already exists". SQLite cannot drop a column's UNIQUE:
                // it rebuilds the table.
                """
                [sqlite] CREATE TABLE objects_v13 (
                    seq {SEQ}, id TEXT NOT NULL, account TEXT NOT NULL, type TEXT NOT NULL, customer TEXT,
                    parent TEXT, status TEXT, created BIGINT NOT NULL, deleted_at BIGINT, due_at BIGINT,
                    document TEXT NOT NULL)
                """,
                """
                [sqlite] INSERT INTO objects_v13
                    (seq, id, account, type, customer, parent, status, created, deleted_at, due_at, document)
                SELECT seq, id, account, type, customer, parent, status, created, deleted_at, due_at, document
                FROM objects
                """,
                "[sqlite] DROP TABLE objects",
                "[sqlite] ALTER TABLE objects_v13 RENAME TO objects",
                "[sqlite] CREATE INDEX objects_by_type ON objects (account, type, seq) WHERE deleted_at IS NULL",
                "[sqlite] CREATE INDEX objects_by_customer ON objects (account, type, customer, seq) WHERE deleted_at IS NULL",
                "[sqlite] CREATE INDEX objects_by_parent ON objects (account, type, parent, seq) WHERE deleted_at IS NULL",
                "[sqlite] CREATE INDEX objects_by_status ON objects (account, type, status, seq) WHERE deleted_at IS NULL",
                "[sqlite] CREATE INDEX objects_due ON objects (type, due_at) WHERE due_at IS NOT NULL AND deleted_at IS NULL",
                "[sqlite] CREATE INDEX objects_live_listen_sessions ON objects (type) WHERE type = 'listen_session' AND deleted_at IS NULL",
                "[postgres] ALTER TABLE objects DROP CONSTRAINT objects_id_key",
                "CREATE UNIQUE INDEX objects_by_id ON objects (account, id)",
            ]
        ),
        (
            14,
            [
                // `junction listen`'s signing secret, stable per account and device as the Stripe
                // CLI keeps it, so "print the secret, then listen" works.
                """
                CREATE TABLE listen_secrets (
                    account TEXT NOT NULL, device_name TEXT NOT NULL, secret TEXT NOT NULL,
                    PRIMARY KEY (account, device_name))
                """
            ]
        ),
        (
            15,
            [
                // Who holds an in-flight key (the request id): a claim whose outcome was lost with
                // the database connection is given back by its claimer, never another's.
                "ALTER TABLE idempotency_keys ADD COLUMN claim TEXT",
                // The same for deliveries a worker claimed.
                "ALTER TABLE webhook_deliveries ADD COLUMN claim TEXT",
            ]
        ),
        (
            16,
            [
                // When an account's next automatic payout is due (F7); written with the account.
                "ALTER TABLE accounts ADD COLUMN payout_due BIGINT",
                "CREATE INDEX accounts_payout_due ON accounts (payout_due) WHERE payout_due IS NOT NULL",
            ]
        ),
        (
            17,
            [
                // When money that arrived pending becomes available, until `balance.available` has
                // said so (issue 12); NULL once said, and for money available at once.
                "ALTER TABLE balance_transactions ADD COLUMN announce_at BIGINT",
                "CREATE INDEX balance_transactions_to_announce ON balance_transactions (announce_at) WHERE announce_at IS NOT NULL",
            ]
        ),
        (
            18,
            [
                // The endpoints an event goes to, found on every write (E2). Through the (account,
                // type, …) indexes, PostgreSQL without statistics yet (a young table) matched the
                // account alone and filtered its every object by type: each POST read all of the
                // account's objects (issue 13). The kinds are written as literals in the queries
                // too, so both databases see the index's condition in them.
                """
                CREATE INDEX objects_endpoints ON objects (account)
                    WHERE type IN ('webhook_endpoint', 'listen_session') AND deleted_at IS NULL
                """
            ]
        ),
    ]

    /// A statement for one database: `{SEQ}` is the auto-increment key every table orders by, and
    /// `{json:column:path}` the text at a path of a JSON document column. A statement that starts
    /// with `[sqlite]` or `[postgres]` runs on that database only (`nil` on the other).
    static func sql(_ statement: String, flavor: SQLFlavor) -> String? {
        var statement = statement
        for other in SQLFlavor.allCases {
            let mark = "[\(other.rawValue)] "
            guard statement.hasPrefix(mark) else { continue }
            guard other == flavor else { return nil }
            statement.removeFirst(mark.count)
        }
        var sql = statement.replacingOccurrences(of: "{SEQ}", with: flavor.sequenceColumn)
        while let start = sql.range(of: "{json:"), let end = sql.range(of: "}", range: start.upperBound..<sql.endIndex)
        {
            let parts = sql[start.upperBound..<end.lowerBound].split(separator: ":")
            sql.replaceSubrange(
                start.lowerBound..<end.upperBound, with: flavor.jsonText(String(parts[0]), String(parts[1])))
        }
        return sql
    }
}
