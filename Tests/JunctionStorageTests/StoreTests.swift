import ConnectModel
import Foundation
import Logging
import SQLKit
import Testing

@testable import JunctionStorage

/// The databases every storage test runs on. PostgreSQL joins when the test command started one
/// (`JUNCTION_TEST_POSTGRES_URL`); `scripts/test` always does.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible {
    case sqliteMemory, sqliteFile, postgres

    static var available: [TestDatabase] {
        ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"] == nil
            ? [.sqliteMemory, .sqliteFile] : allCases
    }

    var testDescription: String { rawValue }

    /// Opens a migrated store, runs `body`, then stops the store's services.
    func withStore<R: Sendable>(_ body: @Sendable (SQLStore) async throws -> R) async throws -> R {
        let logger = Logger(label: "test")
        let backend: any SQLBackend
        switch self {
        case .sqliteMemory: backend = try await SQLiteBackend.open(path: nil, logger: logger)
        case .sqliteFile:
            backend = try await SQLiteBackend.open(
                path: FileManager.default.temporaryDirectory.appendingPathComponent("junction-\(UUID()).sqlite").path,
                logger: logger)
        case .postgres:
            backend = try PostgresBackend(
                url: ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"]!, logger: logger)
        }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for service in backend.services { group.addTask { try await service.run() } }
            defer { group.cancelAll() }
            let store = SQLStore(backend: backend)
            do {
                try await store.migrate()
                let result = try await body(store)
                try await backend.close()
                return result
            } catch {
                try? await backend.close()  // a failing test still closes (SQLite asserts on it)
                throw error
            }
        }
    }
}

@Suite("Store on SQLite and PostgreSQL")
struct StoreTests {
    static func platform(_ store: SQLStore, now: Int = 1) async throws -> ConnectApplication {
        let account = Account(
            id: Identifiers.make("acct"), created: now, type: .standard, controller: .standard,
            controllingApplication: nil, country: "US", defaultCurrency: "usd")
        let app = ConnectApplication(
            id: Identifiers.make("ca"), name: "P", kind: .platform, redirectURIs: [], account: account.id, created: now)
        try await store.insertApplication(app, account: account, keys: [])
        return app
    }

    static func controlled(by app: ConnectApplication, in store: SQLStore, now: Int = 1) async throws -> Account {
        let account = try Account.create(
            AccountCreateRequest(), id: Identifiers.make("acct"), platform: app.id, now: now)
        try await store.insertAccount(
            account,
            connection: Connection(
                id: Identifiers.make("conn"), application: app.id, account: account.id, scope: .readWrite,
                isPlatform: true, created: now), code: nil, events: [])
        return account
    }

