import ConnectModel
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import JunctionDomain
import JunctionStorage
import NIOCore
import StripeForm

/// Turns a handler into an API route: reads the body, authenticates (A1), decides A2–A4 from
/// ``AuthorizationTable`` before anything runs, applies idempotency (POST), validates
/// parameters, expands `expand[]` and renders errors the Stripe way. Every API route goes
/// through here, so the wire rules hold the same everywhere.
struct EndpointFactory: Sendable {
    let dependencies: Dependencies

    /// Adds an API route; what it may do comes from ``AuthorizationTable``.
    func add(
        _ method: HTTPRequest.Method, _ path: String, to router: Router<JunctionContext>, _ schema: ParamSchema,
        _ handler: @escaping @Sendable (APICall) async throws -> APIResult
    ) {
        let access = AuthorizationTable.access(method, path)
        dependencies.openAPI.record(method, path, schema)
        router.on(RouterPath(path), method: method) { request, context in
            await run(schema, access, handler, request: request, context: context)
        }
    }

    private func run(
        _ schema: ParamSchema, _ access: RouteAccess,
        _ handler: @escaping @Sendable (APICall) async throws -> APIResult,
        request: Request, context: JunctionContext
    ) async -> Response {
        let body: ByteBuffer
        do {
            body = try await BodyReader.read(request, limit: BodyReader.apiLimit)
        } catch {
            return JunctionError.from(error).response(on: .api)
        }
        // From here the request has one time budget for the database, whatever it does: it is
        // answered (503 then, to be retried) before a client's timeout, even while PostgreSQL
        // restarts. Storing an idempotent answer has a budget of its own, after this one.
        let key = request.method == .post ? request.headers[.idempotencyKey].flatMap { $0.isEmpty ? nil : $0 } : nil
        do {
            return try await RequestBudget.within(Self.budget) {
                let acting = try await authorize(request, access: access)
                var response: Response
                if let key {
                    response = try await idempotently(
                        key, schema, handler, request: request, body: body, acting: acting, context: context)
                } else {
                    response = await execute(
                        schema, handler, request: request, body: body, acting: acting, context: context
                    ).response
                }
                response.headers[.stripeVersion] = acting.version.description
                return response
            }
        } catch {
            return JunctionError.from(error).response(on: .api)
        }
    }

    /// How long a request may wait on the database before it is answered 503.
    static let budget: Duration = .seconds(20)
    /// How long storing an idempotent answer is retried before it is left to ``Bookkeeping``.
    static let answerBudget: Duration = .seconds(8)

    /// A1–A4: who calls, which account it acts as, and whether the route allows it.
    private func authorize(_ request: Request, access: RouteAccess) async throws -> Acting {
        guard let key = KeyHeader.key(from: request.headers[.authorization]) else { throw JunctionError.missingKey() }
        let principal = try await dependencies.authentication.principal(key: key)
        let stripeAccount = request.headers[.stripeAccount].flatMap { $0.isEmpty ? nil : $0 }
        let account = stripeAccount ?? principal.account.id
        // A2–A4, before anything runs: a `Stripe-Account` the caller is not connected to is
        // refused, and the table decides what a connection of its scope may do here.
        var scope: Connection.Scope?
        let throughConnection = principal.actsThroughConnection(on: account)
        if throughConnection {
            guard let grant = try await dependencies.access.grant(of: principal, on: account) else {
                throw JunctionError.noAccess(key: principal.key, account: account)
            }
            scope = grant.relation == .owner ? nil : grant.scope
        }
        if let refusal = AuthorizationTable.refusal(access, through: scope, acting: account) { throw refusal }
        let version = try await dependencies.versions.version(
            header: request.headers[.stripeVersion], principal: principal)
        return Acting(
            principal: principal, stripeAccount: stripeAccount, account: account,
            throughConnection: throughConnection, version: version)
    }

