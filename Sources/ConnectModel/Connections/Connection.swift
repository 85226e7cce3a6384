/// A Connect client: a platform or an extension, owned by an account (P1).
public struct ConnectApplication: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case platform, `extension` }

    public var id: String
    public var name: String
    public var kind: Kind
    public var redirectURIs: [String]
    /// The application's own account; its secret key is the application's key.
    public var account: String
    public var created: Int

    public init(id: String, name: String, kind: Kind, redirectURIs: [String], account: String, created: Int) {
        self.id = id
        self.name = name
        self.kind = kind
        self.redirectURIs = redirectURIs
        self.account = account
        self.created = created
    }
}

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
