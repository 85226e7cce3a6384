/// Who pays Stripe's fees for the account (`controller.fees.payer`).
///
/// `applicationExpress` and `applicationCustom` are output-only: they mark accounts created with
/// `type=express` / `type=custom` (rule C3).
public enum FeesPayer: String, Sendable, Codable, CaseIterable {
    case account
    case application
    case applicationExpress = "application_express"
    case applicationCustom = "application_custom"

    /// Whether the platform pays (F1): only plain `application`.
    public var platformPays: Bool { self == .application }
}

/// Who is liable for negative balances (`controller.losses.payments`).
public enum LossesPayments: String, Sendable, Codable, CaseIterable {
    case stripe
    case application
}

/// Who collects requirements (`controller.requirement_collection`).
public enum RequirementCollection: String, Sendable, Codable, CaseIterable {
    case stripe
    case application
}

/// Which dashboard the account's owner gets (`controller.stripe_dashboard.type`).
public enum DashboardType: String, Sendable, Codable, CaseIterable {
    case full
    case express
    case none
}

/// The reported account type.
public enum AccountType: String, Sendable, Codable, CaseIterable {
    case standard
    case express
    case custom
    case none
}

/// The four controller properties of an account, fixed at creation (C9).
public struct ControllerProperties: Sendable, Codable, Equatable, Hashable {
    public var feesPayer: FeesPayer
    public var lossesPayments: LossesPayments
    public var requirementCollection: RequirementCollection
    public var dashboard: DashboardType

    public init(
        feesPayer: FeesPayer, lossesPayments: LossesPayments, requirementCollection: RequirementCollection,
        dashboard: DashboardType
    ) {
        self.feesPayer = feesPayer
        self.lossesPayments = lossesPayments
        self.requirementCollection = requirementCollection
        self.dashboard = dashboard
    }

    /// C3: what each legacy type maps to.
    public static let standard = ControllerProperties(
        feesPayer: .account, lossesPayments: .stripe, requirementCollection: .stripe, dashboard: .full)
    public static let express = ControllerProperties(
        feesPayer: .applicationExpress, lossesPayments: .application, requirementCollection: .stripe,
        dashboard: .express)
    public static let custom = ControllerProperties(
        feesPayer: .applicationCustom, lossesPayments: .application, requirementCollection: .application,
        dashboard: .none)

    public static func forType(_ type: AccountType) -> ControllerProperties? {
        switch type {
        case .standard: .standard
        case .express: .express
        case .custom: .custom
        case .none: nil
        }
    }
}

/// The controller properties a create request named; a `nil` field was left out.
public struct ControllerRequest: Sendable, Equatable {
    public var feesPayer: FeesPayer?
    public var lossesPayments: LossesPayments?
    public var requirementCollection: RequirementCollection?
    public var dashboard: DashboardType?

    public init(
        feesPayer: FeesPayer? = nil, lossesPayments: LossesPayments? = nil,
        requirementCollection: RequirementCollection? = nil, dashboard: DashboardType? = nil
    ) {
        self.feesPayer = feesPayer
        self.lossesPayments = lossesPayments
        self.requirementCollection = requirementCollection
        self.dashboard = dashboard
    }

    /// C2: a property left out takes the value with the least onboarding work.
    public var withDefaults: ControllerProperties {
        ControllerProperties(
            feesPayer: feesPayer ?? .account, lossesPayments: lossesPayments ?? .stripe,
            requirementCollection: requirementCollection ?? .stripe, dashboard: dashboard ?? .full)
    }
}
