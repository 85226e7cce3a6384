import ConnectModel
import JunctionDomain
import StripeForm

/// The parameters of the Accounts API and their translation into domain requests.
enum AccountParams {
    static let address = CommonParams.address

    static let businessProfile = ParamType.object([
        "mcc": ParamSpec(.string(maxLength: 4), unsettable: true),
        "name": ParamSpec(.string, unsettable: true),
        "product_description": ParamSpec(.string(maxLength: 40_000), unsettable: true),
        "support_address": ParamSpec(address, unsettable: true),
        "support_email": ParamSpec(.string, unsettable: true),
        "support_phone": ParamSpec(.string, unsettable: true),
        "support_url": ParamSpec(.string, unsettable: true),
        "url": ParamSpec(.string, unsettable: true),
        "estimated_worker_count": ParamSpec(.integer(min: 0)),
    ])

    static let dob = ParamType.object([
        "day": ParamSpec(.integer(min: 1, max: 31), required: true),
        "month": ParamSpec(.integer(min: 1, max: 12), required: true),
        "year": ParamSpec(.integer(min: 1900, max: 2100), required: true),
    ])

    static let company = ParamType.object([
        "name": ParamSpec(.string(maxLength: 100), unsettable: true),
        "phone": ParamSpec(.string, unsettable: true),
        "tax_id": ParamSpec(.string, unsettable: true),
        "registration_number": ParamSpec(.string, unsettable: true),
        "structure": ParamSpec(.string, unsettable: true),
        "address": ParamSpec(address),
        // The platform says every owner, director or executive has been given as a person.
        "owners_provided": ParamSpec(.boolean),
        "directors_provided": ParamSpec(.boolean),
        "executives_provided": ParamSpec(.boolean),
    ])

    /// `POST /v1/accounts/{id}/persons` and its update.
    static let person = ParamSchema([
        "first_name": ParamSpec(.string(maxLength: 100), unsettable: true),
        "last_name": ParamSpec(.string(maxLength: 100), unsettable: true),
        "email": ParamSpec(.string, unsettable: true),
        "phone": ParamSpec(.string, unsettable: true),
        "id_number": ParamSpec(.string, unsettable: true),
        "id_number_secondary": ParamSpec(.string, unsettable: true),
        "ssn_last_4": ParamSpec(.string(maxLength: 4), unsettable: true),
        "dob": ParamSpec(.oneOf([dob]), unsettable: true),
        "address": ParamSpec(address),
        "registered_address": ParamSpec(address),
        "nationality": ParamSpec(.string(maxLength: 2), unsettable: true),
        "gender": ParamSpec(.string, unsettable: true),
        "maiden_name": ParamSpec(.string, unsettable: true),
        "political_exposure": ParamSpec(.enumeration(["existing", "none"])),
        "relationship": ParamSpec(
            .object([
                "representative": ParamSpec(.boolean), "owner": ParamSpec(.boolean),
                "director": ParamSpec(.boolean), "executive": ParamSpec(.boolean),
                "title": ParamSpec(.string(maxLength: 5000), unsettable: true),
                "percent_ownership": ParamSpec(CommonParams.decimal, unsettable: true),
            ])),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])

    static let individual = ParamType.object([
        "first_name": ParamSpec(.string(maxLength: 100), unsettable: true),
        "last_name": ParamSpec(.string(maxLength: 100), unsettable: true),
        "email": ParamSpec(.string, unsettable: true),
        "phone": ParamSpec(.string, unsettable: true),
        "id_number": ParamSpec(.string, unsettable: true),
        "ssn_last_4": ParamSpec(.string(maxLength: 4), unsettable: true),
        "dob": ParamSpec(.oneOf([dob]), unsettable: true),
        "address": ParamSpec(address),
        "metadata": CommonParams.metadata,
    ])

    static let settings = ParamType.object([
        "branding": ParamSpec(
            .object([
                "icon": ParamSpec(.string, unsettable: true), "logo": ParamSpec(.string, unsettable: true),
                "primary_color": ParamSpec(.string(maxLength: 7), unsettable: true),
                "secondary_color": ParamSpec(.string(maxLength: 7), unsettable: true),
            ])),
        "card_payments": ParamSpec(
            .object([
                "statement_descriptor_prefix": ParamSpec(.string(maxLength: 10), unsettable: true),
                "decline_on": ParamSpec(
                    .object(["avs_failure": ParamSpec(.boolean), "cvc_failure": ParamSpec(.boolean)])),
            ])),
        "dashboard": ParamSpec(
            .object([
                "display_name": ParamSpec(.string, unsettable: true), "timezone": ParamSpec(.string(maxLength: 50)),
            ])),
        "payments": ParamSpec(
            .object([
                "statement_descriptor": ParamSpec(.string(maxLength: 22), unsettable: true),
                "statement_descriptor_kana": ParamSpec(.string(maxLength: 22), unsettable: true),
                "statement_descriptor_kanji": ParamSpec(.string(maxLength: 17), unsettable: true),
            ])),
        "payouts": ParamSpec(
            .object([
                "debit_negative_balances": ParamSpec(.boolean),
                "statement_descriptor": ParamSpec(.string(maxLength: 22), unsettable: true),
                "schedule": ParamSpec(
                    .object([
                        "delay_days": ParamSpec(.oneOf([.enumeration(["minimum"]), .integer(min: 2, max: 365)])),
                        "interval": ParamSpec(.enumeration(["daily", "manual", "monthly", "weekly"])),
                        "monthly_anchor": ParamSpec(.integer(min: 1, max: 31)),
                        "weekly_anchor": ParamSpec(
                            .enumeration(["friday", "monday", "saturday", "sunday", "thursday", "tuesday", "wednesday"])
                        ),
                    ])),
            ])),
    ])

