/// Conditions on an account's type: comparisons, membership tests, `equals` calls and the labels
/// of `switch`/`case`/`match`, each reported with the controller properties that can replace it.
extension SourceScanner {
    /// A test of one operand against legacy types.
    struct Condition {
        var operandFirst: Int
        var operandLast: Int
        var types: Set<LegacyAccountType>
        var negated: Bool
        /// The tokens the finding spans.
        var first: Int
        var last: Int
        /// How the code tests it, for the message ("== express").
        var form: String
        /// The line after which the guarded code ends, for reading its intent.
        var intentEnd: Int
    }

    mutating func collectAccountVariables() {
        let verbs: Set<String> = [
            "retrieve", "create", "get", "getbyid", "new", "update", "fetch", "find", "retrieveasync", "getasync",
            "createasync",
        ]
        for index in tokens.indices {
            let token = tokens[index]
            guard token.kind == .punctuation, token.text == "=" || token.text == ":=",
                index > 0, tokens[index - 1].kind == .identifier
            else { continue }
            // `a, err := account.GetByID(…)`: the first name of the tuple.
            var name = index - 1
            while isPunctuation(name - 1, ","), isIdentifier(name - 2), tokens[name - 2].line == token.line {
                name -= 2
            }
            var sawAccount = false
            var sawVerb = false
            var cursor = index + 1
            while cursor < tokens.count && tokens[cursor].line == token.line && cursor < index + 24 {
                if tokens[cursor].kind == .identifier {
                    let normal = Self.normalized(tokens[cursor].text)
                    if ["account", "accounts", "accountservice", "connectaccounts"].contains(normal) {
                        sawAccount = true
                    }
                    if verbs.contains(normal) && isPunctuation(cursor + 1, "(") { sawVerb = true }
                }
                cursor += 1
            }
            if sawAccount && sawVerb { accountVariables.insert(tokens[name].text) }
        }
    }

    mutating func findConditions() {
        for index in tokens.indices where !consumed[index] {
            guard let type = legacyType(at: index) else { continue }
            let first = valueStart(index)
            let condition =
                comparison(first: first, last: index, type: type) ?? equalsCall(first: first, last: index, type: type)
                ?? membership(first: first, last: index) ?? caseLabel(first: first, last: index)
            guard let condition, let access = typeAccess(condition.operandFirst, condition.operandLast) else {
                continue
            }
            report(condition, access: access)
        }
    }

    // MARK: - Forms

    func isComparison(_ index: Int) -> Bool {
        guard index >= 0 && index < tokens.count, tokens[index].kind == .punctuation else { return false }
        return ["==", "===", "!=", "!=="].contains(tokens[index].text)
    }

    func comparison(first: Int, last: Int, type: LegacyAccountType) -> Condition? {
        if isComparison(first - 1), first >= 2 {
            let operandLast = first - 2
            let operandFirst = expressionStart(endingAt: operandLast)
            let negated = tokens[first - 1].text.hasPrefix("!")
            return Condition(
                operandFirst: operandFirst, operandLast: operandLast, types: [type], negated: negated,
                first: operandFirst, last: last, form: "\(tokens[first - 1].text) \(type.rawValue)",
                intentEnd: tokens[last].line + 8)
        }
        if isComparison(last + 1), last + 2 < tokens.count {
            let operandLast = expressionEnd(from: last + 2)
            let negated = tokens[last + 1].text.hasPrefix("!")
            return Condition(
                operandFirst: last + 2, operandLast: operandLast, types: [type], negated: negated, first: first,
                last: operandLast, form: "\(tokens[last + 1].text) \(type.rawValue)", intentEnd: tokens[last].line + 8)
        }
        return nil
    }

