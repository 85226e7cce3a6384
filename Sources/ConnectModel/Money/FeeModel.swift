/// Junction's documented fee model: every succeeded card charge costs 2.9 % of its amount
/// (rounded half up) plus 30 minor units of its currency.
public enum FeeModel {
    public static let percentTenths = 29
    public static let fixed = 30

    public static func processingFee(amount: Int) -> Int {
        (amount * percentTenths + 500) / 1000 + fixed
    }
}
