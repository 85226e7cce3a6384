/// Accounts created with `type`: found where a `type` key sits in the parameters of an account
/// creation (the SDK's call, its parameter class, or a hash shaped like account parameters).
extension SourceScanner {
    /// A `type` key as one language writes it, and the value that follows.
    struct TypeKey {
        var keyFirst: Int
        var valueFirst: Int
        var valueLast: Int
        /// The last token the rewrite replaces (Java's `.setType(…)` takes its parenthesis too).
        var replaceLast: Int
        var style: ControllerSyntax.KeyStyle
    }

    /// Keys only account parameters have.
    static let accountKeys: Set<String> = [
        "capabilities", "requestedcapabilities", "businesstype", "businessprofile", "tosacceptance",
        "externalaccount", "individual", "company", "defaultcurrency",
    ]
    /// Keys account parameters share with other objects: they count only under a name that says account.
    static let sharedKeys: Set<String> = ["country", "email", "metadata", "settings"]

    mutating func findCreations() {
        for index in tokens.indices where !consumed[index] {
            guard let key = typeKey(at: index), let go = creationContext(key) else { continue }
            let (types, literal) = legacyTypes(in: key.valueFirst, key.valueLast)
            report(key: key, types: types, literal: literal, go: go)
        }
    }

    /// The `type` key at `index`, if the language writes one there.
    func typeKey(at index: Int) -> TypeKey? {
        let token = tokens[index]
        let group = parent[index]
        let groupOpening = group >= 0 ? tokens[group].text : ""
        func key(_ first: Int, valueFirst: Int, _ style: ControllerSyntax.KeyStyle) -> TypeKey? {
            guard valueFirst < tokens.count else { return nil }
            let last = valueEnd(from: valueFirst)
            return TypeKey(keyFirst: first, valueFirst: valueFirst, valueLast: last, replaceLast: last, style: style)
        }
        let isTypeString = token.kind == .string && token.text == "type"
        if let assignment = assignedTypeKey(at: index) { return assignment }
        switch language {
        case .python:
            if token.isIdentifier("type") && isPunctuation(index + 1, "=") && groupOpening == "(" {
                return key(index, valueFirst: index + 2, .keywordArgument)
            }
            if isTypeString && isPunctuation(index + 1, ":") && groupOpening == "{" {
                return key(index, valueFirst: index + 2, .stringKeyColon)
            }
        case .ruby:
            if token.isIdentifier("type") && isPunctuation(index + 1, ":") && tokens[index + 1].start == token.end
                && !(index + 2 < tokens.count && tokens[index + 2].start == tokens[index + 1].end
                    && tokens[index + 2].kind == .identifier)
            {
                return key(index, valueFirst: index + 2, .bareKeyColon)
            }
            if token.isIdentifier("type") && isPunctuation(index - 1, ":") && tokens[index - 1].end == token.start
                && isPunctuation(index + 1, "=>")
            {
                return key(index - 1, valueFirst: index + 2, .symbolKeyArrow)
            }
            if isTypeString && isPunctuation(index + 1, "=>") {
                return key(index, valueFirst: index + 2, .stringKeyArrow)
            }
            if isTypeString && isPunctuation(index + 1, ":") {
                return key(index, valueFirst: index + 2, .stringKeyColon)
            }
        case .javascript, .typescript:
            guard groupOpening == "{", isPunctuation(index + 1, ":") else { return nil }
            if token.isIdentifier("type") { return key(index, valueFirst: index + 2, .bareKeyColon) }
            if isTypeString { return key(index, valueFirst: index + 2, .stringKeyColon) }
        case .php:
            if isTypeString && isPunctuation(index + 1, "=>") {
                return key(index, valueFirst: index + 2, .stringKeyArrow)
            }
        case .go:
            if token.isIdentifier("Type") && isPunctuation(index + 1, ":") && groupOpening == "{" {
                return key(index, valueFirst: index + 2, .goField)
            }
        case .java:
            if token.isIdentifier("setType") && isPunctuation(index - 1, ".") && isPunctuation(index + 1, "("),
                partner[index + 1] > index + 2
            {
                let close = partner[index + 1]
                return TypeKey(
                    keyFirst: index - 1, valueFirst: index + 2, valueLast: close - 1, replaceLast: close,
                    style: .javaSetter)
            }
            if isTypeString && isPunctuation(index - 1, "(") && isIdentifier(index - 2, "put")
                && isPunctuation(index + 1, ","), partner[index - 1] > index + 2
            {
                let close = partner[index - 1]
                return TypeKey(
                    keyFirst: index, valueFirst: index + 2, valueLast: close - 1, replaceLast: close - 1,
                    style: .javaMapPut)
            }
        case .csharp:
            if token.isIdentifier("Type") && isPunctuation(index + 1, "=") && groupOpening == "{" {
                return key(index, valueFirst: index + 2, .csharpProperty)
            }
        case .swift:
            if token.isIdentifier("type") && isPunctuation(index + 1, ":") && groupOpening == "(" {
                return key(index, valueFirst: index + 2, .swiftLabel)
            }
        case .json, .yaml, .sql:
            return nil
        }
        return nil
    }

