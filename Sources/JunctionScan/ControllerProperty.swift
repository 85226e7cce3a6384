import ConnectModel

/// The three legacy account types and the controller values each maps to (C3).
public enum LegacyAccountType: String, Sendable, CaseIterable, Codable, Comparable {
    case standard
    case express
    case custom

    public init?(name: String) {
        self.init(rawValue: name.lowercased())
    }

    var controller: ControllerProperties {
        switch self {
        case .standard: .standard
        case .express: .express
        case .custom: .custom
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One of the four controller properties, each carrying one intent a legacy type stood for.
public enum ControllerProperty: String, Sendable, CaseIterable, Codable {
    case lossesPayments = "controller.losses.payments"
    case feesPayer = "controller.fees.payer"
    case requirementCollection = "controller.requirement_collection"
    case dashboardType = "controller.stripe_dashboard.type"

    /// What the property answers.
    public var intent: String {
        switch self {
        case .lossesPayments: "who is liable for negative balances (loss liability)"
        case .feesPayer: "who pays Stripe's fees"
        case .requirementCollection: "who collects requirements (onboarding, verification)"
        case .dashboardType: "which Stripe dashboard the account's owner uses"
        }
    }

    /// Words whose presence near a condition shows that this is what it is about.
    var intentWords: [String] {
        switch self {
        case .lossesPayments:
            ["loss", "negative", "liab", "reserve", "dispute", "chargeback", "risk", "debit_negative"]
        case .feesPayer: ["fee", "pricing", "commission", "take_rate", "takerate", "surcharge"]
        case .requirementCollection:
            [
                "requirement", "onboard", "verif", "kyc", "account_link", "accountlink", "currently_due", "past_due",
                "eventually_due", "identity", "document", "tos_acceptance", "person",
            ]
        case .dashboardType: ["dashboard", "login_link", "loginlink", "createloginlink"]
        }
    }

    /// The value a legacy type reports, as it reads in responses.
    public func reported(by type: LegacyAccountType) -> String {
        let controller = type.controller
        switch self {
        case .lossesPayments: return controller.lossesPayments.rawValue
        case .feesPayer: return controller.feesPayer.rawValue
        case .requirementCollection: return controller.requirementCollection.rawValue
        case .dashboardType: return controller.dashboard.rawValue
        }
    }

    /// The value to send on create for a legacy type's behaviour: `application_express` and
    /// `application_custom` are output-only, `application` is what a request sends.
    public func requested(by type: LegacyAccountType) -> String {
        let value = reported(by: type)
        return self == .feesPayer && value.hasPrefix("application") ? "application" : value
    }

    /// The path under `controller`, one key per level.
    var keys: [String] {
        switch self {
        case .lossesPayments: ["losses", "payments"]
        case .feesPayer: ["fees", "payer"]
        case .requirementCollection: ["requirement_collection"]
        case .dashboardType: ["stripe_dashboard", "type"]
        }
    }

    /// Every value an account of a legacy type's behaviour may report: the type-created one
    /// (`application_express`) and the controller-created one (`application`).
    func values(for type: LegacyAccountType) -> Set<String> {
        [reported(by: type), requested(by: type)]
    }

    /// Whether the property tells the types in `set` from the others, counting accounts created
    /// with controller properties (whose `fees.payer` is plain `application`).
    func separates(_ set: Set<LegacyAccountType>) -> Bool {
        let inside = set.reduce(into: Set<String>()) { $0.formUnion(values(for: $1)) }
        let outside = LegacyAccountType.allCases.filter { !set.contains($0) }
            .reduce(into: Set<String>()) { $0.formUnion(values(for: $1)) }
        return !inside.isEmpty && !outside.isEmpty && inside.isDisjoint(with: outside)
    }
}
