import ConnectModel

/// Connect applications, people's logins, and the keys that authenticate API calls.
public protocol DirectoryStore: Sendable {
    /// Inserts an application with its own account and that account's keys, in one transaction.
    func insertApplication(_ application: ConnectApplication, account: Account, keys: [APIKey]) async throws
    func application(_ id: String) async throws -> ConnectApplication?
    /// Saves an application's changed settings (its default API version).
    func updateApplication(_ application: ConnectApplication) async throws
    /// The application an account runs, if it is a platform's or an extension's own account.
    func application(ownedBy account: String) async throws -> ConnectApplication?
    /// Throws ``StoreError/duplicate(_:)`` when the email is taken (case-insensitively).
    func insertUser(_ user: User) async throws
    func user(_ id: String) async throws -> User?
    func user(email: String) async throws -> User?
    /// Stores keys, all in one transaction.
    func insertKeys(_ keys: [APIKey]) async throws
    /// The unrevoked key with this hash, its (undeleted) account and that account's application;
    /// for an OAuth token, only while its connection is active (P13).
    func keyHolder(hash: String) async throws -> KeyHolder?
}
