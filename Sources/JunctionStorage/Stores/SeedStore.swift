/// What a `--seed` file created, by its natural key, so seeding twice creates nothing new.
public protocol SeedStore: Sendable {
    /// The id of what a seed file created under `kind` and `key`, if it did.
    func seededObject(kind: String, key: String) async throws -> String?
    func recordSeededObject(kind: String, key: String, id: String) async throws
}
