/// Which events `GET /v1/events` lists.
public struct EventFilter: Sendable, Equatable {
    /// Event types, each exact (`customer.created`) or with `*` as a wildcard (`customer.*`
    /// matches `customer.created` and `customer.subscription.updated`); empty: every type.
    public var types: [String]
    /// `delivery_success`: `true` lists events every webhook delivery of which succeeded;
    /// `false` those with a delivery still pending or given up.
    public var deliverySuccess: Bool?

    public init(types: [String] = [], deliverySuccess: Bool? = nil) {
        self.types = types
        self.deliverySuccess = deliverySuccess
    }

    /// The exact types asked for.
    public var exactTypes: [String] { types.filter { !$0.contains("*") } }

    /// The wildcard types as SQL `LIKE` patterns with `\` as the escape: `*` is any text, and
    /// `_` and `%` (`payment_intent.*`) stand for themselves.
    public var likePatterns: [String] {
        types.filter { $0.contains("*") }.map { type in
            type.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_").replacingOccurrences(of: "*", with: "%")
        }
    }

}
