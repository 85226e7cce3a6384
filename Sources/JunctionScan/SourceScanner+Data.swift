/// Account types kept as data: fixtures, enums, constants, database columns. Informational: the
/// code stays right, but accounts created with controller properties never carry these values.
extension SourceScanner {
    /// Keys only an account object has, in fixtures.
    static let accountObjectKeys: Set<String> = [
        "chargesenabled", "payoutsenabled", "detailssubmitted", "controller", "capabilities", "requirements",
    ]

    mutating func findData() {
        var index = 0
        while index < tokens.count {
            let line = tokens[index].line
            var lineEnd = index
            while lineEnd + 1 < tokens.count && tokens[lineEnd + 1].line == line { lineEnd += 1 }
            var types = Set<LegacyAccountType>()
            var first = -1
            var last = -1
            for member in index...lineEnd where !consumed[member] {
                guard let type = legacyType(at: member), isAccountTypeData(member) else { continue }
                types.insert(type)
                if first < 0 { first = valueStart(member) }
                last = member
            }
            if !types.isEmpty {
                markConsumed(first, last)
                reportData(first: first, last: last, types: types)
            }
            index = lineEnd + 1
        }
    }

    /// Whether the legacy type at `index` is a Stripe account's type kept as data.
    func isAccountTypeData(_ index: Int) -> Bool {
        let start = valueStart(index)
        // Names only Stripe's account types have: stripe.AccountTypeExpress, Account::TYPE_EXPRESS,
        // AccountCreateParams.Type.EXPRESS.
        if tokens[index].kind == .identifier && language != .yaml && language != .swift && language != .ruby {
            if language == .go || language == .php { return true }
            let chain = (start..<index).map { tokens[$0].text }
            return chain.contains { $0.contains("Account") }
                && !chain.contains { $0 == "Controller" || $0 == "StripeDashboard" }
        }
        // Inside a controller hash, `stripe_dashboard: {type: "express"}` is the new form itself.
        if parent[index] >= 0,
            headTokens(before: parent[index], line: tokens[index].line).contains(where: {
                Self.normalized(tokens[$0].text).hasSuffix("stripedashboard")
                    || Self.normalized(tokens[$0].text).hasSuffix("stripedashboardparams")
            })
        {
            return false
        }
        let names = contextNames(of: index)
        if names.contains(where: Self.namesAccountType) { return true }
        let group = parent[index]
        let near = nearbyTokens(of: index)
        let hasAccountObject = near.contains { member in
            let token = tokens[member]
            if (token.kind == .string || token.kind == .identifier) && token.text.hasPrefix("acct_") { return true }
            if token.kind == .string && token.text == "account" && member >= 2 && isPunctuation(member - 1, ":")
                && (isString(member - 2, "object") || isIdentifier(member - 2, "object"))
            {
                return true
            }
            return (token.kind == .string || token.kind == .identifier) && isPunctuation(member + 1, ":")
                && Self.accountObjectKeys.contains(Self.normalized(token.text))
        }
        // The key the value is written under, if any: only `type` (or a row without keys) counts.
        let key: String? =
            start >= 2
                && (isPunctuation(start - 1, ":") || isPunctuation(start - 1, "=") || isPunctuation(start - 1, "=>"))
                && (isIdentifier(start - 2) || tokens[start - 2].kind == .string)
            ? Self.normalized(tokens[start - 2].text) : nil
        guard key == nil || key == "type" else { return false }
        if hasAccountObject && (group >= 0 || language.isData) { return true }
        // type: 'express' under a name that says account (`def make_account(type="express")`).
        return key == "type" && names.contains(where: Self.namesAccount)
    }

