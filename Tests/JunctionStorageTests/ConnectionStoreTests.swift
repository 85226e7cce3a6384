import ConnectModel
import Foundation
import Testing

@testable import JunctionStorage

@Suite("Connections and OAuth in the store, on SQLite and PostgreSQL")
struct ConnectionStoreTests {
    static func directAccount(_ store: SQLStore, user: String? = nil) async throws -> Account {
        var account = Account(
            id: Identifiers.make("acct"), created: 1, type: .standard, controller: .standard,
            controllingApplication: nil, ownerUser: user, country: "US", defaultCurrency: "usd")
        account.onboardingComplete = true
        try await store.insertAccount(account, keys: [])
        return account
    }

    static func application(_ store: SQLStore, kind: ConnectApplication.Kind) async throws -> ConnectApplication {
        let owner = Account(
            id: Identifiers.make("acct"), created: 1, type: .standard, controller: .standard,
            controllingApplication: nil, country: "US", defaultCurrency: "usd")
        let app = ConnectApplication(
            id: Identifiers.make("ca"), name: "A", kind: kind, redirectURIs: [], account: owner.id, created: 1)
        try await store.insertApplication(app, account: owner, keys: [])
        return app
    }

    /// The connect decision the server makes: P4 through the domain rule.
    static func connect(_ store: SQLStore, _ app: ConnectApplication, _ account: String, legacy: Bool = false)
        async throws -> Connection
    {
        try await store.connect(
            application: app, account: account, legacy: legacy, now: 10,
            decide: { _, active in
                guard legacy || ConnectionRules.mayConnect(app, activeConnections: active) else {
                    throw JunctionError.accountUnavailable(account)
                }
                return app.kind == .platform ? .readWrite : .readOnly
            }, makeCode: { _ in nil },
            eventIfNew: Event(
                .applicationAuthorized, account: account, application: app.id, created: 10,
                object: ["id": .string(app.id)], request: RequestInfo(id: "req_test", idempotencyKey: nil)))
    }

    @Test("P4: of many platforms racing for one account exactly one connects", arguments: TestDatabase.available)
    func race(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let account = try await Self.directAccount(store)
            var platforms: [ConnectApplication] = []
            for _ in 0..<12 { platforms.append(try await Self.application(store, kind: .platform)) }
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for platform in platforms {
                    group.addTask {
                        do {
                            _ = try await Self.connect(store, platform, account.id)
                            return true
                        } catch let error as JunctionError where error.isOAuth {
                            return false
                        } catch StoreError.platformConnectionExists {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            let active = try await store.connections(ofAccount: account.id)
            #expect(active.filter { $0.0.isPlatform }.count == 1)
            // The outbox: one event, for the one connection that was made; none for the refusals.
            let events = try await store.events(
                account: account.id, application: nil, filter: EventFilter(types: ["account.application.authorized"]),
                page: PageRequest(limit: 100))
            #expect(events.items.map(\.application) == [active.first?.1.id])
        }
    }

    @Test(
        "P5, P6, P7: extensions and legacy connections; re-authorizing keeps the connection",
        arguments: TestDatabase.available)
    func extensionsLegacyReauthorize(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let account = try await Self.directAccount(store)
            let a = try await Self.application(store, kind: .platform)
            let b = try await Self.application(store, kind: .platform)
            let c = try await Self.application(store, kind: .platform)
            let e = try await Self.application(store, kind: .extension)
            _ = try await Self.connect(store, a, account.id, legacy: true)
            _ = try await Self.connect(store, b, account.id, legacy: true)
            _ = try await Self.connect(store, e, account.id)
            // P6: with legacy platform connections, a new platform obeys P4.
            await #expect(throws: JunctionError.self) { try await Self.connect(store, c, account.id) }
            #expect(try await store.connections(ofAccount: account.id).count == 3)
            // Once both legacy connections are dropped, a new platform may connect.
            for legacy in [a, b] {
                #expect(
                    try await store.endConnection(application: legacy.id, account: account.id, now: 20, event: nil) {
                        _, _ in []
                    }
                        != nil)
            }
            let first = try await Self.connect(store, c, account.id)
            let again = try await Self.connect(store, c, account.id)
            #expect(first.id == again.id)  // P7
        }
    }

    @Test("P15: a code is single-use; its reuse revokes the tokens it issued", arguments: TestDatabase.available)
    func codes(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let account = try await Self.directAccount(store)
            let app = try await Self.application(store, kind: .platform)
            let codeHash = Identifiers.make("h")
            _ = try await store.connect(
                application: app, account: account.id, legacy: false, now: 100, decide: { _, _ in .readWrite },
                makeCode: { connection in
                    OAuthCode(
                        hash: codeHash, application: app.id, account: account.id, connection: connection.id,
                        scope: .readWrite, redirectURI: nil, created: 100, expiresAt: 400)
                }, eventIfNew: nil)
            let tokenHash = Identifiers.make("t")
            let tokens: @Sendable (OAuthCode) -> [APIKey] = { code in
                [
                    APIKey(
                        hash: tokenHash, kind: .oauthAccess, account: code.account, created: 101,
                        connection: code.connection, scope: code.scope, codeHash: code.hash)
                ]
            }
            #expect(
                try await store.redeemCode(hash: codeHash, application: "ca_other", now: 101, tokens: tokens)
                    == .wrongApplication)
            guard
                case .issued = try await store.redeemCode(hash: codeHash, application: app.id, now: 101, tokens: tokens)
            else {
                Issue.record("not issued")
                return
            }
            #expect(try await store.keyHolder(hash: tokenHash)?.connection != nil)
            #expect(
                try await store.redeemCode(hash: codeHash, application: app.id, now: 102, tokens: tokens) == .reused)
            #expect(try await store.keyHolder(hash: tokenHash) == nil)
            #expect(
                try await store.redeemCode(hash: "nothing", application: app.id, now: 102, tokens: tokens) == .unknown)
        }
    }

    @Test("P13: ending a connection revokes its tokens and may release the account", arguments: TestDatabase.available)
    func ending(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await Self.application(store, kind: .platform)
            let account = try Account.create(
                AccountCreateRequest(), id: Identifiers.make("acct"), platform: app.id, now: 1)
            let connection = Connection(
                id: Identifiers.make("conn"), application: app.id, account: account.id, scope: .readWrite,
                isPlatform: true, created: 1)
            try await store.insertAccount(account, connection: connection, code: nil, events: [])
            let tokenHash = Identifiers.make("t")
            try await store.insertKeys([
                APIKey(
                    hash: tokenHash, kind: .oauthAccess, account: account.id, created: 2, connection: connection.id,
                    scope: .readWrite)
            ])
            let deauthorized = Event(
                .applicationDeauthorized, account: account.id, application: app.id, created: 3,
                object: ["id": .string(app.id)], request: RequestInfo(id: nil, idempotencyKey: nil))
            let ended = try await store.endConnection(
                application: app.id, account: account.id, now: 3, event: deauthorized
            ) {
                account, _ in
                account.releaseFromPlatform(app.id)
                return []
            }
            #expect(try await store.event(deauthorized.id) == deauthorized)
            #expect(ended?.endedAt == 3)
            #expect(try await store.keyHolder(hash: tokenHash) == nil)
            #expect(try await store.account(account.id)?.isPlatformControlled == false)
            #expect(
                try await store.endConnection(application: app.id, account: account.id, now: 4, event: deauthorized) {
                    _, _ in []
                }
                    == nil)
        }
    }
}