    @Test("migrations run once and again without effect", arguments: TestDatabase.available)
    func migrations(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            try await store.migrate()
            try await store.migrate()
        }
    }

    @Test("the clock's offset is kept in the database and only moves forward", arguments: TestDatabase.available)
    func clockOffset(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let before = try await store.clockOffset()
            #expect(try await store.advanceClock(by: 90) == before + 90)
            #expect(try await store.advanceClock(by: -30) == before + 90)
            #expect(try await store.clockOffset() == before + 90)
        }
    }

    @Test("an account round-trips and updates in place", arguments: TestDatabase.available)
    func accountRoundTrip(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await Self.platform(store)
            let account = try await Self.controlled(by: app, in: store)
            #expect(try await store.account(account.id) == account)
            let updated = try await store.updateAccount(
                account.id,
                emitting: { $1.changeEvents(since: $0, now: 5, request: RequestInfo(id: "req_1", idempotencyKey: nil)) }
            ) { $0.metadata["k"] = "v" }
            #expect(updated?.metadata == ["k": "v"])
            // E1: the account.updated event was written in the same transaction as the change.
            let events = try await store.events(
                account: account.id, application: nil, filter: EventFilter(types: ["account.updated"]),
                page: PageRequest(limit: 10))
            #expect(events.items.map(\.previousAttributes) == [["metadata": ["k": nil]]])
            #expect(try await store.account(account.id)?.metadata == ["k": "v"])
            #expect(try await store.deleteAccount(account.id, now: 2))
            #expect(try await store.account(account.id) == nil)
            #expect(try await store.activeConnection(application: app.id, account: account.id) == nil)
        }
    }

    @Test("C10: connected accounts page newest first with both cursors", arguments: TestDatabase.available)
    func pagination(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await Self.platform(store)
            var ids: [String] = []
            for i in 0..<7 { ids.append(try await Self.controlled(by: app, in: store, now: 100 + i).id) }
            let newestFirst = Array(ids.reversed())
            let first = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 3, cursor: .first, created: nil))
            #expect(first.items.map(\.id) == Array(newestFirst[0..<3]) && first.hasMore)
            let second = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 3, cursor: .startingAfter(newestFirst[2]), created: nil))
            #expect(second.items.map(\.id) == Array(newestFirst[3..<6]) && second.hasMore)
            let last = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 3, cursor: .startingAfter(newestFirst[5]), created: nil))
            #expect(last.items.map(\.id) == [newestFirst[6]] && !last.hasMore)
            let back = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 2, cursor: .endingBefore(newestFirst[3]), created: nil))
            #expect(back.items.map(\.id) == Array(newestFirst[1..<3]) && back.hasMore)
            let recent = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 10, cursor: .first, created: CreatedFilter(gte: 103, lt: 106)))
            #expect(recent.items.map(\.created) == [105, 104, 103])
            let exact = try await store.connectedAccounts(
                of: app.id, page: PageRequest(limit: 10, cursor: .first, created: .exactly(101)))
            #expect(exact.items.map(\.id) == [ids[1]])
            let other = try await Self.platform(store)
            #expect(
                try await store.connectedAccounts(
                    of: other.id, page: PageRequest(limit: 10, cursor: .first, created: nil)
                ).items.isEmpty)
        }
    }

    @Test("C10: a page of connected accounts is read through the partial index, never a table scan")
    func paginationUsesTheIndex() async throws {
        try await TestDatabase.sqliteMemory.withStore { store in
            let plan = try await store.backend.transaction { session in
                try await session.raw(
                    SQLQueryString(
                        "EXPLAIN QUERY PLAN \(SQLStore.connectedAccountsSelect)'ca_x' AND c.ended_at IS NULL AND c.account_seq < 5 ORDER BY c.account_seq DESC LIMIT 11"
                    )
                ).all().map { try $0.decode(column: "detail", as: String.self) }
            }
            #expect(plan.contains { $0.contains("USING INDEX connections_by_application") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "no sort: \(plan)")
        }
    }

    @Test("P4: the database refuses a second active platform connection", arguments: TestDatabase.available)
    func singlePlatformConstraint(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let first = try await Self.platform(store)
            let second = try await Self.platform(store)
            let account = try await Self.controlled(by: first, in: store)
            try await store.backend.transaction { session in
                await #expect(throws: StoreError.platformConnectionExists) {
                    try await session.insertConnection(
                        Connection(
                            id: Identifiers.make("conn"), application: second.id, account: account.id,
                            scope: .readWrite,
                            isPlatform: true, created: 2), accountSeq: 1)
                }
            }
        }
    }

    /// Times near real time: a server built in another test on the same PostgreSQL sweeps keys
    /// older than a day of real time (`forgetOldIdempotencyKeys`), whatever their scope.
    static var realNow: Int { Int(Date().timeIntervalSince1970) }

    @Test("idempotency: claim, in flight, replay, mismatch, release", arguments: TestDatabase.available)
    func idempotency(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let scope = Identifiers.make("acct")
            let t = Self.realNow
            #expect(
                try await store.claimIdempotent(scope: scope, key: "k", requestHash: "h1", claim: "req_1", now: t)
                    == .started)
            #expect(
                try await store.claimIdempotent(scope: scope, key: "k", requestHash: "h1", claim: "req_1", now: t + 1)
                    == .inFlight)
            #expect(
                try await store.claimIdempotent(scope: scope, key: "k", requestHash: "h2", claim: "req_1", now: t + 1)
                    == .mismatch)
            let response = StoredResponse(status: 200, body: "{}", requestID: "req_1")
            try await store.finishIdempotent(scope: scope, key: "k", response: response)
            #expect(
                try await store.claimIdempotent(scope: scope, key: "k", requestHash: "h1", claim: "req_1", now: t + 2)
                    == .replay(response))
            // Another key holder has its own key space.
            #expect(
                try await store.claimIdempotent(
                    scope: "acct_other\(scope)", key: "k", requestHash: "h2", claim: "req_2", now: t + 2)
                    == .started)
            // Kept at least 24 hours, then forgotten.
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h2", claim: "req_1", now: t + 86_000)
                    == .mismatch)
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h2", claim: "req_1", now: t + 90_000)
                    == .started)
            // Given back only by the request that holds it: a lost claim released late must not
            // free a key another request has claimed since.
            try await store.releaseIdempotent(scope: scope, key: "k", claim: "req_9")
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h2", claim: "req_3", now: t + 90_001)
                    == .inFlight)
            try await store.releaseIdempotent(scope: scope, key: "k", claim: "req_1")
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h3", claim: "req_4", now: t + 90_001)
                    == .started)
            // A claim past its lease is taken over, and then belongs to its new request.
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h3", claim: "req_5", now: t + 90_200)
                    == .started)
            try await store.releaseIdempotent(scope: scope, key: "k", claim: "req_4")
            #expect(
                try await store.claimIdempotent(
                    scope: scope, key: "k", requestHash: "h3", claim: "req_6", now: t + 90_201)
                    == .inFlight)
        }
    }

    @Test("L5: keys older than 24 hours are swept, newer ones stay", arguments: TestDatabase.available)
    func idempotencySweep(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let scope = Identifiers.make("acct")
            let t = Self.realNow
            _ = try await store.claimIdempotent(
                scope: scope, key: "old", requestHash: "h", claim: "req_1", now: t - 90_000)
            _ = try await store.claimIdempotent(scope: scope, key: "new", requestHash: "h", claim: "req_1", now: t)
            try await store.forgetOldIdempotencyKeys(now: t)
            #expect(
                try await store.claimIdempotent(scope: scope, key: "old", requestHash: "other", claim: "req_1", now: t)
                    == .started)
            #expect(
                try await store.claimIdempotent(scope: scope, key: "new", requestHash: "other", claim: "req_1", now: t)
                    == .mismatch)
        }
    }

    @Test("concurrent updates of one account lose nothing", arguments: TestDatabase.available)
    func concurrentUpdates(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await Self.platform(store)
            let account = try await Self.controlled(by: app, in: store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask {
                        _ = try await store.updateAccount(account.id, emitting: { _, _ in [] }) {
                            $0.metadata["k\(i)"] = "\(i)"
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.account(account.id)?.metadata.count == 20)
        }
    }

    @Test("users: emails are unique, case-insensitively", arguments: TestDatabase.available)
    func users(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let email = "\(UUID().uuidString)@example.com"
            try await store.insertUser(User(id: Identifiers.make("usr"), email: email, passwordHash: "x", created: 1))
            await #expect(throws: StoreError.duplicate("email")) {
                try await store.insertUser(
                    User(id: Identifiers.make("usr"), email: email.uppercased(), passwordHash: "x", created: 1))
            }
            #expect(try await store.user(email: email.uppercased())?.email == email.lowercased())
        }
    }
}

