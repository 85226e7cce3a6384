/// The operands of conditions: member chains, and whether one reads an account's type.
extension SourceScanner {
    /// What the operand of a condition reads: an account's `type`, or a variable holding it.
    struct TypeAccess {
        /// The account expression as written, `nil` when the operand is a variable such as `account_type`.
        var receiver: String?
    }

    static let conversions: Set<String> = [
        "to_s", "to_sym", "toString", "ToString", "lower", "downcase", "toLowerCase", "ToLower", "ToLowerInvariant",
        "rawValue", "value", "name", "strip", "trim", "Trim",
    ]

    /// The top-level arguments of a call's parentheses, as token ranges.
    func splitArguments(_ opening: Int) -> [(Int, Int)] {
        guard partner[opening] > opening + 1 else { return [] }
        var arguments: [(Int, Int)] = []
        var start = opening + 1
        for index in (opening + 1)..<partner[opening] where parent[index] == opening && isPunctuation(index, ",") {
            if index > start { arguments.append((start, index - 1)) }
            start = index + 1
        }
        if partner[opening] > start { arguments.append((start, partner[opening] - 1)) }
        return arguments
    }

    /// The first token of the member chain that ends at `end`: `self.account.type`,
    /// `Stripe::Account.retrieve(id).type`, `string(acct.Type)`, `@account.type`.
    func expressionStart(endingAt end: Int) -> Int {
        var index = end
        // Postfix non-null assertions: `account.type!`.
        while index > 0 && (isPunctuation(index, "!") || isPunctuation(index, "?"))
            && tokens[index - 1].end == tokens[index].start
        {
            index -= 1
        }
        var steps = 0
        while index >= 0 && steps < 64 {
            steps += 1
            if tokens[index].isClosing {
                guard partner[index] >= 0 else { return index }
                index = partner[index]
                if isIdentifier(index - 1) || (tokens.indices.contains(index - 1) && tokens[index - 1].isClosing) {
                    index -= 1
                    continue
                }
                return index
            }
            if isSeparator(index - 1), index >= 2, isIdentifier(index - 2) || tokens[index - 2].isClosing {
                index -= 2
                continue
            }
            if isPunctuation(index - 1, "@") { index -= 1 }
            if isPunctuation(index - 1, "@") { index -= 1 }
            return index
        }
        return max(0, index)
    }

    /// The last token of the member chain that starts at `start`.
    func expressionEnd(from start: Int) -> Int {
        var index = start
        while isPunctuation(index, "@") { index += 1 }
        if index < tokens.count, tokens[index].isOpening, partner[index] > index { index = partner[index] }
        var steps = 0
        while index + 1 < tokens.count && steps < 64 {
            steps += 1
            let next = tokens[index + 1]
            if next.isOpening && (next.text == "(" || next.text == "["), partner[index + 1] > index {
                index = partner[index + 1]
                continue
            }
            if isSeparator(index + 1), isIdentifier(index + 2) {
                index += 2
                continue
            }
            break
        }
        return min(index, tokens.count - 1)
    }

    /// What an operand reads, if it is an account's type.
    func typeAccess(_ operandFirst: Int, _ operandLast: Int) -> TypeAccess? {
        var first = operandFirst
        var last = operandLast
        guard first >= 0, last >= first, last < tokens.count else { return nil }
        // Non-null assertions and optional chaining at the end: `account.type!`.
        while last > first && (isPunctuation(last, "!") || isPunctuation(last, "?")) { last -= 1 }
        // Wrappers: string(acct.Type), str(account.type), String.valueOf(account.getType()).
        for _ in 0..<2 {
            var head = first
            if isIdentifier(head), isSeparator(head + 1), isIdentifier(head + 2) { head += 2 }
            if isIdentifier(head),
                ["string", "str", "String", "strval", "valueOf", "strtolower", "lower"].contains(tokens[head].text),
                isPunctuation(head + 1, "("), partner[head + 1] == last
            {
                first = head + 2
                last -= 1
            }
        }
        // Conversions: .to_s, .toString(), .lower(), .downcase, .ToLower().
        var steps = 0
        while last - first >= 2 && steps < 4 {
            steps += 1
            if isIdentifier(last), Self.conversions.contains(tokens[last].text), isSeparator(last - 1) {
                last -= 2
                continue
            }
            if isPunctuation(last, ")"), partner[last] == last - 1, isIdentifier(last - 2),
                Self.conversions.contains(tokens[last - 2].text), isSeparator(last - 3)
            {
                last -= 4
                continue
            }
            break
        }
        guard first <= last else { return nil }
        func receiver(_ receiverLast: Int) -> TypeAccess? {
            guard receiverLast >= first, isAccount(first, receiverLast) else { return nil }
            return TypeAccess(receiver: source(first, receiverLast))
        }
        // account.type, account->type, acct.Type
        if isIdentifier(last), tokens[last].text == "type" || tokens[last].text == "Type", isSeparator(last - 1),
            last - 2 >= first
        {
            return receiver(last - 2)
        }
        if isPunctuation(last, ")"), partner[last] >= 0 {
            let opening = partner[last]
            // account.getType()
            if opening == last - 1, isIdentifier(last - 2, "getType"), isSeparator(last - 3) {
                return receiver(last - 4)
            }
            // account.get("type"), account.fetch(:type)
            if isIdentifier(opening - 1), ["get", "fetch", "dig"].contains(tokens[opening - 1].text),
                isSeparator(opening - 2), isTypeKey(opening + 1, last - 1)
            {
                return receiver(opening - 3)
            }
        }
        // account["type"], account[:type]
        if isPunctuation(last, "]"), partner[last] > first, isTypeKey(partner[last] + 1, last - 1) {
            return receiver(partner[last] - 1)
        }
        // A name that holds an account's type: account_type, accountType, self.stripe_account_type.
        if isIdentifier(last), Self.namesAccountType(tokens[last].text) {
            for index in first...last {
                let token = tokens[index]
                guard token.kind == .identifier || isSeparator(index) || token.isPunctuation("@") else { return nil }
            }
            return TypeAccess(receiver: nil)
        }
        return nil
    }

    /// Whether tokens `first...last` are exactly the key `type` ("type", 'type', :type).
    func isTypeKey(_ first: Int, _ last: Int) -> Bool {
        if first == last { return tokens[first].kind == .string && tokens[first].text == "type" }
        return last == first + 1 && isPunctuation(first, ":") && isIdentifier(last, "type")
    }

    /// Whether an expression is a Stripe account: a name that says so, a variable the file
    /// assigned an account to, or an SDK call that returns one.
    func isAccount(_ first: Int, _ last: Int) -> Bool {
        var end = last
        if tokens[end].isPunctuation("]"), partner[end] > first { end = partner[end] - 1 }
        if tokens[end].isPunctuation(")"), partner[end] > first {
            let method = partner[end] - 1
            guard isIdentifier(method) else { return false }
            let verbs: Set<String> = [
                "retrieve", "create", "get", "getbyid", "new", "update", "fetch", "find", "retrieveasync", "getasync",
            ]
            guard verbs.contains(Self.normalized(tokens[method].text)) else { return false }
            return (first..<method).contains { index in
                tokens[index].kind == .identifier
                    && ["account", "accounts", "accountservice", "connectaccounts"].contains(
                        Self.normalized(tokens[index].text))
            }
        }
        guard isIdentifier(end) else { return false }
        let name = tokens[end].text
        return Self.namesAccount(name) || accountVariables.contains(name)
    }

}
