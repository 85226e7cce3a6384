import ConnectModel
import JunctionDomain
import JunctionStorage
import Logging
import Testing

@testable import JunctionApp

/// `expand[]` resolves what the caller may see; a store that fails fails the request.
@Suite("Expansion resolver")
struct ExpansionResolverTests {
    @Test("A6: an unknown id stays an id, but a store error is thrown, never taken for 'not found'")
    func storeErrorsSurface() async throws {
        let backend = try await SQLiteBackend.open(path: nil, logger: Logger(label: "test"))
        let store = SQLStore(backend: backend)
        try await store.migrate()
        let clock = AdjustableClock()
        let created = try await Registration(store: store, clock: clock).createApplication(
            name: "P", kind: .platform, redirectURIs: [])
        let dependencies = Dependencies(
            store: store, clock: clock, logger: Logger(label: "test"), publicURL: "http://127.0.0.1")
        let resolve = dependencies.resolver(
            principal: Principal(key: created.secret, account: created.account, application: created.application),
            stripeAccount: nil, actingAccount: created.account.id)
        #expect(try await resolve("cus_missing") == nil)
        #expect(try await resolve(created.application.id)?["id"]?.stringValue == created.application.id)

        try await backend.close()
        await #expect(throws: (any Error).self) { _ = try await resolve("cus_missing") }
    }
}