    /// `"express".equals(x)`, `x.equals("express")`, `Objects.equals(x, "express")`,
    /// `string.Equals(x, "express")`, `strings.EqualFold(x, "express")`.
    func equalsCall(first: Int, last: Int, type: LegacyAccountType) -> Condition? {
        let names: Set<String> = ["equals", "Equals", "equalsIgnoreCase", "EqualFold", "eql?", "equal?"]
        func condition(_ operandFirst: Int, _ operandLast: Int, _ spanFirst: Int, _ spanLast: Int) -> Condition {
            let negated = isPunctuation(spanFirst - 1, "!")
            return Condition(
                operandFirst: operandFirst, operandLast: operandLast, types: [type], negated: negated, first: spanFirst,
                last: spanLast, form: "equals \(type.rawValue)", intentEnd: tokens[last].line + 8)
        }
        if isSeparator(last + 1), last + 3 < tokens.count, tokens[last + 2].kind == .identifier,
            names.contains(tokens[last + 2].text), isPunctuation(last + 3, "("), partner[last + 3] > last + 4
        {
            let close = partner[last + 3]
            return condition(last + 4, close - 1, first, close)
        }
        let group = parent[first]
        guard group > 0, isPunctuation(group, "("), partner[group] > 0, isIdentifier(group - 1),
            names.contains(tokens[group - 1].text)
        else { return nil }
        let close = partner[group]
        if group == first - 1 && close == last + 1 {
            // x.equals("express")
            guard isSeparator(group - 2), group >= 3 else { return nil }
            let operandLast = group - 3
            let operandFirst = expressionStart(endingAt: operandLast)
            return condition(operandFirst, operandLast, operandFirst, close)
        }
        // Two arguments: the other one is the operand.
        let arguments = splitArguments(group)
        guard arguments.count == 2 else { return nil }
        let other = arguments.first { !($0.0...$0.1).contains(first) } ?? arguments[0]
        let spanFirst = isSeparator(group - 2) && group >= 3 ? group - 3 : group - 1
        return condition(other.0, other.1, spanFirst, close)
    }

    /// A list of legacy types tested for membership: `x in (…)`, `[…].include?(x)`,
    /// `[…].includes(x)`, `in_array(x, […])`, `List.of(…).contains(x)`, `slices.Contains(…, x)`.
    func membership(first: Int, last: Int) -> Condition? {
        var group = parent[first]
        guard group >= 0, partner[group] > group else { return nil }
        var types = Set<LegacyAccountType>()
        var covered = Set<Int>()
        for index in (group + 1)..<partner[group] {
            guard let type = legacyType(at: index) else { continue }
            types.insert(type)
            for member in valueStart(index)...index { covered.insert(member) }
        }
        for index in (group + 1)..<partner[group] where !covered.contains(index) {
            guard isPunctuation(index, ",") || isPunctuation(index, "|") else { return nil }
        }
        // The list's constructor: `List.of`, `Set.of`, `Arrays.asList`, `frozenset`, `[]string`, `new[]`, `array`.
        func listStart(_ opening: Int) -> Int {
            var start = opening
            var steps = 0
            while steps < 6 {
                steps += 1
                if isIdentifier(start - 1)
                    && !["in", "not", "return", "if", "and", "or", "when", "case", "unless"].contains(
                        tokens[start - 1].text)
                {
                    start -= 1
                    if isSeparator(start - 1) && isIdentifier(start - 2) { start -= 2 }
                    continue
                }
                if isPunctuation(start - 1, "]") && isPunctuation(start - 2, "[") {
                    start -= 2
                    continue
                }
                if start < opening && isIdentifier(start - 1, "new") { start -= 1 }
                break
            }
            return start
        }
        var listFirst = listStart(group)
        var listLast = partner[group]
        // `frozenset({…})`, `new HashSet<>(List.of(…))`: the call around the list.
        if listFirst == group, let outer = Optional(parent[group]), outer > 0, isPunctuation(outer, "("),
            outer == group - 1, partner[outer] == listLast + 1, isIdentifier(outer - 1)
        {
            group = outer
            listFirst = listStart(outer)
            listLast = partner[outer]
        }
        let negatedBefore = isPunctuation(listFirst - 1, "!")
        let form = "in " + types.sorted().map(\.rawValue).joined(separator: ", ")
        // […].include?(x), […].includes(x), List.of(…).contains(x)
        let members: Set<String> = ["include?", "includes", "contains", "Contains", "member?", "has", "includes?"]
        if isSeparator(listLast + 1), listLast + 2 < tokens.count, tokens[listLast + 2].kind == .identifier,
            members.contains(tokens[listLast + 2].text)
        {
            let method = listLast + 2
            if isPunctuation(method + 1, "("), partner[method + 1] > method + 2 {
                let close = partner[method + 1]
                return Condition(
                    operandFirst: method + 2, operandLast: close - 1, types: types, negated: negatedBefore,
                    first: listFirst, last: close, form: form, intentEnd: tokens[close].line + 8)
            }
            if method + 1 < tokens.count, tokens[method + 1].line == tokens[method].line {
                let operandLast = expressionEnd(from: method + 1)
                return Condition(
                    operandFirst: method + 1, operandLast: operandLast, types: types, negated: negatedBefore,
                    first: listFirst, last: operandLast, form: form, intentEnd: tokens[method].line + 8)
            }
        }
        // x in (…), x not in (…)
        if isIdentifier(listFirst - 1, "in") {
            let negated = isIdentifier(listFirst - 2, "not")
            let operandLast = listFirst - (negated ? 3 : 2)
            guard operandLast >= 0 else { return nil }
            let operandFirst = expressionStart(endingAt: operandLast)
            // `for account_type in ("custom", "express")` iterates: no condition.
            if isIdentifier(operandFirst - 1, "for") { return nil }
            return Condition(
                operandFirst: operandFirst, operandLast: operandLast, types: types, negated: negated,
                first: operandFirst, last: listLast, form: form, intentEnd: tokens[listLast].line + 8)
        }
        // in_array(x, […]), slices.Contains([]string{…}, x), _.includes([…], x)
        let call = parent[listFirst]
        if call > 0, isPunctuation(call, "("), partner[call] > 0, isIdentifier(call - 1),
            ["in_array", "Contains", "includes", "contains", "include"].contains(tokens[call - 1].text)
        {
            let arguments = splitArguments(call)
            guard arguments.count >= 2 else { return nil }
            guard let other = arguments.first(where: { !($0.0...$0.1).contains(listFirst) }) else { return nil }
            var spanFirst = call - 1
            if isSeparator(spanFirst - 1) && isIdentifier(spanFirst - 2) { spanFirst -= 2 }
            return Condition(
                operandFirst: other.0, operandLast: other.1, types: types, negated: isPunctuation(spanFirst - 1, "!"),
                first: spanFirst, last: partner[call], form: form, intentEnd: tokens[call].line + 8)
        }
        return nil
    }