    /// Whether the key sits in an account creation; the Go parameter struct it was written in.
    func creationContext(_ key: TypeKey) -> ControllerSyntax.GoParams? {
        switch key.style {
        case .javaSetter:
            return builderChain(before: key.keyFirst, names: "AccountCreateParams") ? .accountParams : nil
        case .javaMapPut:
            return holdsAccountParameters(receiverAt: key.keyFirst - 4, byName: true) ? .accountParams : nil
        case .subscriptString, .subscriptSymbol, .memberAssignment:
            // Fake account objects in tests set `type` and `country` too: only account-only keys or the call count.
            return holdsAccountParameters(receiverAt: key.keyFirst - 2, byName: false) ? .accountParams : nil
        default:
            break
        }
        var group = parent[key.keyFirst]
        // The hash itself, then the call it is passed to (`create(params={…})`, `create({…})`).
        for level in 0..<2 {
            let heads = headTokens(before: group, line: tokens[key.keyFirst].line)
            if let go = creationHead(heads) { return go }
            if level == 0 {
                // An account object (a fixture, a fake in tests) is data, not parameters.
                if describesAccountObject(group) { return nil }
                let keys = topLevelKeys(in: group, line: tokens[key.keyFirst].line)
                if !keys.isDisjoint(with: Self.accountKeys) { return .accountParams }
                if !keys.isDisjoint(with: Self.sharedKeys)
                    && heads.contains(where: { Self.namesAccount(tokens[$0].text) })
                {
                    return .accountParams
                }
                // Only a hash passed straight to a call looks at the call.
                let direct =
                    heads.isEmpty
                    || (heads.count == 2 && tokens[heads[0]].kind == .identifier
                        && ["params", "options", "opts"].contains(Self.normalized(tokens[heads[0]].text))
                        && (isPunctuation(heads[1], "=") || isPunctuation(heads[1], ":")))
                guard direct, group >= 0 else { return nil }
                group = parent[group]
            }
        }
        return nil
    }

    /// Whether a hash is an account object as the API returns it: `"object": "account"` or an `acct_` id.
    func describesAccountObject(_ group: Int) -> Bool {
        guard group >= 0, partner[group] > group else { return false }
        for index in (group + 1)..<partner[group] where parent[index] == group {
            let token = tokens[index]
            if token.kind == .string && token.text.hasPrefix("acct_") && isPunctuation(index - 1, ":") { return true }
            if token.kind == .string && token.text == "account" && isPunctuation(index - 1, ":")
                && index >= 2 && Self.normalized(tokens[index - 2].text) == "object"
            {
                return true
            }
        }
        return false
    }

    /// The tokens before an opening bracket that name what it belongs to, back to the start of
    /// the statement or argument; for a key outside brackets, the line before it.
    func headTokens(before opening: Int, line: Int) -> [Int] {
        var heads: [Int] = []
        if opening < 0 {
            var index = firstToken(onOrAfter: line)
            while index < tokens.count && tokens[index].line == line && !tokens[index].isIdentifier("type") {
                heads.append(index)
                index += 1
            }
            return heads
        }
        var index = opening - 1
        var later = opening
        while index >= 0 && heads.count < 16 {
            let token = tokens[index]
            // A line break ends the statement unless an operator or a member access carries it on.
            if token.line < tokens[later].line {
                let carries =
                    (later == opening && tokens[opening].text == "{") || isSeparator(later) || isSeparator(index)
                    || token.kind == .punctuation
                        && ["=", ":=", "=>", ":", "&", "\\"].contains(token.text)
                if !carries { break }
            }
            later = index
            if token.isClosing {
                guard partner[index] >= 0 else { break }
                heads.append(index)
                later = partner[index]
                index = partner[index] - 1
                continue
            }
            if token.isOpening || token.isPunctuation(";") || token.isPunctuation(",") { break }
            heads.append(index)
            index -= 1
        }
        return heads.reversed()
    }

