import StripeKit

func createExpress(stripe: StripeClient) async throws -> ConnectAccount {
    try await stripe.connectAccounts.create(type: .express, country: "US") // expect: creation express
}

func dashboard(account: ConnectAccount) -> Bool {
    if account.type == .express { // expect: condition express
        return true
    }
    switch account.type {
    case .custom: // expect: condition custom
        return collectRequirements(account)
    default:
        return false
    }
}