    private func idempotently(
        _ key: String, _ schema: ParamSchema, _ handler: @escaping @Sendable (APICall) async throws -> APIResult,
        request: Request, body: ByteBuffer, acting: Acting, context: JunctionContext
    ) async throws -> Response {
        let store = dependencies.store
        let scope = acting.principal.idempotencyScope
        if key.count > 255 {
            throw JunctionError(.idempotency, message: "Idempotency keys can be at most 255 characters long.")
        }
        let fingerprint = Self.fingerprint(request: request, body: body, stripeAccount: acting.stripeAccount)
        let claim = context.requestID
        let claimed: IdempotencyClaim
        do {
            claimed = try await store.claimIdempotent(
                scope: scope, key: key, requestHash: fingerprint, claim: claim, now: dependencies.clock.now())
        } catch StoreError.unavailable(let reason) {
            // The claim may have been written before the connection was lost: give it back once
            // the database answers, or every retry would meet it in flight.
            await release(key, scope: scope, claim: claim)
            throw StoreError.unavailable(reason)
        }
        switch claimed {
        case .inFlight:
            throw JunctionError(
                .conflict, code: "idempotency_key_in_use",
                message:
                    "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): \(key). Please try again later."
            )
        case .mismatch:
            throw JunctionError(
                .idempotency,
                message:
                    "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '\(key)' if you meant to execute a different request."
            )
        case .replay(let stored):
            var response = JSONResponse.make(
                status: HTTPResponse.Status(code: stored.status), body: Array(stored.body.utf8))
            response.headers[.idempotentReplayed] = "true"
            response.headers[.originalRequest] = stored.requestID
            return response
        case .started:
            let outcome = await execute(schema, handler, request: request, body: body, acting: acting, context: context)
            if outcome.response.status == .serviceUnavailable {
                // Nothing was done (the database was out of reach): a retry with this key runs it.
                await release(key, scope: scope, claim: claim)
                return outcome.response
            }
            let answer = StoredResponse(
                status: Int(outcome.response.status.code), body: String(decoding: outcome.body, as: UTF8.self),
                requestID: context.requestID)
            // The answer is kept even if the database just went away (a restart): a retry with
            // this key must replay it, never run the work a second time. Its own budget, as the
            // request's may be spent; past it, bookkeeping goes on writing it in the background
            // (retries get 409 meanwhile).
            let finish: @Sendable () async throws -> Void = {
                try await store.finishIdempotent(scope: scope, key: key, response: answer)
            }
            let kept = await RequestBudget.anew(Self.answerBudget) {
                await StoreRetry.persistently(
                    for: Self.answerBudget, logger: context.logger, what: "the answer to \(key)"
                ) { try await finish() }
            }
            if !kept { dependencies.bookkeeping.later("the answer to \(key)", finish) }
            return outcome.response
        }
    }

    /// Gives `key` back for a retry to run; if the database is still away, once it is back.
    private func release(_ key: String, scope: String, claim: String) async {
        let store = dependencies.store
        let release: @Sendable () async throws -> Void = {
            try await store.releaseIdempotent(scope: scope, key: key, claim: claim)
        }
        do {
            try await RequestBudget.anew(.seconds(3), release)
        } catch {
            dependencies.bookkeeping.later("the release of \(key)", release)
        }
    }

    private func execute(
        _ schema: ParamSchema, _ handler: @escaping @Sendable (APICall) async throws -> APIResult,
        request: Request, body: ByteBuffer, acting: Acting, context: JunctionContext
    ) async -> (response: Response, body: [UInt8]) {
        do {
            let params = try ParamValidator.validate(try BodyReader.form(request, body: body), against: schema)
            let call = APICall(
                acting: acting, params: params, request: request, context: context, now: dependencies.clock.now())
            var result = try await handler(call)
            // The one place a response takes the shape of its API version: first the object,
            // then each object `expand[]` brings in, so that what only older versions show (an
            // invoice's `payment_intent`) can be expanded, and nothing is rendered twice.
            let versions = dependencies.versions
            let (version, account) = (acting.version, acting.account)
            result.body = try await versions.render(result.body, at: version, account: account)
            if !params.expand.isEmpty {
                let resolver = dependencies.resolver(for: call)
                let includer = dependencies.includer(actingAccount: call.actingAccount)
                result.body = try await Expansion.apply(
                    params.expand, to: result.body,
                    resolver: { id in
                        guard let object = try await resolver(id) else { return nil }
                        return try await versions.render(object, at: version, account: account)
                    },
                    includer: { object, property in
                        guard let included = try await includer(object, property) else { return nil }
                        return try await versions.render(included, at: version, account: account)
                    })
            }
            let bytes = result.body.serialized()
            return (JSONResponse.make(status: result.status, body: bytes), bytes)
        } catch {
            let failure = JunctionError.from(error)
            if failure.kind == .internal { context.logger.error("request failed: \(error)") }
            let bytes = failure.stripeJSON.serialized()
            return (JSONResponse.make(status: failure.status, body: bytes), bytes)
        }
    }

    /// What makes two requests "the same" for idempotency.
    static func fingerprint(request: Request, body: ByteBuffer, stripeAccount: String?) -> String {
        var hasher = SHA256()
        // The query too: parameters may come there, and another query is another request (L8).
        hasher.update(
            data: Data(
                "\(request.method.rawValue) \(request.uri.path)?\(request.uri.query ?? "")\n\(stripeAccount ?? "")\n"
                    .utf8))
        // The parameters, not their bytes: `metadata[n]=1` and `metadata%5Bn%5D=1` are one request.
        // A body that does not parse is refused later; its bytes stand for it.
        if let form = try? BodyReader.form(request, body: body) {
            hasher.update(data: Data(form.canonicalForm.utf8))
        } else {
            hasher.update(data: Data(body.readableBytesView))
        }
        return Identifiers.hex(hasher.finalize())
    }
}
