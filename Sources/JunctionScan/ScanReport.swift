import Foundation

/// The findings of a scan as people and tools read them: text, JSON, SARIF 2.1.0, and the
/// unified diff of the rewrites.
public enum ScanReport {
    // MARK: - Text

    public static func text(_ findings: [Finding], filesScanned: Int) -> String {
        var out = ""
        for finding in findings {
            out += "\(finding.path):\(finding.line):\(finding.column): \(finding.kind.rawValue): \(finding.message)\n"
            for line in finding.snippet.split(separator: "\n", omittingEmptySubsequences: false) {
                out += "    | \(line)\n"
            }
            if finding.kind == .condition {
                for candidate in finding.candidates {
                    out += "  → \(candidate.property.rawValue) (\(candidate.property.intent)):\n"
                    out += "      \(candidate.expression)\n"
                    let values = LegacyAccountType.allCases.map {
                        "\($0.rawValue) → \(candidate.values[$0.rawValue] ?? "")"
                    }
                    out += "      (\(values.joined(separator: ", ")))\n"
                }
            } else if let suggestion = finding.suggestion {
                out += finding.kind == .creation ? "  → instead:\n" : "  → controller properties:\n"
                for line in suggestion.split(separator: "\n") { out += "      \(line)\n" }
            }
            for note in finding.notes { out += "  note: \(note)\n" }
            out += "\n"
        }
        out += summary(findings, filesScanned: filesScanned) + "\n"
        return out
    }

    public static func summary(_ findings: [Finding], filesScanned: Int) -> String {
        let counts = FindingKind.allCases.map { kind in "\(findings.filter { $0.kind == kind }.count) \(kind.rawValue)"
        }
        let files = Set(findings.map(\.path)).count
        return
            "\(findings.count) finding\(findings.count == 1 ? "" : "s") (\(counts.joined(separator: ", "))) in \(files) of \(filesScanned) file\(filesScanned == 1 ? "" : "s") scanned."
    }

    // MARK: - JSON

