/// The request that caused a change, as events report it (`request.id`, `request.idempotency_key`).
public struct RequestInfo: Sendable, Equatable, Codable {
    public var id: String?
    public var idempotencyKey: String?

    public init(id: String?, idempotencyKey: String?) {
        self.id = id
        self.idempotencyKey = idempotencyKey
    }
}

extension RequestInfo {
    /// Changes Junction's clock makes (renewals) come from no API request.
    public static let none = RequestInfo(id: nil, idempotencyKey: nil)
}
