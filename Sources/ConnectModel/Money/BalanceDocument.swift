extension EventType {
    /// Money that arrived pending has become available (and is shown in `data.object`).
    public static let balanceAvailable = EventType(rawValue: "balance.available")
}

extension BalanceAmount {
    /// The `balance` object Stripe answers `GET /v1/balance` with and sends in `balance.available`:
    /// the amounts per currency (`defaultCurrency` at zero when there are none).
    public static func document(_ amounts: [BalanceAmount], defaultCurrency: String) -> JSONValue {
        let amounts = amounts.isEmpty ? [BalanceAmount(currency: defaultCurrency, available: 0, pending: 0)] : amounts
        func funds(_ value: (BalanceAmount) -> Int) -> JSONValue {
            .array(
                amounts.map {
                    [
                        "amount": .int(value($0)), "currency": .string($0.currency),
                        "source_types": ["card": .int(value($0))],
                    ]
                })
        }
        return [
            "object": "balance", "available": funds(\.available), "pending": funds(\.pending),
            "connect_reserved": .array(amounts.map { ["amount": 0, "currency": .string($0.currency)] }),
            "livemode": false, "refund_and_dispute_prefunding": nil,
        ]
    }
}
