import ConnectModel
import Hummingbird
import HummingbirdAuth
import NIOCore

/// The request context of every route: Hummingbird's core storage, our request id, and on
/// pages the signed-in person (``WebSessionAuthenticator``).
public struct JunctionContext: RequestContext, RemoteAddressRequestContext, AuthRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (recorded, for example, as the terms-of-service acceptance IP).
    public var remoteAddress: SocketAddress?
    /// `req_…`, sent back as `Request-Id` and kept with idempotent responses.
    public var requestID: String
    /// The signed-in person of a page request, if any.
    public var identity: SignedIn?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.requestID = ConnectModel.Identifiers.make("req")
    }
}