    /// A label of `switch`/`case`/`match`: `case "express":`, `when 'express', 'custom'`,
    /// `case "express" | "custom":`, and arms of PHP's `match` and C#'s switch expressions.
    func caseLabel(first: Int, last: Int) -> Condition? {
        // Back over the other values of the label to its keyword.
        var cursor = first - 1
        while cursor >= 0 && tokens[cursor].line == tokens[first].line {
            if isPunctuation(cursor, ",") || isPunctuation(cursor, "|") || isIdentifier(cursor, "or") {
                cursor -= 1
                continue
            }
            if legacyType(at: cursor) != nil {
                cursor = valueStart(cursor) - 1
                continue
            }
            break
        }
        let keyword = cursor
        let isKeyword = isIdentifier(keyword, "case") || isIdentifier(keyword, "when")
        // An arm without a keyword: `'express' => …` in a match or switch expression.
        let isArm =
            !isKeyword
            && (keyword < 0 || isPunctuation(keyword, "{") || isPunctuation(keyword, ",")
                || tokens[keyword].line < tokens[first].line)
        guard isKeyword || isArm else { return nil }
        // The label's values, forward to its end.
        var types = Set<LegacyAccountType>()
        var labelEnd = last
        var index = isKeyword ? keyword + 1 : first
        while index < tokens.count {
            if let type = legacyType(at: index) {
                types.insert(type)
                labelEnd = index
                index += 1
                continue
            }
            if isPunctuation(index, ",") || isPunctuation(index, "|") || isIdentifier(index, "or") {
                index += 1
                continue
            }
            // The qualifiers of the next value (`stripe.`, `.`, `:`).
            if let core = (index + 1...index + 5).first(where: { $0 < tokens.count && legacyType(at: $0) != nil }),
                valueStart(core) <= index
            {
                index = core
                continue
            }
            break
        }
        guard index < tokens.count else { return nil }
        let terminator = tokens[index]
        let endsLabel =
            terminator.isPunctuation(":") || terminator.isPunctuation("->") || terminator.isPunctuation("=>")
            || terminator.isIdentifier("then") || terminator.line > tokens[labelEnd].line
        guard endsLabel else { return nil }
        if isArm && !terminator.isPunctuation("=>") { return nil }
        guard let subject = switchSubject(keyword: isKeyword ? keyword : first) else { return nil }
        // The guarded code runs to the next label of the same switch.
        var intentEnd = tokens[labelEnd].line + 8
        var next = index + 1
        while next < tokens.count && tokens[next].line <= intentEnd {
            if (tokens[next].isIdentifier("case") || tokens[next].isIdentifier("when"))
                && parent[next] == parent[keyword < 0 ? first : keyword]
            {
                intentEnd = tokens[next].line - 1
                break
            }
            next += 1
        }
        let form = "case " + types.sorted().map(\.rawValue).joined(separator: ", ")
        return Condition(
            operandFirst: subject.0, operandLast: subject.1, types: types, negated: false,
            first: isKeyword ? keyword : first, last: labelEnd, form: form,
            intentEnd: max(intentEnd, tokens[labelEnd].line))
    }

