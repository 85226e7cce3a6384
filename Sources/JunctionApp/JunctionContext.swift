import ConnectModel
import Hummingbird

/// The request context of every route: Hummingbird's core storage plus our request id.
public struct JunctionContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `req_…`, sent back as `Request-Id` and kept with idempotent responses.
    public var requestID: String

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ConnectModel.Identifiers.make("req")
    }
}