@Suite("Transactions")
struct TransactionTests {
    @Test(
        "a transaction started inside another fails at once instead of waiting for itself",
        arguments: TestDatabase.available)
    func nested(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            try await store.write { _ in
                await #expect(throws: NestedTransactionError.self) { _ = try await store.account("acct_x") }
            }
        }
    }
}

@Suite("Balances on SQLite and PostgreSQL")
struct BalanceStoreTests {
    @Test(
        "balances sum net amounts, split at available_on, per currency; pending money is announced once",
        arguments: TestDatabase.available)
    func sums(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let account = Identifiers.make("acct")
            let entries = [
                BalanceEntry(
                    account: account, type: .charge, source: "ch_1", amount: 1000,
                    fees: [.init(amount: 59, application: nil, description: "fee", type: .stripeFee)],
                    currency: "usd", created: 100, availableOn: 300, description: nil),
                BalanceEntry(
                    account: account, type: .refund, source: "re_1", amount: -400, currency: "usd", created: 150,
                    availableOn: 150, description: nil),
                BalanceEntry(
                    account: account, type: .charge, source: "ch_2", amount: 500, currency: "eur", created: 160,
                    availableOn: 160, description: nil),
            ]
            try await store.write { tx in for entry in entries { try await tx.record(entry) } }
            #expect(
                try await store.balance(of: account, now: 200) == [
                    BalanceAmount(currency: "eur", available: 500, pending: 0),
                    BalanceAmount(currency: "usd", available: -400, pending: 941),
                ])
            #expect(try await store.balance(of: account, now: 300).first { $0.currency == "usd" }?.available == 541)
            #expect(try await store.write { tx in try await tx.totalBalance(of: account) } == ["usd": 541, "eur": 500])
            let page = try await store.balanceTransactions(
                account: account, type: "charge", source: nil, page: PageRequest(limit: 10))
            #expect(page.items.map(\.source) == ["ch_2", "ch_1"])
            // balance.available: only money that arrived pending is announced, once, when it is due.
            let waiting = try await store.accountsWithFundsNewlyAvailable(now: 299, limit: 1000)
            #expect(!waiting.contains(account))
            #expect(try await store.accountsWithFundsNewlyAvailable(now: 300, limit: 1000).contains(account))
            #expect(try await store.write { tx in try await tx.announceAvailableFunds(of: account, now: 300) })
            #expect(try await !store.write { tx in try await tx.announceAvailableFunds(of: account, now: 400) })
            #expect(try await !store.accountsWithFundsNewlyAvailable(now: 400, limit: 1000).contains(account))
        }
    }
}

