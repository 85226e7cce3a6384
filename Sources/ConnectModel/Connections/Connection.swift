/// A link between an application and an account (P-rules). A platform's link to an account it
/// created is a connection too: a controlled account is always connected to its controller (A2).
public struct Connection: Sendable, Codable, Equatable {
    public enum Scope: String, Sendable, Codable {
        case readOnly = "read_only"
        case readWrite = "read_write"
    }

    public var id: String
    public var application: String
    public var account: String
    public var scope: Scope
    public var isPlatform: Bool
    /// Made before the single-platform policy (P6): not counted by the policy's constraint.
    public var legacy: Bool
    public var created: Int
    public var endedAt: Int?

    public init(
        id: String, application: String, account: String, scope: Scope, isPlatform: Bool, legacy: Bool = false,
        created: Int, endedAt: Int? = nil
    ) {
        self.id = id
        self.application = application
        self.account = account
        self.scope = scope
        self.isPlatform = isPlatform
        self.legacy = legacy
        self.created = created
        self.endedAt = endedAt
    }
}
