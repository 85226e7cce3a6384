import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Transfers from a platform to its connected accounts, and their reversals (separate charges
/// and transfers).
struct TransferController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/transfers", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/transfers", to: router,
            CommonParams.list(["destination": ParamSpec(.string), "transfer_group": ParamSpec(.string)]),
            handlers.list(.transfer) { params in
                ObjectFilter(
                    parent: params["destination"]?.string,
                    fields: params["transfer_group"]?.string.map { ["transfer_group": $0] } ?? [:])
            })
        endpoint.add(.get, "/v1/transfers/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.transfer))
        endpoint.add(.post, "/v1/transfers/:id", to: router, Self.update, handlers.update(.transfer))
        endpoint.add(.post, "/v1/transfers/:id/reversals", to: router, Self.reverse, reverse)
        endpoint.add(.get, "/v1/transfers/:id/reversals", to: router, CommonParams.list(), listReversals)
        endpoint.add(
            .get, "/v1/transfers/:id/reversals/:reversal", to: router, CommonParams.expandOnly, retrieveReversal)
        endpoint.add(
            .post, "/v1/transfers/:id/reversals/:reversal", to: router, Self.updateReversal, updateReversal)
    }

    static let create = ParamSchema([
        "amount": ParamSpec(.integer(min: 1, max: Amounts.maximumCharge), required: true),
        "currency": ParamSpec(.string(maxLength: 3), required: true),
        "destination": ParamSpec(.string, required: true),
        "description": ParamSpec(.string(maxLength: 1000)),
        "source_transaction": ParamSpec(.string),
        "source_type": ParamSpec(.enumeration(["bank_account", "card", "fpx"])),
        "transfer_group": ParamSpec(.string),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema([
        "description": ParamSpec(.string(maxLength: 1000), unsettable: true), "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let reverse = ParamSchema([
        "amount": ParamSpec(.integer(min: 1, max: Amounts.maximumCharge)),
        "description": ParamSpec(.string(maxLength: 1000)),
        "refund_application_fee": ParamSpec(.boolean),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let updateReversal = ParamSchema(["metadata": CommonParams.metadata, "expand": ParamSchema.expand])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let destinationID = params["destination"]?.string ?? ""
        let destination = try await dependencies.destinationAccount(destinationID, for: call, param: "destination")
        let request = Transfers.Request(
            amount: params["amount"]?.integer ?? 0,
            currency: try Currency.validated(params["currency"]?.string ?? ""),
            destination: destinationID, description: params["description"]?.string,
            sourceTransaction: params["source_transaction"]?.string, transferGroup: params["transfer_group"]?.string,
            metadata: params["metadata"].map(CommonParams.json) ?? [:])
        return APIResult(
            try await dependencies.transfers.create(request, destination: destination, caller: call.caller))
    }

    @Sendable func reverse(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.transfers.reverse(
                try call.path(), amount: call.params["amount"]?.integer,
                description: call.params["description"]?.string,
                metadata: call.params["metadata"].map(CommonParams.json) ?? [:],
                refundApplicationFee: call.params["refund_application_fee"]?.boolean == true, caller: call.caller))
    }

    @Sendable func listReversals(_ call: APICall) async throws -> APIResult {
        let transfer = try await dependencies.objects.load(.transfer, try call.path(), account: call.actingAccount)
        let page = try await dependencies.objects.list(
            .transferReversal, account: call.actingAccount, filter: ObjectFilter(parent: transfer.id),
            page: try call.page())
        return APIResult(body: ListEnvelope.list(page, url: Resource.transferReversals(of: transfer.id)))
    }

    @Sendable func retrieveReversal(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.transfers.reversalOf(
                try call.path(), try call.path("reversal"), account: call.actingAccount))
    }

    @Sendable func updateReversal(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.transfers.updateReversal(
                try call.path(), try call.path("reversal"), patch: call.patch(), caller: call.caller))
    }
}