@Suite("Work given up on never commits")
struct GivenUpWorkTests {
    /// A transaction whose caller stopped waiting (its deadline passed, the request was answered
    /// 503 and may be retried) rolls back instead of committing whenever it gets to the end.
    @Test("a cancelled transaction commits nothing", arguments: TestDatabase.available)
    func cancelledTransaction(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let account = Identifiers.make("acct")
            let started = AsyncStream.makeStream(of: Void.self)
            let work = Task {
                try await store.backend.transaction { session in
                    try await session.raw(
                        "INSERT INTO listen_secrets (account, device_name, secret) VALUES (\(bind: account), 'd', 's')"
                    ).run()
                    started.continuation.yield()
                    // Cancellation ends the sleep early; the work goes on to its end regardless,
                    // as a statement the driver was waiting on would.
                    try? await Task.sleep(for: .seconds(30))
                }
            }
            for await _ in started.stream { break }
            work.cancel()
            await #expect(throws: CancellationError.self) { try await work.value }
            let rows = try await store.backend.transaction { session in
                try await session.raw("SELECT account FROM listen_secrets WHERE account = \(bind: account)").all()
            }
            #expect(rows.isEmpty)
        }
    }

    /// Every transaction of a request spends one budget: once it is spent, PostgreSQL is not even
    /// asked, and the request is answered 503 (retry) within its time.
    @Test("a spent request budget fails at once as unavailable", arguments: TestDatabase.available)
    func spentBudget(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let began = ContinuousClock.now
            let failure: (any Error)? = await RequestBudget.within(.milliseconds(1)) {
                try? await Task.sleep(for: .milliseconds(5))
                do {
                    _ = try await store.backend.transaction { _ in 1 }
                    return nil
                } catch {
                    return error
                }
            }
            if db == .postgres {
                guard case StoreError.unavailable = try #require(failure) else {
                    Issue.record("unexpected \(String(describing: failure))")
                    return
                }
                #expect(ContinuousClock.now - began < .seconds(1))
            } else {
                // SQLite answers from this process: no budget applies, and the transaction runs
                // (on the test's own thread, which other tests share: no time is asserted).
                #expect(failure == nil)
            }
        }
    }
}
