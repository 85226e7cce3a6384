/// Finds the account-type logic in one source file: creation with `type`, conditions on an
/// account's type, and types kept as data, in that order, each token reported at most once.
struct SourceScanner {
    let path: String
    let language: SourceLanguage
    let bytes: [UInt8]
    let tokens: [Token]
    /// For each bracket, the index of its partner; -1 elsewhere and for unmatched brackets.
    let partner: [Int]
    /// For each token, the innermost opening bracket around it; -1 at the top level.
    let parent: [Int]
    /// Byte offset where each line starts (line n at index n - 1).
    let lineStarts: [Int]
    /// Tokens already part of a finding.
    var consumed: [Bool]
    /// Names the file assigns an account to (`acct = stripe.Account.retrieve(…)`).
    var accountVariables: Set<String> = []
    var findings: [Finding] = []

    init(path: String, language: SourceLanguage, bytes: [UInt8]) {
        self.path = path
        self.language = language
        self.bytes = bytes
        let tokens = Tokenizer(language: language, bytes: bytes).tokens()
        self.tokens = tokens
        var partner = Array(repeating: -1, count: tokens.count)
        var parent = Array(repeating: -1, count: tokens.count)
        var stack: [Int] = []
        for index in tokens.indices {
            let token = tokens[index]
            parent[index] = stack.last ?? -1
            if token.isOpening {
                stack.append(index)
            } else if token.isClosing,
                let at = stack.lastIndex(where: { Self.pairs(tokens[$0].text, token.text) })
            {
                partner[stack[at]] = index
                partner[index] = stack[at]
                parent[index] = parent[stack[at]]
                stack.removeSubrange(at...)
            }
        }
        self.partner = partner
        self.parent = parent
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        self.lineStarts = lineStarts
        consumed = Array(repeating: false, count: tokens.count)
    }

    private static func pairs(_ opening: String, _ closing: String) -> Bool {
        switch opening {
        case "(": closing == ")"
        case "[": closing == "]"
        default: closing == "}"
        }
    }

    /// Every finding of the file, in the order of the source.
    mutating func scan() -> [Finding] {
        if !language.isData {
            collectAccountVariables()
            findCreations()
            findConditions()
        }
        findData()
        return findings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    // MARK: - Tokens

    func isPunctuation(_ index: Int, _ symbol: String) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].isPunctuation(symbol)
    }

    func isIdentifier(_ index: Int, _ name: String? = nil) -> Bool {
        guard index >= 0 && index < tokens.count, tokens[index].kind == .identifier else { return false }
        return name == nil || tokens[index].text == name
    }

    func isString(_ index: Int, _ value: String) -> Bool {
        index >= 0 && index < tokens.count && tokens[index].kind == .string && tokens[index].text == value
    }

    /// A member access: `.`, `?.`, `->`, `?->`, `::`.
    func isSeparator(_ index: Int) -> Bool {
        guard index >= 0 && index < tokens.count, tokens[index].kind == .punctuation else { return false }
        switch tokens[index].text {
        case ".", "?.", "->", "?->", "::": return true
        default: return false
        }
    }

    /// The source text of tokens `first...last`, as written.
    func source(_ first: Int, _ last: Int) -> String {
        String(decoding: bytes[tokens[first].start..<tokens[last].end], as: UTF8.self)
    }

    /// Lowercase letters and digits only: `stripe_account_type`, `StripeAccountType` → `stripeaccounttype`.
    static func normalized(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") })
    }

    /// Whether a name stands for a Stripe account (`account`, `connected_account`, `acct`), not
    /// one of its parts (`bank_account` holds a bank account's own `account_type`).
    static func namesAccount(_ name: String) -> Bool {
        let normal = normalized(name)
        guard normal.contains("account") || normal.contains("acct") else { return false }
        for other in [
            "bankaccount", "externalaccount", "accountlink", "accountsession", "accountnumber", "accounttype",
        ]
        where normal.contains(other) {
            return false
        }
        return true
    }

    static func namesAccountType(_ name: String) -> Bool {
        let normal = normalized(name)
        return (normal.contains("accounttype") || normal.contains("accttype"))
            && !normal.contains("bankaccounttype") && !normal.contains("externalaccounttype")
    }

    /// The last token of the statement-level run that starts at `first`: to a `,` or `;` at the
    /// same depth or the end of the enclosing bracket; without one, to the end of the line.
    func valueEnd(from first: Int) -> Int {
        guard first < tokens.count else { return tokens.count - 1 }
        let group = parent[first]
        var index = first
        var last = first
        while index < tokens.count {
            let token = tokens[index]
            if token.isOpening {
                guard partner[index] >= 0 else { break }
                last = partner[index]
                index = partner[index] + 1
                continue
            }
            if token.isClosing || token.isPunctuation(",") || token.isPunctuation(";") { break }
            if group < 0 && token.line != tokens[first].line { break }
            last = index
            index += 1
        }
        return max(first, last)
    }

    /// The line of source `line` (1-based), without its line break.
    func lineText(_ line: Int) -> String {
        guard line >= 1 && line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start && bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The lines of tokens `first...last`, at most five.
    func snippet(_ first: Int, _ last: Int) -> String {
        let from = tokens[first].line
        let to = min(tokens[last].line, from + 4)
        return (from...to).map(lineText).joined(separator: "\n")
    }

    /// The line and column just past token `index`.
    func endPosition(_ index: Int) -> (line: Int, column: Int) {
        let end = tokens[index].end
        var line = tokens[index].line
        while line < lineStarts.count && lineStarts[line] <= end - 1 { line += 1 }
        return (line, end - lineStarts[line - 1] + 1)
    }

    /// The index of the first token on a line at or after `line`.
    func firstToken(onOrAfter line: Int) -> Int {
        var low = 0
        var high = tokens.count
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].line < line { low = middle + 1 } else { high = middle }
        }
        return low
    }

    mutating func markConsumed(_ first: Int, _ last: Int) {
        guard first <= last else { return }
        for index in max(0, first)...min(last, tokens.count - 1) { consumed[index] = true }
    }

    /// Builds a finding over tokens `first...last`.
    func finding(
        kind: FindingKind, first: Int, last: Int, types: [LegacyAccountType], message: String,
        suggestion: String?, candidates: [Candidate] = [], intentKnown: Bool = false, notes: [String] = [],
        rewrite: Rewrite? = nil
    ) -> Finding {
        let end = endPosition(last)
        return Finding(
            path: path, language: language, kind: kind, line: tokens[first].line, column: tokens[first].column,
            endLine: end.line, endColumn: end.column, snippet: snippet(first, last),
            types: Array(Set(types)).sorted(), message: message, suggestion: suggestion, candidates: candidates,
            intentKnown: intentKnown, notes: notes, rewrite: rewrite)
    }
}
