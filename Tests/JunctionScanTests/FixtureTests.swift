import Foundation
import Testing

@testable import JunctionScan

/// The fixture integrations: each positive file marks every finding it must produce with a
/// comment `expect: <kind> <types>` on the finding's first line; negative files produce none.
@Suite struct FixtureTests {
    static let root = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static let sourceLanguages = ["python", "ruby", "javascript", "typescript", "go", "java", "php", "csharp", "swift"]

    /// A fixture's text and what the scanner finds in it.
    static func scan(_ language: String, _ name: String) throws -> (text: String, findings: [Finding]) {
        let folder = root.appendingPathComponent(language)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let match = try #require(names.first { $0.hasPrefix(name + ".") })
        let text = try String(contentsOf: folder.appendingPathComponent(match), encoding: .utf8)
        let sourceLanguage = try #require(SourceLanguage(fileName: match))
        return (text, AccountTypeScanner.scan(source: text, path: match, language: sourceLanguage))
    }

    struct Expectation: Equatable, CustomStringConvertible {
        var line: Int
        var kind: FindingKind
        var types: [LegacyAccountType]
        var description: String { "\(line): \(kind.rawValue) \(types.map(\.rawValue).joined(separator: ","))" }
    }

    static func expectations(_ text: String) -> [Expectation] {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { offset, line in
            guard let range = line.range(of: "expect: ") else { return nil }
            let words = line[range.upperBound...].split(separator: " ")
            guard words.count >= 2, let kind = FindingKind(rawValue: String(words[0])) else { return nil }
            let types = words[1].split(separator: ",").compactMap { LegacyAccountType(rawValue: String($0)) }
            return Expectation(line: offset + 1, kind: kind, types: types.sorted())
        }
    }

    @Test(
        "Every account-type use in each language's positive fixture is found, and nothing else (C3)",
        arguments: sourceLanguages)
    func positive(language: String) throws {
        let (text, findings) = try Self.scan(language, "positive")
        let found = findings.map { Expectation(line: $0.line, kind: $0.kind, types: $0.types) }
        #expect(found == Self.expectations(text))
    }

    @Test(
        "Nothing is reported on each language's negative fixture: other objects' types, shipping speeds, comments",
        arguments: sourceLanguages)
    func negative(language: String) throws {
        let findings = try Self.scan(language, "negative").findings
        #expect(findings.map { "\($0.line): \($0.snippet)" } == [])
    }

    @Test(
        "Fixtures, seeds and schemas: account types found as data, shipping types not",
        arguments: [("accounts.json", [3, 4]), ("seed.yaml", [3]), ("schema.sql", [3])])
    func data(name: String, lines: [Int]) throws {
        let url = Self.root.appendingPathComponent("data").appendingPathComponent(name)
        let text = try String(contentsOf: url, encoding: .utf8)
        let findings = AccountTypeScanner.scan(
            source: text, path: name, language: try #require(SourceLanguage(fileName: name)))
        #expect(findings.map(\.line) == lines)
        #expect(findings.allSatisfy { $0.kind == .data })
    }
}
