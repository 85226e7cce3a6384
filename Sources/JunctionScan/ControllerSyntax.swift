/// Controller properties written in each language's syntax: the hash that replaces `type` on
/// create, and the test that replaces a condition on the type.
enum ControllerSyntax {
    /// Go's Stripe SDK named the create parameters `AccountParams` before v82, `AccountCreateParams` after.
    enum GoParams: Sendable {
        case accountParams
        case accountCreateParams
    }

    /// The controller hash for a legacy type's behaviour, as a value (no key).
    static func controllerValue(
        for type: LegacyAccountType, language: SourceLanguage, quote: String? = nil, go: GoParams = .accountParams
    ) -> String {
        let q = quote ?? language.quote
        let values = ControllerProperty.allCases.map { ($0, $0.requested(by: type)) }
        func value(_ property: ControllerProperty) -> String { values.first { $0.0 == property }!.1 }
        switch language {
        case .python:
            return
                "{\(q)losses\(q): {\(q)payments\(q): \(q)\(value(.lossesPayments))\(q)}, \(q)fees\(q): {\(q)payer\(q): \(q)\(value(.feesPayer))\(q)}, \(q)requirement_collection\(q): \(q)\(value(.requirementCollection))\(q), \(q)stripe_dashboard\(q): {\(q)type\(q): \(q)\(value(.dashboardType))\(q)}}"
        case .ruby, .javascript, .typescript:
            return
                "{ losses: { payments: \(q)\(value(.lossesPayments))\(q) }, fees: { payer: \(q)\(value(.feesPayer))\(q) }, requirement_collection: \(q)\(value(.requirementCollection))\(q), stripe_dashboard: { type: \(q)\(value(.dashboardType))\(q) } }"
        case .php:
            return
                "[\(q)losses\(q) => [\(q)payments\(q) => \(q)\(value(.lossesPayments))\(q)], \(q)fees\(q) => [\(q)payer\(q) => \(q)\(value(.feesPayer))\(q)], \(q)requirement_collection\(q) => \(q)\(value(.requirementCollection))\(q), \(q)stripe_dashboard\(q) => [\(q)type\(q) => \(q)\(value(.dashboardType))\(q)]]"
        case .go:
            let prefix = go == .accountParams ? "AccountController" : "AccountCreateController"
            func constant(_ name: String, _ raw: String) -> String {
                "stripe.String(string(stripe.AccountController\(name)\(camel(raw))))"
            }
            return
                "&stripe.\(prefix)Params{Losses: &stripe.\(prefix)LossesParams{Payments: \(constant("LossesPayments", value(.lossesPayments)))}, Fees: &stripe.\(prefix)FeesParams{Payer: \(constant("FeesPayer", value(.feesPayer)))}, RequirementCollection: \(constant("RequirementCollection", value(.requirementCollection))), StripeDashboard: &stripe.\(prefix)StripeDashboardParams{Type: \(constant("StripeDashboardType", value(.dashboardType)))}}"
        case .java:
            let c = "AccountCreateParams.Controller"
            return
                "\(c).builder().setLosses(\(c).Losses.builder().setPayments(\(c).Losses.Payments.\(value(.lossesPayments).uppercased())).build()).setFees(\(c).Fees.builder().setPayer(\(c).Fees.Payer.\(value(.feesPayer).uppercased())).build()).setRequirementCollection(\(c).RequirementCollection.\(value(.requirementCollection).uppercased())).setStripeDashboard(\(c).StripeDashboard.builder().setType(\(c).StripeDashboard.Type.\(value(.dashboardType).uppercased())).build()).build()"
        case .csharp:
            return
                "new AccountControllerOptions { Losses = new AccountControllerLossesOptions { Payments = \"\(value(.lossesPayments))\" }, Fees = new AccountControllerFeesOptions { Payer = \"\(value(.feesPayer))\" }, RequirementCollection = \"\(value(.requirementCollection))\", StripeDashboard = new AccountControllerStripeDashboardOptions { Type = \"\(value(.dashboardType))\" } }"
        case .swift, .json, .yaml, .sql:
            return ControllerProperty.allCases.map { property in
                "controller" + property.keys.map { "[\($0)]" }.joined() + "=" + value(property)
            }.joined(separator: "&")
        }
    }

    /// The whole parameter (key and value) that replaces `type`, as the site wrote its key.
    static func controllerParameter(
        for type: LegacyAccountType, language: SourceLanguage, keyStyle: KeyStyle, quote: String?,
        go: GoParams = .accountParams
    ) -> String {
        let value = controllerValue(for: type, language: language, quote: quote, go: go)
        let q = quote ?? language.quote
        switch keyStyle {
        case .keywordArgument: return "controller=\(value)"
        case .stringKeyColon: return "\(q)controller\(q): \(value)"
        case .stringKeyArrow: return "\(q)controller\(q) => \(value)"
        case .symbolKeyArrow: return ":controller => \(value)"
        case .bareKeyColon: return "controller: \(value)"
        case .goField: return "Controller: \(value)"
        case .javaSetter: return ".setController(\(value))"
        case .javaMapPut: return "\"controller\", \(javaMap(for: type))"
        case .subscriptString: return "\(q)controller\(q)] = \(value)"
        case .subscriptSymbol: return ":controller] = \(value)"
        case .memberAssignment: return "controller = \(value)"
        case .csharpProperty: return "Controller = \(value)"
        case .swiftLabel: return value
        }
    }

