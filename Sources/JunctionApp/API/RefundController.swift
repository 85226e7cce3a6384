import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Refunds of charges on the acting account (A5, F2, F3), and the application fees a platform
/// collected, with their refunds.
struct RefundController: Sendable {
    let dependencies: Dependencies

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/refunds", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/refunds", to: router,
            CommonParams.list(["charge": ParamSpec(.string), "payment_intent": ParamSpec(.string)]),
            handlers.list(.refund) { params in
                ObjectFilter(
                    parent: params["charge"]?.string,
                    fields: params["payment_intent"]?.string.map { ["payment_intent": $0] } ?? [:])
            })
        endpoint.add(.get, "/v1/refunds/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.refund))
        endpoint.add(.post, "/v1/refunds/:id", to: router, Self.update, handlers.update(.refund))
        endpoint.add(.post, "/v1/refunds/:id/cancel", to: router, CommonParams.expandOnly, cancel)
        endpoint.add(
            .get, "/v1/application_fees", to: router, CommonParams.list(["charge": ParamSpec(.string)]),
            handlers.list(.applicationFee) { ObjectFilter(parent: $0["charge"]?.string) })
        endpoint.add(
            .get, "/v1/application_fees/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.applicationFee))
        endpoint.add(.post, "/v1/application_fees/:id/refunds", to: router, Self.feeRefund, refundFee)
        endpoint.add(.get, "/v1/application_fees/:id/refunds", to: router, CommonParams.list(), listFeeRefunds)
        endpoint.add(
            .get, "/v1/application_fees/:id/refunds/:refund", to: router, CommonParams.expandOnly, retrieveFeeRefund)
        endpoint.add(.post, "/v1/application_fees/:id/refunds/:refund", to: router, Self.update, updateFeeRefund)
    }

    static let create = ParamSchema([
        "charge": ParamSpec(.string),
        "payment_intent": ParamSpec(.string),
        "amount": ParamSpec(.integer(min: 1)),
        "reason": ParamSpec(.enumeration(["duplicate", "fraudulent", "requested_by_customer"])),
        "refund_application_fee": ParamSpec(.boolean),
        "reverse_transfer": ParamSpec(.boolean),
        "metadata": CommonParams.metadata,
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema(["metadata": CommonParams.metadata, "expand": ParamSchema.expand])
    static let feeRefund = ParamSchema([
        "amount": ParamSpec(.integer(min: 1)), "metadata": CommonParams.metadata, "expand": ParamSchema.expand,
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let request = Refunds.Request(
            charge: params["charge"]?.string, paymentIntent: params["payment_intent"]?.string,
            amount: params["amount"]?.integer, reason: params["reason"]?.string,
            refundApplicationFee: params["refund_application_fee"]?.boolean == true,
            reverseTransfer: params["reverse_transfer"]?.boolean == true,
            metadata: params["metadata"].map(CommonParams.json) ?? [:])
        return APIResult(try await dependencies.refunds.create(request, caller: call.caller))
    }

    @Sendable func cancel(_ call: APICall) async throws -> APIResult {
        let refund = try await dependencies.objects.load(.refund, try call.path(), account: call.actingAccount)
        throw JunctionError.invalid(
            "Refund \(refund.id) cannot be canceled because it has a status of \(refund.statusValue ?? ""). Only refunds with a status of requires_action can be canceled.",
            code: "refund_not_cancelable")
    }

    @Sendable func refundFee(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.applicationFees.refund(
                try call.path(), amount: call.params["amount"]?.integer,
                metadata: call.params["metadata"].map(CommonParams.json) ?? [:], caller: call.caller))
    }

    @Sendable func listFeeRefunds(_ call: APICall) async throws -> APIResult {
        let fee = try await dependencies.objects.load(.applicationFee, try call.path(), account: call.actingAccount)
        let page = try await dependencies.objects.list(
            .feeRefund, account: call.actingAccount, filter: ObjectFilter(parent: fee.id), page: try call.page())
        return APIResult(body: ListEnvelope.list(page, url: Resource.feeRefunds(of: fee.id)))
    }

    @Sendable func retrieveFeeRefund(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.applicationFees.refundOf(
                try call.path(), try call.path("refund"), account: call.actingAccount))
    }

    @Sendable func updateFeeRefund(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await dependencies.applicationFees.updateRefund(
                try call.path(), try call.path("refund"), patch: call.patch(), caller: call.caller))
    }
}
