/// An account's balance in one currency.
public struct BalanceAmount: Sendable, Equatable {
    public var currency: String
    public var available: Int
    public var pending: Int

    public init(currency: String, available: Int, pending: Int) {
        self.currency = currency
        self.available = available
        self.pending = pending
    }
}
