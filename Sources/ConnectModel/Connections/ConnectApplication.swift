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
    /// The API version of the application's account (`Stripe-Version` when a request sends
    /// none, and of its webhooks); `nil`: the newest.
    public var apiVersion: String?

    public init(
        id: String, name: String, kind: Kind, redirectURIs: [String], account: String, created: Int,
        apiVersion: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.id = id
        self.name = name
        self.kind = kind
        self.redirectURIs = redirectURIs
        self.account = account
        self.created = created
    }
}

extension ConnectApplication {
    /// The application object as other parties see it (`account.application.*` events, expansions).
    public var publicJSON: JSONValue {
        ["id": .string(id), "object": "application", "name": .string(name)]
    }
}
