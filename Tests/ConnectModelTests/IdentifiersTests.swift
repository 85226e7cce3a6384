import ConnectModel
import Testing

/// Ids and secrets are drawn in bulk from the kernel; what matters is that they stay base-62,
/// of their length, unpredictable and unbiased.
@Suite struct IdentifiersTests {
    static let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    @Test func idsHaveTheirPrefixAndTwentyFourBase62Characters() {
        for _ in 0..<200 {
            let id = Identifiers.make("cus")
            #expect(id.hasPrefix("cus_"))
            let tail = id.dropFirst(4)
            #expect(tail.count == 24)
            #expect(tail.allSatisfy(Self.alphabet.contains))
        }
        #expect(Identifiers.secret("sk_test_").count == "sk_test_".count + 40)
    }

    @Test func everyLengthIsFilled() {
        for length in [0, 1, 6, 8, 31, 32, 100, 1_000] {
            let value = Identifiers.random(length: length)
            #expect(value.utf8.count == length)
            #expect(value.allSatisfy(Self.alphabet.contains))
        }
    }

    @Test func noneRepeats() {
        let ids = (0..<20_000).map { _ in Identifiers.make("evt") }
        #expect(Set(ids).count == ids.count)
    }

    /// 62 characters over 620,000 draws: each about 10,000 times. A biased mapping (`byte % 62`
    /// without dropping 248…255 gives the first 8 characters 5/256 of the draws, about 12,100
    /// each) or a stuck generator falls outside ±600 (6 standard deviations of a fair draw, ≈99).
    @Test func charactersAreEquallyLikely() {
        var counts: [Character: Int] = [:]
        for _ in 0..<10_000 {
            for character in Identifiers.random(length: 62) { counts[character, default: 0] += 1 }
        }
        #expect(counts.count == 62)
        for (character, count) in counts {
            #expect(abs(count - 10_000) < 600, "\(character) drawn \(count) times")
        }
    }
}