    /// The expression a `switch`/`case`/`match` tests, for the label at `keyword`.
    func switchSubject(keyword: Int) -> (Int, Int)? {
        let token = tokens[keyword]
        if token.isIdentifier("when") || (language == .python && token.isIdentifier("case")) {
            // Ruby's `case x` / Python's `match x:`: the nearest line above that opens one.
            let opener = language == .python ? "match" : "case"
            var cursor = keyword - 1
            while cursor >= 0 && tokens[keyword].line - tokens[cursor].line < 200 {
                if tokens[cursor].isIdentifier(opener)
                    && (cursor == 0 || tokens[cursor - 1].line < tokens[cursor].line),
                    cursor + 1 < tokens.count, tokens[cursor + 1].line == tokens[cursor].line
                {
                    var last = cursor + 1
                    while last + 1 < tokens.count && tokens[last + 1].line == tokens[cursor].line
                        && !tokens[last + 1].isPunctuation(":")
                    {
                        last += 1
                    }
                    if tokens[last].isPunctuation(":") { return nil }
                    return (cursor + 1, last)
                }
                cursor -= 1
            }
            return nil
        }
        // Brace languages: the block the label sits in, and what heads it.
        let block = parent[keyword]
        guard block > 0, isPunctuation(block, "{") else { return nil }
        // switch (x) { … }, match (x) { … }
        if isPunctuation(block - 1, ")"), partner[block - 1] > 0, isIdentifier(partner[block - 1] - 1),
            ["switch", "match"].contains(tokens[partner[block - 1] - 1].text)
        {
            let opening = partner[block - 1]
            guard block - 2 > opening else { return nil }
            return (opening + 1, block - 2)
        }
        // x switch { … } (C#)
        if isIdentifier(block - 1, "switch"), block >= 2 {
            let last = block - 2
            return (expressionStart(endingAt: last), last)
        }
        // switch x { … } (Go, Swift)
        var cursor = block - 1
        while cursor >= 0 && tokens[cursor].line == tokens[block].line && !tokens[cursor].isIdentifier("switch") {
            if tokens[cursor].isClosing, partner[cursor] >= 0 { cursor = partner[cursor] }
            cursor -= 1
        }
        guard cursor >= 0, tokens[cursor].isIdentifier("switch"), cursor + 1 <= block - 1 else { return nil }
        return (cursor + 1, block - 1)
    }

    // MARK: - Report

    mutating func report(_ condition: Condition, access: TypeAccess) {
        markConsumed(condition.first, condition.last)
        let receiver = access.receiver ?? "account"
        let separating = ControllerProperty.allCases.filter { $0.separates(condition.types) }
        // The words of the condition and of the code it guards.
        let firstLine = tokens[min(condition.first, condition.operandFirst)].line
        var words: [String] = []
        var index = firstToken(onOrAfter: firstLine)
        while index < tokens.count && tokens[index].line <= condition.intentEnd {
            let token = tokens[index]
            if token.kind == .identifier || token.kind == .string { words.append(token.text.lowercased()) }
            index += 1
        }
        let intended = separating.filter { property in
            property.intentWords.contains { word in words.contains { $0.contains(word) } }
        }
        let chosen = intended.isEmpty ? separating : intended
        let candidates = chosen.map { property in
            let values = condition.types.reduce(into: Set<String>()) { $0.formUnion(property.values(for: $1)) }
            return Candidate(
                property: property,
                expression: ControllerSyntax.condition(
                    property: property, values: values.sorted(), negated: condition.negated, receiver: receiver,
                    language: language),
                values: Dictionary(
                    uniqueKeysWithValues: LegacyAccountType.allCases.map { ($0.rawValue, property.reported(by: $0)) }))
        }
        let names = condition.types.sorted().map(\.rawValue).joined(separator: ", ")
        var notes: [String] = []
        if access.receiver == nil {
            notes.append(
                "The value tested holds an account's type: test the controller property on the account instead.")
        }
        if candidates.count > 1 {
            notes.append(
                intended.isEmpty
                    ? "The intent is not clear from the code around it: each candidate tells the same accounts apart; keep the one the branch is about."
                    : "The code around it speaks of more than one of these: keep the one the branch is about.")
        }
        if candidates.isEmpty {
            notes.append(
                "It matches every legacy type: accounts created with controller properties report type none or standard."
            )
        }
        let message =
            "Condition on the account's type (\(condition.form)): accounts created with controller properties report type none (or standard), so it stops matching \(names) accounts."
        findings.append(
            finding(
                kind: .condition, first: condition.first, last: condition.last, types: Array(condition.types),
                message: message,
                suggestion: candidates.count == 1 ? candidates[0].expression : nil, candidates: candidates,
                intentKnown: !intended.isEmpty, notes: notes))
    }
}