    public static func json(_ findings: [Finding], filesScanned: Int) throws -> String {
        struct Document: Encodable {
            var findings: [Finding]
            var filesScanned: Int
            var summary: String
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(
            Document(
                findings: findings, filesScanned: filesScanned, summary: summary(findings, filesScanned: filesScanned)))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    // MARK: - SARIF

    /// SARIF 2.1.0: creation and conditions as warnings, data as notes; rewrites as fixes.
    public static func sarif(_ findings: [Finding], root: String) throws -> String {
        let rules: [[String: Any]] = FindingKind.allCases.map { kind in
            [
                "id": kind.ruleID,
                "name": ruleName(kind),
                "shortDescription": ["text": ruleDescription(kind)],
                "fullDescription": ["text": ruleHelp(kind)],
                "defaultConfiguration": ["level": level(kind)],
                "help": ["text": ruleHelp(kind)],
                "helpUri": "https://docs.stripe.com/connect/migrate-to-controller-properties",
            ]
        }
        let results: [[String: Any]] = findings.map { finding in
            var text = finding.message
            if let suggestion = finding.suggestion { text += "\nInstead: \(suggestion)" }
            for candidate in finding.candidates where finding.suggestion == nil {
                text += "\nCandidate \(candidate.property.rawValue): \(candidate.expression)"
            }
            for note in finding.notes { text += "\nNote: \(note)" }
            let region: [String: Any] = [
                "startLine": finding.line, "startColumn": finding.column, "endLine": finding.endLine,
                "endColumn": finding.endColumn, "snippet": ["text": finding.snippet],
            ]
            let artifact: [String: Any] = ["uri": uri(finding.path), "uriBaseId": "%SRCROOT%"]
            var result: [String: Any] = [
                "ruleId": finding.kind.ruleID,
                "ruleIndex": FindingKind.allCases.firstIndex(of: finding.kind)!,
                "level": level(finding.kind),
                "message": ["text": text],
                "locations": [["physicalLocation": ["artifactLocation": artifact, "region": region]]],
                "properties": [
                    "types": finding.types.map(\.rawValue),
                    "candidates": finding.candidates.map { $0.property.rawValue },
                ],
            ]
            if let rewrite = finding.rewrite {
                result["fixes"] = [
                    [
                        "description": ["text": "Create the account with controller properties."],
                        "artifactChanges": [
                            [
                                "artifactLocation": artifact,
                                "replacements": [
                                    [
                                        "deletedRegion": [
                                            "charOffset": rewrite.start, "charLength": rewrite.end - rewrite.start,
                                        ],
                                        "insertedContent": ["text": rewrite.replacement],
                                    ]
                                ],
                            ]
                        ],
                    ]
                ]
            }
            return result
        }
        let root = root.hasSuffix("/") ? root : root + "/"
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": [
                            "name": "junction scan",
                            "informationUri": "https://github.com/junction",
                            "rules": rules,
                        ]
                    ],
                    "originalUriBaseIds": ["%SRCROOT%": ["uri": "file://" + uri(root)]],
                    "columnKind": "unicodeCodePoints",
                    "results": results,
                ]
            ],
        ]
        let data = try JSONSerialization.data(
            withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func uri(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    private static func level(_ kind: FindingKind) -> String { kind == .data ? "note" : "warning" }

    private static func ruleName(_ kind: FindingKind) -> String {
        switch kind {
        case .creation: "AccountCreatedWithType"
        case .condition: "ConditionOnAccountType"
        case .data: "AccountTypeAsData"
        }
    }

    private static func ruleDescription(_ kind: FindingKind) -> String {
        switch kind {
        case .creation: "Account created with type instead of controller properties."
        case .condition: "Condition on an account's type."
        case .data: "Account type kept as data."
        }
    }

    private static func ruleHelp(_ kind: FindingKind) -> String {
        switch kind {
        case .creation:
            "Create connected accounts with controller properties (losses.payments, fees.payer, requirement_collection, stripe_dashboard.type) instead of type: standard, express and custom map to fixed controller values."
        case .condition:
            "Accounts created with controller properties report type none (or standard): test the controller property that carries the intent instead — loss liability, who pays fees, who collects requirements, which dashboard."
        case .data:
            "Account types stored in fixtures, enums or columns: accounts created with controller properties never carry express or custom."
        }
    }

    // MARK: - Diff

    /// A unified diff of every rewrite, file by file, that `git apply` takes; `contents` gives a
    /// file's bytes (the scan read them).
    public static func diff(_ findings: [Finding], contents: (String) -> [UInt8]?) -> String {
        let byPath = Dictionary(grouping: findings.filter { $0.rewrite != nil }, by: \.path)
        var out = ""
        for path in byPath.keys.sorted() {
            guard let bytes = contents(path) else { continue }
            let rewrites = byPath[path]!.compactMap(\.rewrite).sorted { $0.start < $1.start }
            out += fileDiff(path: path, bytes: bytes, rewrites: rewrites)
        }
        return out
    }

    static func fileDiff(path: String, bytes: [UInt8], rewrites: [Rewrite]) -> String {
        // Lines with their line breaks, as byte ranges.
        var lines: [Range<Int>] = []
        var start = 0
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            lines.append(start..<(offset + 1))
            start = offset + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        func lineIndex(_ offset: Int) -> Int {
            lines.firstIndex { $0.contains(offset) } ?? max(0, lines.count - 1)
        }
        // Rewrites whose lines (with context) touch share a hunk.
        var groups: [[Rewrite]] = []
        var previous: Rewrite?
        for rewrite in rewrites {
            if let last = previous, rewrite.start < last.end { continue }  // overlapping: keep the first
            if let last = previous, lineIndex(rewrite.start) - lineIndex(max(last.start, last.end - 1)) <= 6 {
                groups[groups.count - 1].append(rewrite)
            } else {
                groups.append([rewrite])
            }
            previous = rewrite
        }
        guard !groups.isEmpty else { return "" }
        var out = "diff --git a/\(path) b/\(path)\n--- a/\(path)\n+++ b/\(path)\n"
        var shift = 0
        for group in groups {
            let firstChanged = lineIndex(group.first!.start)
            let lastChanged = lineIndex(max(group.last!.start, group.last!.end - 1))
            let before = max(0, firstChanged - 3)
            let after = min(lines.count - 1, lastChanged + 3)
            // The changed lines rewritten, in bytes: a "\r\n" is one Character to Swift's String.
            var changed: [UInt8] = []
            var cursor = lines[firstChanged].lowerBound
            for rewrite in group {
                changed += bytes[cursor..<rewrite.start]
                changed += Array(rewrite.replacement.utf8)
                cursor = rewrite.end
            }
            changed += bytes[cursor..<lines[lastChanged].upperBound]
            let newline = UInt8(ascii: "\n")
            var newLines = changed.split(separator: newline, omittingEmptySubsequences: false).map(Array.init)
            let changedEndsWithNewline = changed.last == newline
            if changedEndsWithNewline { newLines.removeLast() }
            var body = ""
            func emit(_ prefix: String, _ line: some BidirectionalCollection<UInt8>) {
                let ends = line.last == newline
                body += prefix + String(decoding: ends ? Array(line.dropLast()) : Array(line), as: UTF8.self) + "\n"
                if !ends { body += "\\ No newline at end of file\n" }
            }
            for index in before..<firstChanged { emit(" ", bytes[lines[index]]) }
            for index in firstChanged...lastChanged { emit("-", bytes[lines[index]]) }
            for (offset, line) in newLines.enumerated() {
                emit("+", offset < newLines.count - 1 || changedEndsWithNewline ? line + [newline] : line)
            }
            if lastChanged + 1 <= after {
                for index in (lastChanged + 1)...after { emit(" ", bytes[lines[index]]) }
            }
            let oldCount = after - before + 1
            let newCount = oldCount - (lastChanged - firstChanged + 1) + newLines.count
            out += "@@ -\(before + 1),\(oldCount) +\(before + 1 + shift),\(newCount) @@\n" + body
            shift += newCount - oldCount
        }
        return out
    }
}
