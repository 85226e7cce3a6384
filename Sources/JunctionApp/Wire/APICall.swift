import ConnectModel
import HTTPTypes
import Hummingbird
import JunctionDomain
import StripeForm

/// How an authenticated call reaches the account it acts as: decided once, before its handler.
struct Acting: Sendable {
    var principal: Principal
    /// The `Stripe-Account` header, when sent.
    var stripeAccount: String?
    /// The account whose objects the call reads and writes: the `Stripe-Account` it was granted,
    /// or the caller's own (for an OAuth token, its connected account).
    var account: String
    /// Through a connection (an OAuth token, or `Stripe-Account` naming another account).
    var throughConnection: Bool
    /// The API version the response is rendered at (`Stripe-Version`, else the key's account's).
    var version: APIVersion
}

/// One authenticated API call, after its parameters were validated.
struct APICall: Sendable {
    var acting: Acting
    var params: Params
    var request: Request
    var context: JunctionContext
    /// The time on Junction's clock when the call began.
    var now: Int

    var principal: Principal { acting.principal }
    var stripeAccount: String? { acting.stripeAccount }
    var actingAccount: String { acting.account }

    /// What events caused by this call report as their request.
    var requestInfo: RequestInfo {
        RequestInfo(
            id: context.requestID, idempotencyKey: request.method == .post ? request.headers[.idempotencyKey] : nil)
    }

    /// The call as the domain sees it: the acting account, and the application when the call
    /// comes through a connection (it collects application fees).
    var caller: Caller {
        Caller(
            account: acting.account, application: acting.throughConnection ? principal.application : nil,
            request: requestInfo, now: now)
    }

    /// A path parameter (`:id`).
    func path(_ name: String = "id") throws -> String { try context.parameters.require(name) }

    /// `limit`, `starting_after` / `ending_before` and `created` of a list call.
    func page() throws -> PageRequest {
        PageRequest(
            limit: params["limit"]?.integer ?? 10, cursor: try ListEnvelope.cursor(params),
            created: CommonParams.createdFilter(params["created"]))
    }

    /// The validated parameters as a document patch, without `expand` and `skipped`.
    func patch(leaving skipped: Set<String> = []) -> JSONValue { CommonParams.patch(params, leaving: skipped) }
}

/// What a handler answers: a status and a JSON object.
struct APIResult: Sendable {
    var status: HTTPResponse.Status = .ok
    var body: JSONValue

    init(status: HTTPResponse.Status = .ok, body: JSONValue) {
        self.status = status
        self.body = body
    }

    init(_ object: StoredObject) { self.init(body: object.publicDocument) }
}
