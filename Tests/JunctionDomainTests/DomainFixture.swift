import ConnectModel
import Foundation
import JunctionDomain
import JunctionStorage
import Logging
import Testing

/// A fresh in-memory SQLite store with one platform, for tests of the domain layer without HTTP.
struct DomainFixture: Sendable {
    let store: SQLStore
    let clock: AdjustableClock
    let platform: Registration.NewApplication

    /// Runs `body` on a migrated, empty in-memory database.
    static func run(_ body: @Sendable (DomainFixture) async throws -> Void) async throws {
        let backend = try await SQLiteBackend.open(path: nil, logger: Logger(label: "domain-test"))
        let store = SQLStore(backend: backend)
        try await store.migrate()
        let clock = AdjustableClock()
        let platform = try await Registration(store: store, clock: clock).createApplication(
            name: "Rocket Rides", kind: .platform, redirectURIs: ["https://rocket.example/callback"])
        do {
            try await body(DomainFixture(store: store, clock: clock, platform: platform))
        } catch {
            try await backend.close()
            throw error
        }
        try await backend.close()
    }

    var registration: Registration { Registration(store: store, clock: clock) }
    var oauth: OAuthFlow { OAuthFlow(store: store, clock: clock) }

    /// A Standard account the platform created and controls (C8), with its connection. Unless
    /// `active` is false, the platform provides what its requirements ask, so that it can take
    /// card charges (an active `card_payments`, issue 12 point 6).
    func connectedAccount(_ request: AccountCreateRequest = AccountCreateRequest(), active: Bool = true)
        async throws -> Account
    {
        let accounts = ConnectedAccounts(store: store, clock: clock)
        let account = try await accounts.create(request, by: platform.application)
        guard active else { return account }
        let details = AccountUpdateRequest(
            businessType: "individual", businessProfile: ["mcc": "5734", "url": "https://shop.example"],
            individual: [
                "first_name": "Jane", "last_name": "Doe", "email": "jane@example.com", "phone": "+15555550100",
                "dob": ["day": 1, "month": 2, "year": 1990],
                "address": ["line1": "1 Main St", "city": "Springfield", "postal_code": "12345"],
            ], tosAcceptance: ["date": 1_700_000_000, "ip": "127.0.0.1"],
            capabilities: ["card_payments": true, "transfers": true])
        let updated = try await accounts.update(
            account.id, details, as: .controllingPlatform, request: RequestInfo(id: "req_fixture", idempotencyKey: nil))
        return try #require(updated)
    }

    /// The platform acting on `account` (`Stripe-Account`), or an account acting as itself.
    func caller(on account: String, viaPlatform: Bool = true, at now: Int? = nil) -> Caller {
        Caller(
            account: account, application: viaPlatform ? platform.application : nil,
            request: RequestInfo(id: Identifiers.make("req"), idempotencyKey: nil), now: now ?? clock.now())
    }

    /// The types of the events on `account`, oldest first.
    func eventTypes(on account: String) async throws -> [String] {
        try await store.events(account: account, application: nil, filter: EventFilter(), page: PageRequest(limit: 100))
            .items
            .reversed().map(\.type.rawValue)
    }
}