    static let tosAcceptance = ParamType.object([
        "date": ParamSpec(.integer(min: 0)),
        "ip": ParamSpec(.string(maxLength: 45)),
        "user_agent": ParamSpec(.string, unsettable: true),
        "service_agreement": ParamSpec(.enumeration(["full", "recipient"])),
    ])

    static let capabilities = ParamType.map(.object(["requested": ParamSpec(.boolean)]), keyPattern: .identifier)

    static let businessType = ParamType.enumeration(["company", "government_entity", "individual", "non_profit"])

    /// `external_account`: a token (`btok_…`, a debit card's `tok_…`) or a bank account or
    /// debit card hash.
    static let externalAccount = ParamType.oneOf([
        .string,
        .object([
            "object": ParamSpec(.enumeration(["bank_account", "card"]), required: true),
            "country": ParamSpec(.string(maxLength: 2)),
            "currency": ParamSpec(.string(maxLength: 3)),
            "account_number": ParamSpec(.string),
            "routing_number": ParamSpec(.string),
            "account_holder_name": ParamSpec(.string(maxLength: 5000)),
            "account_holder_type": ParamSpec(.enumeration(["company", "individual"])),
            "number": ParamSpec(.string),
            "exp_month": ParamSpec(.integer(min: 1, max: 12)),
            "exp_year": ParamSpec(.integer(min: 2000, max: 2100)),
            "cvc": ParamSpec(.string),
            "name": ParamSpec(.string),
            "default_for_currency": ParamSpec(.boolean),
            "metadata": CommonParams.metadata,
        ]),
    ])

