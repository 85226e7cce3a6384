extension Resource {
    /// Refunds of an application fee hang from the fee; their URL is under the fee's.
    public static let feeRefund = Resource(
        kind: .feeRefund, idPrefix: "fr", noun: "fee refund", path: "/v1/application_fees/{fee}/refunds",
        parentField: "fee")

    /// The list URL of one fee's refunds.
    public static func feeRefunds(of fee: String) -> String { "/v1/application_fees/\(fee)/refunds" }
}
