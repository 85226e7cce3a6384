import Foundation
import Testing

@testable import ConnectModel

/// Stored documents are read with ``JSONValue/init(parsing:)`` and ``JSONValueDecoder``: they
/// must read exactly what Foundation's `JSONDecoder` read before them.
@Suite("JSON parsing of stored documents")
struct JSONValueParsingTests {
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

    static let characters = Array("aZ0 _\"\\/\n\t\u{1}é€😀{}[]:,")

    static func randomTree(_ rng: inout SeededGenerator, depth: Int) -> JSONValue {
        let leaf = depth == 0 || Int.random(in: 0..<3, using: &rng) == 0
        switch Int.random(in: 0..<(leaf ? 6 : 8), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .int(Int.random(in: Int.min...Int.max, using: &rng) >> Int.random(in: 0..<63, using: &rng))
        case 3: return .double(Double(Int.random(in: -1_000_000...1_000_000, using: &rng)) / 1000 + 0.0005)
        case 4, 5:
            let length = Int.random(in: 0...10, using: &rng)
            return .string(String((0..<length).map { _ in characters.randomElement(using: &rng)! }))
        case 6:
            return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in randomTree(&rng, depth: depth - 1) })
        default:
            var fields: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &rng) {
                fields["k\(Int.random(in: 0..<20, using: &rng))"] = randomTree(&rng, depth: depth - 1)
            }
            return .object(fields)
        }
    }

    @Test("Any tree, written by JSONEncoder or by serialized(), reads back as JSONDecoder reads it")
    func matchesFoundation() throws {
        var rng = SeededGenerator(state: 13)
        for _ in 0..<500 {
            let tree = Self.randomTree(&rng, depth: 5)
            for text in [
                String(decoding: try JSONEncoder().encode(tree), as: UTF8.self),
                String(decoding: tree.serialized(), as: UTF8.self),
            ] {
                let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
                #expect(try JSONValue(parsing: text) == foundation, "\(text)")
                #expect(try JSONValueDecoder().decode(JSONValue.self, fromText: text) == foundation)
            }
        }
    }

    @Test("Numbers take the shape JSONDecoder gave them; escapes and whitespace are read")
    func numbersAndEscapes() throws {
        let text =
            #" { "a" : [1, -0, 1.0, 2e3, 1.5, -2.25E-1, 12345678901234567890],"#
            + #" "s": "\u00e9\ud83d\ude00\n\"\/\\", "t": true, "f": false, "n": null } "#
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        let parsed = try JSONValue(parsing: text)
        #expect(parsed["a"] == foundation["a"])
        #expect(parsed["s"] == .string("é😀\n\"/\\"))
        #expect(parsed == foundation)
    }

    @Test("Text that is not JSON is refused, with where reading stopped")
    func malformed() {
        for text in [
            "", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "tru", "nul", "01x", "1.", "-", "\"abc", "\"\\x\"",
            "\"\\ud800\"", "1e400", "\"a\u{1}\"", "{} {}", "[1 2]", "{1:2}",
        ] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: text) }
        }
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test("A whole account decodes as JSONDecoder decodes it, and a wrong shape names its path")
    func account() throws {
        var request = AccountCreateRequest(type: .custom)
        request.country = "US"
        request.capabilities = ["card_payments": true, "transfers": true]
        var account = try Account.create(request, id: "acct_1", platform: "ca_p", now: 1_700_000_000)
        account.metadata = ["order": "6735", "note": "é\"\\"]
        account.businessProfile = ["name": "Shop", "mcc": .null, "support_address": ["city": "Paris"]]
        let text = String(decoding: try JSONEncoder().encode(account), as: UTF8.self)
        let foundation = try JSONDecoder().decode(Account.self, from: Data(text.utf8))
        #expect(try JSONValueDecoder().decode(Account.self, fromText: text) == foundation)
        #expect(foundation == account)

        var broken = try JSONValue(parsing: text)
        broken["created"] = "yesterday"
        #expect {
            try JSONValueDecoder().decode(Account.self, from: broken)
        } throws: { error in
            guard case DecodingError.typeMismatch(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["created"]
        }
        broken["created"] = nil
        #expect(throws: DecodingError.self) { try JSONValueDecoder().decode(Account.self, from: broken) }
    }
}
