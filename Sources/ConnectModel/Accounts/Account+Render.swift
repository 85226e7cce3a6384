/// The account object as the API shows it to one caller.
extension Account {
    /// Renders the account for `relation` (C8: `is_controller` and `requirement_collection` only
    /// for the controlling platform; `external_accounts` only for the controller).
    public func rendered(for relation: AccountRelation?) -> JSONValue {
        let isController = relation == .controllingPlatform
        var controllerJSON: JSONValue = [
            "type": isPlatformControlled ? "application" : "account",
            "fees": ["payer": .string(controller.feesPayer.rawValue)],
            "losses": ["payments": .string(controller.lossesPayments.rawValue)],
            "stripe_dashboard": ["type": .string(controller.dashboard.rawValue)],
        ]
        if isController {
            controllerJSON["is_controller"] = true
            controllerJSON["requirement_collection"] = .string(controller.requirementCollection.rawValue)
        }
        var capabilitiesJSON: [String: JSONValue] = [:]
        for name in capabilities.keys { capabilitiesJSON[name] = .string(capabilityStatus(name).rawValue) }

        var object: [String: JSONValue] = [
            "id": .string(id),
            "object": "account",
            "business_profile": Self.businessProfileDefaults.merging(businessProfile),
            "business_type": JSONValue(businessType),
            "capabilities": .object(capabilitiesJSON),
            "charges_enabled": .bool(chargesEnabled),
            "controller": controllerJSON,
            "country": .string(country),
            "created": .int(created),
            "default_currency": .string(defaultCurrency),
            "details_submitted": .bool(detailsSubmitted),
            "email": JSONValue(email),
            "future_requirements": Self.requirementsJSON(due: [], disabledReason: nil),
            "metadata": .object(metadata.mapValues(JSONValue.string)),
            "payouts_enabled": .bool(payoutsEnabled),
            "requirements": Self.requirementsJSON(due: requirements.currentlyDue, disabledReason: disabledReason),
            "settings": settings,
            "tos_acceptance": JSONValue.object(["date": nil, "ip": nil, "user_agent": nil]).merging(tosAcceptance),
            "type": .string(type.rawValue),
        ]
        if let company {
            object["company"] = Self.withoutSecrets(
                company, ["tax_id": "tax_id_provided", "vat_id": "vat_id_provided"])
        }
        if let individual {
            // The account's one person: an id derived from the account's, so it never changes.
            // What the person still owes: the account's `individual.` requirements, in the
            // person's own terms (`individual.dob.day` → `dob.day`).
            let personDue = requirements.currentlyDue.filter { $0.hasPrefix("individual.") }
                .map { String($0.dropFirst("individual.".count)) }
            let person: JSONValue = [
                "id": .string("person_" + id.dropFirst("acct_".count)), "object": "person", "account": .string(id),
                "created": .int(created), "additional_tos_acceptances": ["account": nil], "us_cfpb_data": nil,
                // Japan-only and optional details Stripe sends as null when it has none.
                "address_kana": nil, "address_kanji": nil, "first_name_kana": nil, "first_name_kanji": nil,
                "last_name_kana": nil, "last_name_kanji": nil, "gender": nil, "maiden_name": nil, "nationality": nil,
                "email": nil, "first_name": nil, "last_name": nil, "phone": nil,
                "requirements": Self.personRequirementsJSON(due: personDue),
                "future_requirements": Self.personRequirementsJSON(due: []),
            ]
            object["individual"] = Self.withoutSecrets(
                person.merging(individual),
                [
                    "id_number": "id_number_provided", "id_number_secondary": "id_number_secondary_provided",
                    "ssn_last_4": "ssn_last_4_provided",
                ])
        }
        object["groups"] = .null
        if isController {
            let destinations = payoutDestinations.map { $0.rendered(account: id) }
            object["external_accounts"] = [
                "object": "list", "data": .array(Array(destinations.prefix(10))),
                "has_more": .bool(destinations.count > 10), "total_count": .int(destinations.count),
                "url": .string("/v1/accounts/\(id)/external_accounts"),
            ]
        }
        return .object(object)
    }

    /// An account rendered for its controller, as anyone else sees it (the inverse of
    /// `rendered(for: .controllingPlatform)` for the fields only the controller gets).
    public static func withoutControllerOnlyFields(_ rendered: JSONValue) -> JSONValue {
        guard case .object(var object) = rendered else { return rendered }
        object["external_accounts"] = nil
        if case .object(var controller)? = object["controller"] {
            controller["is_controller"] = nil
            controller["requirement_collection"] = nil
            object["controller"] = controller.isEmpty ? nil : .object(controller)
        }
        return .object(object)
    }

    /// Why the account cannot take charges, in Stripe's vocabulary.
    public var disabledReason: String? {
        if let rejectedReason {
            switch rejectedReason {
            case "terms_of_service": return "rejected.terms_of_service"
            case let reason where reason.hasPrefix("fraud"): return "rejected.fraud"
            default: return "rejected.other"
            }
        }
        return requirements.isEmpty ? nil : "requirements.past_due"
    }

    /// The capability object of `GET /v1/accounts/{id}/capabilities/{name}`.
    public func renderedCapability(_ name: String) -> JSONValue {
        let state = capabilities[name]
        let status = capabilityStatus(name)
        let due =
            status == .inactive && rejectedReason == nil
            ? requirements.currentlyDue.filter { $0 != "external_account" } : []
        return [
            "id": .string(name),
            "object": "capability",
            "account": .string(id),
            "future_requirements": Self.requirementsJSON(due: [], disabledReason: nil),
            "requested": .bool(state?.requested ?? false),
            "requested_at": JSONValue(state?.requestedAt),
            "requirements": Self.requirementsJSON(
                due: due,
                disabledReason: rejectedReason != nil ? disabledReason : (due.isEmpty ? nil : "requirements.past_due")),
            "status": .string(status.rawValue),
        ]
    }

    static let businessProfileDefaults: JSONValue = [
        "annual_revenue": nil, "estimated_worker_count": nil, "mcc": nil, "monthly_estimated_revenue": nil,
        "name": nil, "product_description": nil, "support_address": nil, "support_email": nil,
        "support_phone": nil, "support_url": nil, "url": nil,
    ]

    /// Government and tax ids are written, never read back: Stripe answers only whether one was
    /// given (`id_number_provided`), to every reader and in events (L3 of the security review).
    static func withoutSecrets(_ value: JSONValue, _ secrets: [String: String]) -> JSONValue {
        var value = value
        for (secret, provided) in secrets {
            let given = value[secret].map { $0 != .null && $0 != "" } ?? false
            value[secret] = nil
            value[provided] = .bool(given || value[provided] == true)
        }
        return value
    }

    /// A person's `requirements`: an account's, without the deadline and the disabled reason.
    static func personRequirementsJSON(due: [String]) -> JSONValue {
        let list = JSONValue.array(due.map(JSONValue.string))
        return [
            "alternatives": [], "currently_due": list, "errors": [], "eventually_due": list, "past_due": list,
            "pending_verification": [],
        ]
    }

    static func requirementsJSON(due: [String], disabledReason: String?) -> JSONValue {
        let list = JSONValue.array(due.map(JSONValue.string))
        return [
            "alternatives": [], "current_deadline": nil, "currently_due": list,
            "disabled_reason": JSONValue(disabledReason),
            "errors": [], "eventually_due": list, "past_due": list, "pending_verification": [],
        ]
    }
}
