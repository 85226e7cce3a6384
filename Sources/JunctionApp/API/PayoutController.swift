import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Payouts of the acting account to its external accounts.
struct PayoutController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/payouts", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/payouts", to: router,
            CommonParams.list([
                "status": ParamSpec(.enumeration(PayoutStatus.allCases.map(\.rawValue))),
                "destination": ParamSpec(.string),
            ]),
            handlers.list(.payout) { params in
                ObjectFilter(parent: params["destination"]?.string, statuses: params["status"]?.string.map { [$0] })
            })
        endpoint.add(.get, "/v1/payouts/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.payout))
        endpoint.add(.post, "/v1/payouts/:id", to: router, Self.update, handlers.update(.payout))
        endpoint.add(.post, "/v1/payouts/:id/cancel", to: router, CommonParams.expandOnly, cancel)
    }

    static let create = ParamSchema([
        "amount": ParamSpec(.integer(min: 1, max: Amounts.maximumCharge), required: true),
        "currency": ParamSpec(.string(maxLength: 3), required: true),
        "destination": ParamSpec(.string),
        "description": ParamSpec(.string(maxLength: 1000)),
        "statement_descriptor": ParamSpec(.string(maxLength: 22)),
        // Instant payouts need a debit card network Junction does not model: standard only.
        "method": ParamSpec(.enumeration(["standard"])),
        "source_type": ParamSpec(.enumeration(["bank_account", "card", "fpx"])),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema(["metadata": CommonParams.metadata, "expand": ParamSchema.expand])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let request = Payouts.Request(
            amount: params["amount"]?.integer ?? 0, currency: try Currency.validated(params["currency"]?.string ?? ""),
            destination: params["destination"]?.string, description: params["description"]?.string,
            statementDescriptor: params["statement_descriptor"]?.string,
            metadata: params["metadata"].map(CommonParams.json) ?? [:])
        return APIResult(try await dependencies.payouts.create(request, caller: call.caller))
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        APIResult(try await dependencies.payouts.cancel(try call.path(), caller: call.caller))
    }
}
