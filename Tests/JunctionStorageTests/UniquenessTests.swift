import ConnectModel
import Testing

@testable import JunctionStorage

/// What the store keeps unique, and what it writes all or nothing.
@Suite("Store: uniqueness and atomic writes")
struct UniquenessTests {
    @Test("keys written together land together or not at all (an OAuth refresh)", arguments: TestDatabase.available)
    func keysTogether(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await StoreTests.platform(store)
            let taken = APIKey(hash: Identifiers.hash("sk_taken"), kind: .secret, account: app.account, created: 1)
            try await store.insertKeys([taken])
            let access = APIKey(
                hash: Identifiers.hash("sk_new_access"), kind: .oauthAccess, account: app.account, created: 2)
            await #expect(throws: (any Error).self) { try await store.insertKeys([access, taken]) }
            #expect(try await store.keyHolder(hash: access.hash) == nil, "the first key was rolled back")
            try await store.insertKeys([access])
            #expect(try await store.keyHolder(hash: access.hash) != nil)
        }
    }

    @Test("A6: object ids are unique per account, not across accounts", arguments: TestDatabase.available)
    func objectIDsPerAccount(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            @Sendable func product(_ account: String) -> StoredObject {
                StoredObject(
                    id: "gold", account: account, kind: .product, created: 1,
                    document: ["id": "gold", "object": "product", "active": true])
            }
            try await store.write { tx in try await tx.insert(product("acct_a")) }
            try await store.write { tx in try await tx.insert(product("acct_b")) }
            await #expect(throws: StoreError.duplicate("id")) {
                try await store.write { tx in try await tx.insert(product("acct_a")) }
            }
            #expect(try await store.object("gold", account: "acct_a") != nil)
            #expect(try await store.object("gold", account: "acct_b") != nil)
        }
    }
}
