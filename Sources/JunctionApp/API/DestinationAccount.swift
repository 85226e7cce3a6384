import ConnectModel
import JunctionDomain

extension Dependencies {
    /// An account a platform sends money to (a transfer's or a destination charge's
    /// destination, a settlement merchant): the platform acts as itself (not through
    /// `Stripe-Account`), and the account is connected to it as a platform (F5, F6).
    func destinationAccount(_ id: String, for call: APICall, param: String, noun: String = "destination")
        async throws -> Account
    {
        guard !call.acting.throughConnection else {
            throw JunctionError.invalid(
                "Money is sent on from the platform's own account: send this request without the Stripe-Account header.",
                param: param)
        }
        guard let grant = try await access.grant(of: call.principal, on: id),
            grant.relation == .controllingPlatform || grant.relation == .connectedPlatform,
            grant.account.id != call.actingAccount
        else { throw JunctionError.noSuch(noun, id, param: param) }
        return grant.account
    }
}
