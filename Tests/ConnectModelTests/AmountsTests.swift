import Foundation
import Testing

@testable import ConnectModel

/// H1 of the security review: amount arithmetic a client can drive never traps.
@Suite("Amounts")
struct AmountsTests {
    @Test("products and sums past Int's range are clamped, not trapped")
    func clamped() {
        #expect(Amounts.product(99_999_999, 3) == 299_999_997)
        #expect(Amounts.product(99_999_999, 1_000_000) == Amounts.bound, "past any chargeable amount")
        #expect(Amounts.product(Int.max, 2) == Amounts.bound)
        #expect(Amounts.product(Int.min, 3) == -Amounts.bound)
        #expect(Amounts.sum([Int.max, Int.max, Int.max]) == Amounts.bound)
        #expect(Amounts.sum([5, -7]) == -2)
    }

    @Test("decimals round half up, and absurd ones clamp")
    func rounded() {
        #expect(Amounts.rounded(Decimal(string: "2.5")!) == 3)
        #expect(Amounts.rounded(Decimal(string: "-2.4")!) == -2)
        #expect(Amounts.rounded(Decimal(string: "1e30")!) == Amounts.bound)
        #expect(Amounts.rounded(Decimal.nan) == 0)
    }
}