    /// The controller hash as nested `Map.of` calls, for stripe-java's untyped parameters.
    static func javaMap(for type: LegacyAccountType) -> String {
        func value(_ property: ControllerProperty) -> String { "\"\(property.requested(by: type))\"" }
        return
            "Map.of(\"losses\", Map.of(\"payments\", \(value(.lossesPayments))), \"fees\", Map.of(\"payer\", \(value(.feesPayer))), \"requirement_collection\", \(value(.requirementCollection)), \"stripe_dashboard\", Map.of(\"type\", \(value(.dashboardType))))"
    }

    /// How a call site wrote the `type` key.
    enum KeyStyle: Sendable {
        case keywordArgument  // Python: type="express"
        case stringKeyColon  // Python, JavaScript, JSON: "type": "express"
        case stringKeyArrow  // PHP, Ruby: 'type' => 'express'
        case symbolKeyArrow  // Ruby: :type => 'express'
        case bareKeyColon  // Ruby, JavaScript: type: 'express'
        case goField  // Go: Type: stripe.String("express")
        case javaSetter  // Java: .setType(AccountCreateParams.Type.EXPRESS)
        case javaMapPut  // Java: params.put("type", "express")
        case subscriptString  // Python, Ruby, PHP: params["type"] = "express"
        case subscriptSymbol  // Ruby: params[:type] = 'express'
        case memberAssignment  // JavaScript: params.type = 'express'
        case csharpProperty  // C#: Type = "express"
        case swiftLabel  // Swift: type: .express
    }

    /// A condition that holds for `values` of `property`, on `receiver`.
    static func condition(
        property: ControllerProperty, values: [String], negated: Bool, receiver: String, language: SourceLanguage
    ) -> String {
        let q = language.quote
        let (equal, notEqual) = language.equality
        let access: String
        switch language {
        case .python, .ruby, .php, .swift, .json, .yaml, .sql:
            let separator = language == .php ? "->" : "."
            let keys = ["controller"] + property.keys
            if language == .swift {
                access = receiver + "." + keys.map(camelLower).joined(separator: "?.")
            } else {
                access = receiver + separator + keys.joined(separator: separator)
            }
        case .javascript, .typescript:
            access = receiver + "." + (["controller"] + property.keys).joined(separator: "?.")
        case .go, .csharp:
            access = receiver + "." + (["controller"] + property.keys).map(camel).joined(separator: ".")
        case .java:
            access =
                receiver + "." + (["controller"] + property.keys).map { "get\(camel($0))()" }.joined(separator: ".")
        }
        func literal(_ value: String) -> String {
            switch language {
            case .go:
                let name = property.keys.map(camel).joined()
                return "stripe.AccountController\(name)\(camel(value))"
            case .java, .csharp, .swift, .python: return "\"\(value)\""
            default: return "\(q)\(value)\(q)"
            }
        }
        if values.count == 1 {
            let value = literal(values[0])
            if language == .java { return negated ? "!\(value).equals(\(access))" : "\(value).equals(\(access))" }
            return "\(access) \(negated ? notEqual : equal) \(value)"
        }
        let list = values.map(literal)
        let test: String
        switch language {
        case .python: test = "\(access) \(negated ? "not in" : "in") (\(list.joined(separator: ", ")))"
        case .ruby: return (negated ? "!" : "") + "[\(list.joined(separator: ", "))].include?(\(access))"
        case .javascript, .typescript:
            return (negated ? "!" : "") + "[\(list.joined(separator: ", "))].includes(\(access))"
        case .php: return (negated ? "!" : "") + "in_array(\(access), [\(list.joined(separator: ", "))], true)"
        case .java: return (negated ? "!" : "") + "List.of(\(list.joined(separator: ", "))).contains(\(access))"
        case .csharp:
            test = "\(access) is \(negated ? "not (" : "")\(list.joined(separator: " or "))\(negated ? ")" : "")"
        case .swift, .json, .yaml, .sql:
            return (negated ? "!" : "") + "[\(list.joined(separator: ", "))].contains(\(access))"
        case .go:
            return list.map { "\(access) \(negated ? notEqual : equal) \($0)" }.joined(
                separator: negated ? " && " : " || ")
        }
        return test
    }

    /// snake_case to CamelCase: `requirement_collection` → `RequirementCollection`.
    static func camel(_ name: String) -> String {
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func camelLower(_ name: String) -> String {
        let upper = camel(name)
        return upper.prefix(1).lowercased() + upper.dropFirst()
    }
}