    static let externalAccountCreate = ParamSchema([
        "external_account": ParamSpec(externalAccount, required: true),
        "default_for_currency": ParamSpec(.boolean),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let externalAccountUpdate = ParamSchema([
        "default_for_currency": ParamSpec(.boolean),
        "metadata": CommonParams.metadata,
        "account_holder_name": ParamSpec(.string(maxLength: 5000)),
        "account_holder_type": ParamSpec(.enumeration(["company", "individual"])),
        "exp_month": ParamSpec(.integer(min: 1, max: 12)),
        "exp_year": ParamSpec(.integer(min: 2000, max: 2100)),
        "name": ParamSpec(.string(maxLength: 5000)),
        "expand": ParamSchema.expand,
    ])

    static let create = ParamSchema([
        "type": ParamSpec(.enumeration(["custom", "express", "standard"])),
        "controller": ParamSpec(
            .object([
                "fees": ParamSpec(.object(["payer": ParamSpec(.enumeration(["account", "application"]))])),
                "losses": ParamSpec(.object(["payments": ParamSpec(.enumeration(["application", "stripe"]))])),
                "requirement_collection": ParamSpec(.enumeration(["application", "stripe"])),
                "stripe_dashboard": ParamSpec(.object(["type": ParamSpec(.enumeration(["express", "full", "none"]))])),
            ])),
        "country": ParamSpec(.string(maxLength: 2)),
        "default_currency": ParamSpec(.string(maxLength: 3)),
        "email": ParamSpec(.string, unsettable: true),
        "business_type": ParamSpec(businessType),
        "business_profile": ParamSpec(businessProfile),
        "company": ParamSpec(company),
        "individual": ParamSpec(individual),
        "settings": ParamSpec(settings),
        "tos_acceptance": ParamSpec(tosAcceptance),
        "external_account": ParamSpec(externalAccount),
        "capabilities": ParamSpec(capabilities),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])

    /// Update takes what create takes except `type`, `controller` and `country` (C9: fixed at creation).
    static let update: ParamSchema = {
        var fields = create.fields
        fields["type"] = nil
        fields["controller"] = nil
        fields["country"] = nil
        fields["business_type"] = ParamSpec(businessType, unsettable: true)
        fields["business_profile"] = ParamSpec(businessProfile, unsettable: true)
        return ParamSchema(fields)
    }()

    static let list = CommonParams.list()

    static let reject = ParamSchema([
        "reason": ParamSpec(.enumeration(Account.rejectReasons), required: true),
        "payouts_action": ParamSpec(.enumeration(["none", "pause"])),
        "expand": ParamSchema.expand,
    ])

    static let capabilityUpdate = ParamSchema(["requested": ParamSpec(.boolean), "expand": ParamSchema.expand])

    static let accountLink = ParamSchema([
        "account": ParamSpec(.string, required: true),
        "type": ParamSpec(.enumeration(AccountLinkType.allCases.map(\.rawValue)), required: true),
        "refresh_url": ParamSpec(.string),
        "return_url": ParamSpec(.string),
        "collect": ParamSpec(.enumeration(["currently_due", "eventually_due"])),
        "collection_options": ParamSpec(
            .object([
                "fields": ParamSpec(.enumeration(["currently_due", "eventually_due"])),
                "future_requirements": ParamSpec(.enumeration(["include", "omit"])),
            ])),
        "expand": ParamSchema.expand,
    ])

    // MARK: Translation

    static func createRequest(_ params: Params) -> AccountCreateRequest {
        var request = AccountCreateRequest()
        request.type = params["type"]?.string.flatMap(AccountType.init(rawValue:))
        if let controller = params["controller"] {
            request.controller = ControllerRequest(
                feesPayer: controller["fees"]?["payer"]?.string.flatMap(FeesPayer.init(rawValue:)),
                lossesPayments: controller["losses"]?["payments"]?.string.flatMap(LossesPayments.init(rawValue:)),
                requirementCollection: controller["requirement_collection"]?.string.flatMap(
                    RequirementCollection.init(rawValue:)),
                dashboard: controller["stripe_dashboard"]?["type"]?.string.flatMap(DashboardType.init(rawValue:)))
        }
        request.country = params["country"]?.string
        request.defaultCurrency = params["default_currency"]?.string
        request.email = params["email"]?.string
        request.businessType = params["business_type"]?.string
        request.businessProfile = params["business_profile"].map(CommonParams.json)
        request.company = params["company"].map(CommonParams.json)
        request.individual = params["individual"].map(CommonParams.json)
        request.settings = params["settings"].map(CommonParams.json)
        request.tosAcceptance = params["tos_acceptance"].map(CommonParams.json)
        request.externalAccount = params["external_account"].map(CommonParams.json)
        request.capabilities = capabilityRequests(params["capabilities"]) ?? [:]
        request.metadata = params["metadata"]?.object?.compactMapValues(\.string) ?? [:]
        return request
    }

    /// A person create or update, as the domain takes it.
    static func personChange(_ call: APICall) throws -> PersonChange {
        let params = call.params
        var details = call.patch(leaving: ["relationship", "metadata"])
        details["metadata"] = nil
        let relationship = params["relationship"]
        var change = PersonChange(
            details: details, representative: relationship?["representative"]?.boolean,
            owner: relationship?["owner"]?.boolean, director: relationship?["director"]?.boolean,
            executive: relationship?["executive"]?.boolean)
        switch relationship?["title"] {
        case .unset?: change.title = .some(nil)
        case let value?: change.title = .some(value.string)
        case nil: break
        }
        switch relationship?["percent_ownership"] {
        case .unset?: change.percentOwnership = .some(nil)
        case let value?:
            change.percentOwnership = .some(
                try CommonParams.decimal(value, param: "relationship[percent_ownership]", in: 0...100))
        case nil: break
        }
        if let object = params["metadata"]?.object {
            change.metadata = object.mapValues { $0.string.flatMap { $0.isEmpty ? nil : $0 } }
        }
        return change
    }

    static func updateRequest(_ params: Params) -> AccountUpdateRequest {
        var request = AccountUpdateRequest()
        request.email = params["email"].map(CommonParams.json)
        request.businessType = params["business_type"].map(CommonParams.json)
        request.defaultCurrency = params["default_currency"]?.string
        request.businessProfile = params["business_profile"].map(CommonParams.json)
        request.company = params["company"].map(CommonParams.json)
        request.individual = params["individual"].map(CommonParams.json)
        request.settings = params["settings"].map(CommonParams.json)
        request.tosAcceptance = params["tos_acceptance"].map(CommonParams.json)
        request.externalAccount = params["external_account"].map(CommonParams.json)
        request.capabilities = capabilityRequests(params["capabilities"])
        switch params["metadata"] {
        case .unset?: request.clearMetadata = true
        case .object(let fields)?: request.metadata = fields.mapValues { $0.string }
        default: break
        }
        return request
    }

    static func capabilityRequests(_ value: ParamValue?) -> [String: Bool]? {
        guard let fields = value?.object else { return nil }
        return fields.compactMapValues { $0["requested"]?.boolean }
    }
}
