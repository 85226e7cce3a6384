import ConnectModel
import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core storage plus our request id.
public struct JunctionContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (recorded, for example, as the terms-of-service acceptance IP).
    public var remoteAddress: SocketAddress?
    /// `req_…`, sent back as `Request-Id` and kept with idempotent responses.
    public var requestID: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.requestID = ConnectModel.Identifiers.make("req")
    }
}
