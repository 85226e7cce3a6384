import Foundation
import Testing

@testable import JunctionScan

/// What the reports say: the rewrite gives C3's values, conditions name the property of the intent.
@Suite struct ScanReportTests {
    static func findings(_ source: String, _ language: SourceLanguage, path: String = "app.py") -> [Finding] {
        AccountTypeScanner.scan(source: source, path: path, language: language)
    }

    static func applying(_ findings: [Finding], to source: String) -> String {
        var bytes = Array(source.utf8)
        for rewrite in findings.compactMap(\.rewrite).sorted(by: { $0.start > $1.start }) {
            bytes.replaceSubrange(rewrite.start..<rewrite.end, with: Array(rewrite.replacement.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test(
        "C3, C4, C7: each type's rewrite sends its row's controller values, with the notes on reported fees.payer and custom's needs",
        arguments: LegacyAccountType.allCases)
    func rewriteValues(type: LegacyAccountType) throws {
        let source = "stripe.Account.create(type=\"\(type.rawValue)\", country=\"US\")\n"
        let finding = try #require(Self.findings(source, .python).first)
        #expect(finding.kind == .creation)
        let rewritten = Self.applying([finding], to: source)
        let expected: [String: String] =
            switch type {
            case .standard:
                ["payments": "stripe", "payer": "account", "requirement_collection": "stripe", "type": "full"]
            case .express:
                [
                    "payments": "application", "payer": "application", "requirement_collection": "stripe",
                    "type": "express",
                ]
            case .custom:
                [
                    "payments": "application", "payer": "application", "requirement_collection": "application",
                    "type": "none",
                ]
            }
        for (key, value) in expected {
            #expect(rewritten.contains("\"\(key)\": \"\(value)\""), "\(key) in \(rewritten)")
        }
        #expect(!rewritten.contains("type=\""))
        // Rewritten, the call is no longer a finding.
        #expect(Self.findings(rewritten, .python).isEmpty)
        #expect(finding.notes.contains { $0.contains("C4") } == (type != .standard))
        #expect(finding.notes.contains { $0.contains("country") } == (type == .custom))
    }

    @Test("A condition names the property its code is about; an unclear one lists every candidate with values")
    func intent() throws {
        let clear = try #require(
            Self.findings(
                "def f(account):\n    if account.type == \"custom\":\n        send_onboarding_link(account)\n", .python
            ).first)
        #expect(clear.candidates.map(\.property) == [.requirementCollection])
        #expect(clear.intentKnown)
        #expect(clear.suggestion == "account.controller.requirement_collection == \"application\"")
        let unclear = try #require(
            Self.findings("def f(account):\n    if account.type == \"custom\":\n        return 1\n", .python).first)
        #expect(Set(unclear.candidates.map(\.property)) == [.requirementCollection, .dashboardType])
        #expect(!unclear.intentKnown)
        #expect(unclear.candidates.first { $0.property == .dashboardType }?.values["express"] == "express")
        let liability = try #require(
            Self.findings(
                "function f(account) {\n  if (account.type !== 'standard') { coverNegativeBalance(account) }\n}\n",
                .javascript, path: "a.js"
            ).first)
        #expect(liability.candidates.map(\.property) == [.lossesPayments])
        #expect(liability.suggestion == "account.controller?.losses?.payments !== 'stripe'")
    }

    @Test("The diff applies the rewrites with context and keeps the rest of the file")
    func diff() throws {
        let source = "import stripe\n\n\ndef make():\n    return stripe.Account.create(type=\"express\")\n\n\nx = 1"
        let findings = Self.findings(source, .python)
        let patch = ScanReport.diff(findings) { _ in Array(source.utf8) }
        #expect(patch.hasPrefix("diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -2,7 +2,7 @@\n"))
        #expect(
            patch.contains(
                "-    return stripe.Account.create(type=\"express\")\n+    return stripe.Account.create(controller="))
        #expect(patch.hasSuffix(" x = 1\n\\ No newline at end of file\n"))
    }

    @Test("A file with CRLF line ends gets a diff that keeps its carriage returns and says no missing newline")
    func diffOfCRLFFile() {
        let source = "x = 1\r\nstripe.Account.create(type=\"express\")\r\ny = 2\r\n"
        let patch = ScanReport.diff(Self.findings(source, .python)) { _ in Array(source.utf8) }
        #expect(
            patch.contains(" x = 1\r\n-stripe.Account.create(type=\"express\")\r\n+stripe.Account.create(controller="))
        #expect(patch.contains("}})\r\n y = 2\r\n"))
        #expect(!patch.contains("No newline"))
    }

    @Test("SARIF 2.1.0: one rule per kind, results with regions, warnings and notes, fixes for rewrites")
    func sarif() throws {
        let source = "stripe.Account.create(type=\"express\")\nTYPES = {\"id\": \"acct_1\", \"type\": \"custom\"}\n"
        let text = try ScanReport.sarif(Self.findings(source, .python), root: "/work")
        let log = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(log["version"] as? String == "2.1.0")
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.map { $0["level"] as? String } == ["warning", "note"])
        #expect(
            results.map { $0["ruleId"] as? String } == ["junction/account-type-creation", "junction/account-type-data"])
        #expect(results[0]["fixes"] != nil)
        let location = try #require(
            (results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])
        #expect((location["region"] as? [String: Any])?["startLine"] as? Int == 2)
    }
}
