/// How each language writes a legacy account type as a value.
extension SourceScanner {
    /// The legacy type token `index` names, in any of the forms SDKs use: `"express"`,
    /// Ruby's `:express`, Swift's `.express`, Go's `stripe.AccountTypeExpress`, Java's
    /// `AccountCreateParams.Type.EXPRESS`, PHP's `Account::TYPE_EXPRESS`.
    func legacyType(at index: Int) -> LegacyAccountType? {
        guard index >= 0 && index < tokens.count else { return nil }
        let token = tokens[index]
        switch token.kind {
        case .string:
            return LegacyAccountType(rawValue: token.text)
        case .identifier:
            let text = token.text
            switch language {
            case .go:
                guard text.hasPrefix("AccountType") else { return nil }
                return LegacyAccountType(rawValue: text.dropFirst("AccountType".count).lowercased())
            case .php:
                guard text.hasPrefix("TYPE_"), isPunctuation(index - 1, "::"), isIdentifier(index - 2, "Account")
                else { return nil }
                return LegacyAccountType(rawValue: text.dropFirst(5).lowercased())
            case .java, .csharp:
                guard text == text.uppercased(), isPunctuation(index - 1, "."), isIdentifier(index - 2),
                    tokens[index - 2].text == "Type" || tokens[index - 2].text == "AccountType"
                else { return nil }
                return LegacyAccountType(rawValue: text.lowercased())
            case .swift:
                // An implicit member (`.express`), not a member of something named before it.
                guard isPunctuation(index - 1, "."), tokens[index - 1].end == token.start else { return nil }
                if index >= 2 {
                    let before = tokens[index - 2]
                    if before.isClosing || before.kind == .string || before.kind == .number { return nil }
                    if before.kind == .identifier
                        && !["case", "return", "in", "where", "else", "then", "is"].contains(before.text)
                    {
                        return nil
                    }
                }
                return LegacyAccountType(rawValue: text)
            case .ruby:
                // A symbol: the colon touches the name.
                guard isPunctuation(index - 1, ":"), tokens[index - 1].end == token.start else { return nil }
                if index >= 2 && tokens[index - 2].end == tokens[index - 1].start
                    && tokens[index - 2].kind == .identifier
                {
                    return nil
                }
                return LegacyAccountType(rawValue: text)
            case .yaml:
                // A plain scalar: after a key, a list dash, or in a flow list.
                guard index > 0, tokens[index - 1].kind == .punctuation,
                    [":", "-", ",", "["].contains(tokens[index - 1].text)
                else { return nil }
                return LegacyAccountType(rawValue: text)
            default:
                return nil
            }
        default:
            return nil
        }
    }

    /// The first token of the value written at `index`: its qualifiers (`stripe.`,
    /// `AccountCreateParams.Type.`, `\Stripe\Account::`), Swift's leading dot, Ruby's colon.
    func valueStart(_ index: Int) -> Int {
        guard tokens[index].kind == .identifier else { return index }
        if language == .swift || language == .ruby {
            return isPunctuation(index - 1, ".") || isPunctuation(index - 1, ":") ? index - 1 : index
        }
        var first = index
        while isSeparator(first - 1) || isPunctuation(first - 1, "\\") {
            if isIdentifier(first - 2) {
                first -= 2
            } else {
                if isPunctuation(first - 1, "\\") { first -= 1 }
                break
            }
        }
        if isPunctuation(first - 1, "\\") { first -= 1 }
        return first
    }

    /// The legacy types named in tokens `first...last`, and whether that run is nothing but one
    /// type written as a literal (possibly wrapped: `stripe.String("express")`).
    func legacyTypes(in first: Int, _ last: Int) -> (types: Set<LegacyAccountType>, literal: Bool) {
        guard first <= last else { return ([], false) }
        var types = Set<LegacyAccountType>()
        var named = 0
        var plain = true
        for index in first...last {
            if let type = legacyType(at: index) {
                types.insert(type)
                named += 1
                continue
            }
            let token = tokens[index]
            switch token.kind {
            case .identifier:
                if ["if", "else", "and", "or", "not", "when", "case", "then", "unless"].contains(token.text) {
                    plain = false
                }
            case .punctuation:
                if ["?", ":", "||", "&&", "??", "|", "+"].contains(token.text)
                    && !(language == .ruby && token.text == ":")
                    && !(language == .swift && token.text == ".")
                {
                    plain = false
                }
            case .string, .number:
                plain = false
            }
        }
        return (types, plain && named == 1 && last - first < 16)
    }
}
