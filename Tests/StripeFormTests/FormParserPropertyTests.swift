import Testing

@testable import StripeForm

/// Property-based tests with a seeded generator, so a failure is reproducible from its seed.
@Suite("Form parser properties")
struct FormParserPropertyTests {
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            // SplitMix64.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("abcXYZ019 _-.~!*'()&=+[]%/?#é€😀")

    static func randomString(_ rng: inout SeededGenerator, maxLength: Int) -> String {
        String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func randomKey(_ rng: inout SeededGenerator) -> String {
        let letters = Array("abcdefghij_")
        return String((0..<Int.random(in: 1...6, using: &rng)).map { _ in letters.randomElement(using: &rng)! })
    }

    /// A random tree of hashes and indexed arrays with string leaves.
    static func randomTree(_ rng: inout SeededGenerator, depth: Int) -> FormNode {
        if depth == 0 || Int.random(in: 0..<3, using: &rng) == 0 {
            return .scalar(randomString(&rng, maxLength: 12))
        }
        var container = FormContainer()
        let isArray = Bool.random(using: &rng)
        for i in 0..<Int.random(in: 1...4, using: &rng) {
            container[isArray ? String(i) : randomKey(&rng)] = randomTree(&rng, depth: depth - 1)
        }
        return .container(container)
    }

    /// Encodes like the official SDK: literal brackets, percent-encoded names and values.
    static func encode(_ node: FormNode, name: String, into pairs: inout [String]) {
        switch node {
        case .scalar(let value): pairs.append("\(percent(name))=\(percent(value))")
        case .container(let container):
            for (key, child) in container.entries { encode(child, name: "\(name)[\(key)]", into: &pairs) }
        }
    }

    static func percent(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "~"), UInt8(ascii: "["), UInt8(ascii: "]"):
                out.append(Character(UnicodeScalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }

    @Test("encode then parse gives back the same tree", arguments: 0..<300)
    func roundTrip(seed: UInt64) throws {
        var rng = SeededGenerator(state: seed)
        var root = FormContainer()
        for _ in 0..<Int.random(in: 1...5, using: &rng) {
            root[Self.randomKey(&rng)] = Self.randomTree(&rng, depth: 4)
        }
        var pairs: [String] = []
        for (key, node) in root.entries { Self.encode(node, name: key, into: &pairs) }
        // Empty containers are not sent at all, as the SDK does not send empty dicts.
        let parsed = try FormParser().parse(pairs.joined(separator: "&"))
        var reencoded: [String] = []
        for (key, node) in parsed.entries { Self.encode(node, name: key, into: &reencoded) }
        #expect(reencoded == pairs, "seed \(seed)")
    }

    @Test("random bytes either parse or throw FormError; nothing else happens", arguments: 0..<300)
    func garbage(seed: UInt64) {
        var rng = SeededGenerator(state: seed)
        let bytes = (0..<Int.random(in: 0...400, using: &rng)).map { _ in
            Bool.random(using: &rng)
                ? Array("a[]=&%0b1".utf8).randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
        do {
            _ = try FormParser().parse(bytes)
        } catch {
            #expect(!error.message.isEmpty)
        }
    }
}
