import ConnectModel
import Foundation
import SQLKit
import Testing

@testable import JunctionStorage

/// The request path's reads: one statement for the key, one for the connection check, on
/// SQLite's reader connections beside the writer, with decoded documents cached by their text.
@Suite("Store reads on the request path")
struct ReadPathTests {
    @Test(
        "A1: a platform's secret key finds its account and application in one read", arguments: TestDatabase.available)
    func keyHolder(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await StoreTests.platform(store)
            let key = APIKey(hash: Identifiers.make("h"), kind: .secret, account: app.account, created: 1)
            try await store.insertKeys([key])
            let holder = try #require(try await store.keyHolder(hash: key.hash))
            #expect(holder.key == key)
            #expect(holder.account.id == app.account)
            #expect(holder.application == app)
            #expect(holder.connection == nil)
            #expect(try await store.keyHolder(hash: "unknown") == nil)
            // A deleted account's keys stop working (its keys are revoked with it).
            #expect(try await store.deleteAccount(app.account, now: 2))
            #expect(try await store.keyHolder(hash: key.hash) == nil)
        }
    }

    @Test(
        "A2: the connection check reads the account and its live connection; a change is seen at once",
        arguments: TestDatabase.available)
    func connectionCheck(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            let app = try await StoreTests.platform(store)
            let other = try await StoreTests.platform(store)
            let account = try await StoreTests.controlled(by: app, in: store)
            let (found, connection) = try #require(try await store.account(account.id, connectionOf: app.id))
            #expect(found == account)
            #expect(connection?.application == app.id && connection?.endedAt == nil)
            let (_, none) = try #require(try await store.account(account.id, connectionOf: other.id))
            #expect(none == nil)
            #expect(try await store.account("acct_missing", connectionOf: app.id) == nil)
            // The cached decoding never hides a write: the next read shows the new document.
            _ = try await store.updateAccount(account.id, emitting: { _, _ in [] }) { $0.email = "new@example.com" }
            #expect(try await store.account(account.id, connectionOf: app.id)?.0.email == "new@example.com")
            #expect(try await store.account(account.id)?.email == "new@example.com")
        }
    }

    @Test("A read inside a transaction is refused, not left waiting", arguments: TestDatabase.available)
    func nestedRead(_ db: TestDatabase) async throws {
        try await db.withStore { store in
            await #expect(throws: NestedTransactionError.self) {
                try await store.transaction { _ in try await store.read { _ in 1 } }
            }
        }
    }

    @Test(
        "SQLite file: reads go on while a write transaction is open (a wait would never end)",
        .timeLimit(.minutes(1)))
    func readsBesideTheWriter() async throws {
        try await TestDatabase.sqliteFile.withStore { store in
            let app = try await StoreTests.platform(store)
            let (opened, open) = AsyncStream.makeStream(of: Void.self)
            let (finished, finish) = AsyncStream.makeStream(of: Void.self)
            let writer = Task {
                try await store.transaction { session in
                    try await session.raw("UPDATE applications SET document = document WHERE id = \(bind: app.id)")
                        .run()
                    open.yield()
                    // Held open until the reads below are done: they must not wait for it.
                    for await _ in finished { break }
                }
            }
            for await _ in opened { break }
            #expect(try await store.application(app.id) == app)
            #expect(try await store.application(ownedBy: app.account) == app)
            finish.yield()
            try await writer.value
        }
    }
}
