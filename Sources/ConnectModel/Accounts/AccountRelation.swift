/// Who is asking, relative to one account. Decides what may be read and changed (C8, P10).
public enum AccountRelation: Sendable, Equatable {
    /// The account itself (its own secret key).
    case owner
    /// The platform that controls it (C8).
    case controllingPlatform
    /// A platform connected by OAuth that does not control it.
    case connectedPlatform
    /// An extension connected by OAuth.
    case connectedExtension
}