    /// The names around a value: its line up to it, what heads each bracket around it, and in
    /// indented files the lines that open its block (a class, an enum, a YAML key).
    func contextNames(of index: Int) -> [String] {
        var names: [String] = []
        var cursor = index - 1
        while cursor >= 0 && tokens[cursor].line == tokens[index].line {
            if tokens[cursor].kind == .identifier || tokens[cursor].kind == .string {
                names.append(tokens[cursor].text)
            }
            cursor -= 1
        }
        var group = parent[index]
        var levels = 0
        while group >= 0 && levels < 4 {
            levels += 1
            var head = group - 1
            while head >= 0 && tokens[head].line == tokens[group].line {
                if tokens[head].kind == .identifier || tokens[head].kind == .string { names.append(tokens[head].text) }
                head -= 1
            }
            // A head on the line before (`enum AccountType\n{`).
            if head >= 0 && tokens[head].kind == .identifier && tokens[group].line - tokens[head].line == 1 {
                var previous = head
                while previous >= 0 && tokens[previous].line == tokens[head].line {
                    if tokens[previous].kind == .identifier { names.append(tokens[previous].text) }
                    previous -= 1
                }
            }
            group = parent[group]
        }
        if [.python, .ruby, .yaml].contains(language) {
            var indentation = effectiveIndentation(tokens[index].line)
            var line = tokens[index].line - 1
            var headers = 0
            while line >= 1 && tokens[index].line - line < 200 && headers < 2 && indentation > 0 {
                let text = lineText(line)
                if !text.allSatisfy({ $0 == " " || $0 == "\t" }) {
                    let current = effectiveIndentation(line)
                    if current < indentation {
                        var member = firstToken(onOrAfter: line)
                        while member < tokens.count && tokens[member].line == line {
                            if tokens[member].kind == .identifier || tokens[member].kind == .string {
                                names.append(tokens[member].text)
                            }
                            member += 1
                        }
                        indentation = current
                        headers += 1
                    }
                }
                line -= 1
            }
        }
        return names
    }

    /// The tokens of the object a value sits in: its bracket, or in YAML its block.
    func nearbyTokens(of index: Int) -> [Int] {
        let group = parent[index]
        if group >= 0 && partner[group] > group && language != .yaml {
            return Array((group + 1)..<partner[group]).filter { parent[$0] == group }
        }
        if language == .yaml {
            let mine = effectiveIndentation(tokens[index].line)
            var from = tokens[index].line
            while from > 1 && tokens[index].line - from < 40 {
                let text = lineText(from - 1)
                if !text.allSatisfy({ $0 == " " || $0 == "\t" }) && effectiveIndentation(from - 1) < mine { break }
                from -= 1
            }
            // A list item's first key sits on the dash's line.
            if from > 1, lineText(from - 1).drop(while: { $0 == " " }).hasPrefix("- ") { from -= 1 }
            var to = tokens[index].line
            while to < lineStarts.count && to - tokens[index].line < 40 {
                let text = lineText(to + 1)
                if !text.allSatisfy({ $0 == " " || $0 == "\t" }) && effectiveIndentation(to + 1) < mine { break }
                if text.drop(while: { $0 == " " }).hasPrefix("- ") && effectiveIndentation(to + 1) <= mine { break }
                to += 1
            }
            return Array(firstToken(onOrAfter: from)..<firstToken(onOrAfter: to + 1))
        }
        return Array(firstToken(onOrAfter: tokens[index].line)..<firstToken(onOrAfter: tokens[index].line + 1))
    }

    /// Leading blanks of a line, a YAML list dash counted as one.
    func effectiveIndentation(_ line: Int) -> Int {
        var count = 0
        for character in lineText(line) {
            if character == " " || character == "\t" || (language == .yaml && character == "-") {
                count += 1
            } else {
                break
            }
        }
        return count
    }

    mutating func reportData(first: Int, last: Int, types: Set<LegacyAccountType>) {
        let names = types.sorted().map(\.rawValue).joined(separator: ", ")
        let suggestion = types.sorted().map { type in
            "\(type.rawValue): "
                + ControllerProperty.allCases.map { "\($0.rawValue)=\($0.reported(by: type))" }.joined(separator: ", ")
        }.joined(separator: "\n")
        findings.append(
            finding(
                kind: .data, first: first, last: last, types: Array(types),
                message:
                    "Account type \(names) kept as data: accounts created with controller properties report type none (or standard); keep their controller properties instead.",
                suggestion: suggestion))
    }
}
