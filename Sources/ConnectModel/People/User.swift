/// A person's login.
public struct User: Sendable, Codable, Equatable {
    public var id: String
    public var email: String
    /// bcrypt.
    public var passwordHash: String
    public var created: Int

    public init(id: String, email: String, passwordHash: String, created: Int) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.created = created
    }
}