    /// Whether head tokens call an SDK's account creation or name its parameter class.
    func creationHead(_ heads: [Int]) -> ControllerSyntax.GoParams? {
        for (position, index) in heads.enumerated() where tokens[index].kind == .identifier {
            let name = tokens[index].text
            switch name {
            case "AccountParams": if language == .go { return .accountParams }
            case "AccountCreateParams": if language == .go { return .accountCreateParams }
            case "AccountCreateOptions": if language == .csharp { return .accountParams }
            case "create", "Create", "CreateAsync", "create!":
                guard position >= 2, isSeparator(heads[position - 1]) else { continue }
                var owner = heads[position - 2]
                // `accounts()` in stripe-java's client.
                if tokens[owner].isClosing, partner[owner] > 0 { owner = partner[owner] - 1 }
                guard owner >= 0, tokens[owner].kind == .identifier else { continue }
                switch Self.normalized(tokens[owner].text) {
                case "account", "accounts", "accountservice", "connectaccounts": return .accountParams
                default: continue
                }
            default: continue
            }
        }
        return nil
    }

    /// The keys written at the top level of a hash or call (normalized), or on a line.
    func topLevelKeys(in group: Int, line: Int) -> Set<String> {
        var keys = Set<String>()
        let range: Range<Int>
        if group >= 0 {
            guard partner[group] > group else { return keys }
            range = (group + 1)..<partner[group]
        } else {
            let first = firstToken(onOrAfter: line)
            range = first..<firstToken(onOrAfter: line + 1)
        }
        for index in range where parent[index] == group && index + 1 < tokens.count {
            let token = tokens[index]
            guard token.kind == .identifier || token.kind == .string else { continue }
            let next = tokens[index + 1]
            guard next.kind == .punctuation, [":", "=>", "="].contains(next.text) else { continue }
            keys.insert(Self.normalized(token.text))
        }
        return keys
    }

    /// Whether the chain of calls ending before `index` starts from `names` (Java's builders).
    func builderChain(before index: Int, names: String) -> Bool {
        var cursor = index - 1
        var steps = 0
        while cursor >= 0 && steps < 400 {
            steps += 1
            let token = tokens[cursor]
            if token.isClosing {
                guard tokens[cursor].text == ")", partner[cursor] >= 0 else { return false }
                cursor = partner[cursor] - 1
            } else if token.kind == .identifier {
                // `AccountCreateParams.builder()`, not a nested `AccountCreateParams.Controller…builder()`.
                // (`new AccountCreateParams.Builder()` in older stripe-java.)
                if token.text == names {
                    return isIdentifier(cursor + 2, "builder") || isIdentifier(cursor + 2, "Builder")
                }
                cursor -= 1
            } else if isSeparator(cursor) {
                cursor -= 1
            } else {
                return false
            }
        }
        return false
    }

    /// `params["type"] = …`, `params[:type] = …`, `$params['type'] = …`, `params.type = …`: a
    /// key set on a variable that later goes to the create call.
    func assignedTypeKey(at index: Int) -> TypeKey? {
        let token = tokens[index]
        func key(_ first: Int, valueFirst: Int, _ style: ControllerSyntax.KeyStyle) -> TypeKey? {
            guard valueFirst < tokens.count, isIdentifier(first - 2) else { return nil }
            let last = valueEnd(from: valueFirst)
            return TypeKey(keyFirst: first, valueFirst: valueFirst, valueLast: last, replaceLast: last, style: style)
        }
        switch language {
        case .python, .ruby, .php:
            if token.kind == .string && token.text == "type" && isPunctuation(index - 1, "[")
                && isPunctuation(index + 1, "]") && isPunctuation(index + 2, "=")
            {
                return key(index, valueFirst: index + 3, .subscriptString)
            }
            if language == .ruby && token.isIdentifier("type") && isPunctuation(index - 1, ":")
                && isPunctuation(index - 2, "[") && isPunctuation(index + 1, "]") && isPunctuation(index + 2, "=")
            {
                return key(index - 1, valueFirst: index + 3, .subscriptSymbol)
            }
        case .javascript, .typescript:
            if token.isIdentifier("type") && isPunctuation(index - 1, ".") && isPunctuation(index + 1, "=") {
                return key(index, valueFirst: index + 2, .memberAssignment)
            }
        default:
            break
        }
        return nil
    }

