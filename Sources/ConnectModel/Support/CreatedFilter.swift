/// Stripe's `created` list filter: an exact time or a range (`gt`, `gte`, `lt`, `lte`).
public struct CreatedFilter: Sendable, Equatable {
    public var gt: Int?
    public var gte: Int?
    public var lt: Int?
    public var lte: Int?

    public init(gt: Int? = nil, gte: Int? = nil, lt: Int? = nil, lte: Int? = nil) {
        self.gt = gt
        self.gte = gte
        self.lt = lt
        self.lte = lte
    }

    public static func exactly(_ time: Int) -> CreatedFilter { CreatedFilter(gte: time, lte: time) }
}
