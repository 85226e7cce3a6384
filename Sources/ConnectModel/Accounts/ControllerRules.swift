/// Rules C1–C6: from a create request's `type` and `controller` to the account's controller
/// properties and reported type.
public enum ControllerRules {
    public static let feesParam = "controller[fees][payer]"
    public static let lossesParam = "controller[losses][payments]"
    public static let collectionParam = "controller[requirement_collection]"
    public static let dashboardParam = "controller[stripe_dashboard][type]"

    /// Resolves the controller properties and reported type of a new account.
    ///
    /// - Parameters:
    ///   - type: `type` as sent (`standard`, `express`, `custom`), or `nil`.
    ///   - controller: the controller properties as sent, or `nil` when `controller` was absent.
    public static func resolve(type: AccountType?, controller: ControllerRequest?) throws(JunctionError) -> (
        type: AccountType, controller: ControllerProperties
    ) {
        if let type {
            // C5: the two ways of configuring an account exclude each other.
            if controller != nil {
                throw .invalid(
                    "You cannot specify both `type` and `controller` when creating an account. Use controller properties (recommended) or type, not both.",
                    param: "type")
            }
            guard let properties = ControllerProperties.forType(type) else {
                throw .invalid("Invalid type: must be one of standard, express, or custom.", param: "type")
            }
            return (type, properties)
        }
        let properties = (controller ?? ControllerRequest()).withDefaults
        try check(properties)
        // C4: controller-configured accounts report `standard` only when they equal the Standard row.
        return (properties == .standard ? .standard : .none, properties)
    }

    /// C6: the unsupported combinations, checked in the order the documentation lists them.
    public static func check(_ p: ControllerProperties) throws(JunctionError) {
        func conflict(_ param: String, _ a: String, _ b: String) -> JunctionError {
            .invalid(
                "The combination \(a) and \(b) is not supported. \(a) cannot be used together with \(b).", param: param)
        }
        let rc = "\(collectionParam)=\(p.requirementCollection.rawValue)"
        let dash = "\(dashboardParam)=\(p.dashboard.rawValue)"
        let losses = "\(lossesParam)=\(p.lossesPayments.rawValue)"
        let fees = "\(feesParam)=\(p.feesPayer.rawValue)"

        if p.requirementCollection == .application {
            if p.lossesPayments == .stripe { throw conflict(collectionParam, rc, losses) }
            if p.feesPayer == .account { throw conflict(collectionParam, rc, fees) }
            if p.dashboard == .express || p.dashboard == .full { throw conflict(collectionParam, rc, dash) }
        }
        if p.dashboard == .express {
            if p.lossesPayments == .stripe { throw conflict(dashboardParam, dash, losses) }
            if p.feesPayer == .account { throw conflict(dashboardParam, dash, fees) }
            if p.requirementCollection == .application { throw conflict(dashboardParam, dash, rc) }
        }
        if p.dashboard == .full {
            if p.lossesPayments == .application { throw conflict(dashboardParam, dash, losses) }
            if p.feesPayer != .account { throw conflict(dashboardParam, dash, fees) }
            if p.requirementCollection == .application { throw conflict(dashboardParam, dash, rc) }
        }
        if p.dashboard == .none, p.requirementCollection == .stripe, p.lossesPayments == .application {
            throw .invalid(
                "The combination \(dash), \(rc) and \(losses) is not supported: an account without a dashboard whose platform is liable for losses must have its requirements collected by the platform.",
                param: dashboardParam)
        }
        if p.lossesPayments == .application, p.feesPayer == .account {
            throw conflict(lossesParam, losses, fees)
        }
    }
}