    /// Whether a variable holds account parameters: other keys only accounts have are set on it
    /// (`params.put("capabilities", …)`, `params["business_type"] = …`), or it is passed to an
    /// account creation (`Account.create(params)`, `create(**params)`).
    func holdsAccountParameters(receiverAt receiver: Int, byName: Bool) -> Bool {
        guard isIdentifier(receiver) else { return false }
        let name = tokens[receiver].text
        var shared = false
        for index in tokens.indices where tokens[index].isIdentifier(name) {
            var key: String?
            if isPunctuation(index + 1, "."), isIdentifier(index + 2, "put"), isPunctuation(index + 3, "("),
                index + 4 < tokens.count, tokens[index + 4].kind == .string
            {
                key = tokens[index + 4].text
            } else if isPunctuation(index + 1, "["), index + 2 < tokens.count, tokens[index + 2].kind == .string,
                isPunctuation(index + 3, "]"), isPunctuation(index + 4, "=")
            {
                key = tokens[index + 2].text
            } else if isPunctuation(index + 1, "["), isPunctuation(index + 2, ":"), isIdentifier(index + 3),
                isPunctuation(index + 4, "]"), isPunctuation(index + 5, "=")
            {
                key = tokens[index + 3].text
            } else if isPunctuation(index + 1, "."), isIdentifier(index + 2), isPunctuation(index + 3, "=") {
                key = tokens[index + 2].text
            }
            if let key {
                if Self.accountKeys.contains(Self.normalized(key)) { return true }
                if Self.sharedKeys.contains(Self.normalized(key)) { shared = true }
            }
            let group = parent[index]
            if group >= 0, isPunctuation(group, "("),
                creationHead(headTokens(before: group, line: tokens[index].line)) != nil
            {
                return true
            }
        }
        return byName && shared && Self.namesAccount(name)
    }

    mutating func report(key: TypeKey, types: Set<LegacyAccountType>, literal: Bool, go: ControllerSyntax.GoParams) {
        markConsumed(key.keyFirst, key.replaceLast)
        let group = parent[key.keyFirst]
        let keys = topLevelKeys(in: group, line: tokens[key.keyFirst].line)
        let named = types.isEmpty ? Set(LegacyAccountType.allCases) : types
        var notes: [String] = []
        if named.contains(.express) || named.contains(.custom) {
            notes.append(
                "Accounts created with type report controller.fees.payer application_express or application_custom; accounts created with controller properties report application (C4), and their type reads none."
            )
        }
        if named.contains(.custom) {
            var custom =
                "An account without a Stripe dashboard (stripe_dashboard.type none, as custom) needs country and at least one requested capability; card_payments needs transfers too (C7)."
            if [
                .keywordArgument, .stringKeyColon, .stringKeyArrow, .symbolKeyArrow, .bareKeyColon, .goField,
                .csharpProperty,
            ]
            .contains(key.style) {
                var missing: [String] = []
                if !keys.contains("country") { missing.append("country") }
                if !keys.contains("capabilities") && !keys.contains("requestedcapabilities") {
                    missing.append("capabilities")
                }
                if !missing.isEmpty { custom += " This call does not set \(missing.joined(separator: " or "))." }
            }
            notes.append(custom)
        }
        let quote: String? = {
            for index in [key.keyFirst, key.valueFirst] where index < tokens.count && tokens[index].kind == .string {
                return String(UnicodeScalar(bytes[tokens[index].start]))
            }
            return nil
        }()
        func parameter(_ type: LegacyAccountType) -> String {
            key.style == .javaMapPut
                ? "\"controller\", \(ControllerSyntax.javaMap(for: type))"
                : ControllerSyntax.controllerParameter(
                    for: type, language: language, keyStyle: key.style, quote: quote, go: go)
        }
        if literal, let type = types.first {
            var rewrite: Rewrite?
            // StripeKit (Swift) takes no controller on create: the form fields are the suggestion.
            if language == .swift {
                notes.append(
                    "StripeKit's create takes no controller: send these form fields to POST /v1/accounts in place of type."
                )
            } else {
                rewrite = Rewrite(
                    start: tokens[key.keyFirst].start, end: tokens[key.replaceLast].end, replacement: parameter(type))
            }
            findings.append(
                finding(
                    kind: .creation, first: key.keyFirst, last: key.replaceLast, types: [type],
                    message:
                        "Account created with type \(type.rawValue): create it with controller properties instead.",
                    suggestion: parameter(type), notes: notes, rewrite: rewrite))
        } else {
            let suggestion = named.sorted().map { "\($0.rawValue): \(parameter($0))" }.joined(separator: "\n")
            let which = types.isEmpty ? "" : " (\(types.sorted().map(\.rawValue).joined(separator: " or ")))"
            findings.append(
                finding(
                    kind: .creation, first: key.keyFirst, last: key.replaceLast, types: Array(named),
                    message:
                        "Account created with a type chosen at run time\(which): pass the controller properties of each type instead.",
                    suggestion: suggestion, notes: notes))
        }
    }
}
