/// What a list of one kind of object is filtered by, beyond its owner.
public struct ObjectFilter: Sendable, Equatable {
    /// `objects.customer`.
    public var customer: String?
    /// `objects.parent`.
    public var parent: String?
    /// Only these statuses (`objects.status`); `nil`: any.
    public var statuses: [String]?
    /// Leaves out these statuses (subscriptions leave out `canceled` by default).
    public var excludedStatuses: [String]
    /// Document fields (dotted paths) that must hold exactly this text, for the filters no
    /// column serves (a customer's `email`, a refund's `payment_intent`).
    public var fields: [String: String]
    public var created: CreatedFilter?

    public init(
        customer: String? = nil, parent: String? = nil, statuses: [String]? = nil, excludedStatuses: [String] = [],
        fields: [String: String] = [:], created: CreatedFilter? = nil
    ) {
        self.customer = customer
        self.parent = parent
        self.statuses = statuses
        self.excludedStatuses = excludedStatuses
        self.fields = fields
        self.created = created
    }

    /// Only objects with this status.
    public static func status(_ status: some ResourceStatus) -> ObjectFilter {
        ObjectFilter(statuses: [status.rawValue])
    }
}
