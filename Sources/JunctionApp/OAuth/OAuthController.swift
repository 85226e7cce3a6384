import ConnectModel
import Hummingbird
import JunctionStorage
import NIOCore
import StripeForm

/// `POST /oauth/token`, `POST /oauth/deauthorize` and the retired Express OAuth URL.
///
/// Errors use OAuth's shape, `{"error":"<code>","error_description":"…"}`, with only the codes
/// the official SDK knows.
struct OAuthController: Sendable {
    let services: JunctionServices
    var oauth: OAuthService { OAuthService(services: services) }

    func addRoutes(to router: Router<JunctionContext>) {
        router.post("/oauth/token", use: token)
        router.post("/oauth/deauthorize", use: deauthorize)
        router.get("/express/oauth/authorize", use: expressAuthorize)
    }

    @Sendable func token(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let (fields, application) = try await self.read(
                request, allowed: ["grant_type", "code", "refresh_token", "scope", "client_secret", "expand"])
            switch fields["grant_type"] {
            case "authorization_code":
                guard let code = fields["code"], !code.isEmpty else {
                    throw OAuthError.invalidRequest("Missing required param: code.")
                }
                return try await oauth.exchange(code: code, application: application)
            case "refresh_token":
                guard let token = fields["refresh_token"], !token.isEmpty else {
                    throw OAuthError.invalidRequest("Missing required param: refresh_token.")
                }
                return try await oauth.refresh(token: token, scope: fields["scope"], application: application)
            case nil, "":
                throw OAuthError.invalidRequest("Missing required param: grant_type.")
            case let other?:
                throw OAuthError(
                    "unsupported_grant_type",
                    "Unsupported grant_type '\(other)': use authorization_code or refresh_token.")
            }
        }
    }

    @Sendable func deauthorize(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let (fields, application) = try await self.read(
                request, allowed: ["client_id", "stripe_user_id", "client_secret"])
            guard let clientID = fields["client_id"], !clientID.isEmpty else {
                throw OAuthError.invalidRequest("Missing required param: client_id.")
            }
            guard clientID == application.id else {
                throw OAuthError.invalidClient("The client_id '\(clientID)' does not belong to the key used.")
            }
            guard let account = fields["stripe_user_id"], !account.isEmpty else {
                throw OAuthError.invalidRequest("Missing required param: stripe_user_id.")
            }
            let ended = try await oauth.deauthorize(
                account: account, application: application,
                request: RequestInfo(id: context.requestID, idempotencyKey: request.headers[.idempotencyKey]))
            return ["stripe_user_id": .string(ended.account)]
        }
    }

    @Sendable func expressAuthorize(_ request: Request, context: JunctionContext) async throws -> Response {
        Pages.render(
            "message",
            [
                "title": "Express OAuth is retired",
                "message":
                    "Stripe no longer supports OAuth for Express accounts, and neither does Junction. Create the account with POST /v1/accounts (type=express, or controller[stripe_dashboard][type]=express) and onboard it with an account link.",
            ], status: .badRequest)
    }

    /// Reads the form and finds the application whose secret key was sent (bearer, Basic, or
    /// the `client_secret` field).
    private func read(_ request: Request, allowed: Set<String>) async throws -> ([String: String], ConnectApplication) {
        var request = request
        let body: ByteBuffer
        do { body = try await request.collectBody(upTo: 64 * 1024) } catch {
            throw OAuthError.invalidRequest("The request body is too large.")
        }
        let form: FormContainer
        do { form = try EndpointFactory.form(request: request, body: body) } catch {
            throw OAuthError.invalidRequest(error.message)
        }
        var fields: [String: String] = [:]
        for (key, node) in form.entries {
            guard allowed.contains(key) else { throw OAuthError.invalidRequest("Received unknown parameter: \(key)") }
            if case .scalar(let value) = node { fields[key] = value }
        }
        guard let key = Authenticator.key(from: request.headers[.authorization]) ?? fields["client_secret"] else {
            throw OAuthError.invalidClient("No API key provided: send the platform's secret key as a Bearer token.")
        }
        guard let holder = try await services.store.keyHolder(hash: Authenticator.hash(key)),
            holder.key.kind == .secret,
            holder.connection == nil, let application = holder.application
        else {
            throw OAuthError.invalidClient(
                "Invalid API key \(StripeError.masked(key)): it is not the secret key of a Connect application.")
        }
        return (fields, application)
    }

    private func respond(_ body: () async throws -> JSONValue) async -> Response {
        do {
            return EndpointFactory.response(status: .ok, body: try await body().serialized())
        } catch let error as OAuthError {
            return Self.error(error)
        } catch {
            let stripe = StripeError.from(error)
            // Only OAuth codes reach an OAuth client; anything else is described as invalid_request.
            return Self.error(OAuthError.invalidRequest(stripe.message), status: stripe.status)
        }
    }

    static func error(_ error: OAuthError, status: HTTPResponse.Status? = nil) -> Response {
        EndpointFactory.response(
            status: status ?? HTTPResponse.Status(code: error.status),
            body: JSONValue.object(["error": .string(error.code), "error_description": .string(error.message)])
                .serialized())
    }
}
