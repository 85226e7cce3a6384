import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// `POST /oauth/token`, `POST /oauth/deauthorize` and the retired Express OAuth URL.
///
/// Errors use OAuth's shape, `{"error":"<code>","error_description":"…"}`, with only the codes
/// the official SDK knows (``ErrorSurface/oauth``).
struct OAuthController: Sendable {
    let dependencies: Dependencies
    var oauth: OAuthFlow { dependencies.oauth }

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
                    throw JunctionError.invalidOAuthRequest("Missing required param: code.")
                }
                return try await oauth.exchange(code: code, application: application)
            case "refresh_token":
                guard let token = fields["refresh_token"], !token.isEmpty else {
                    throw JunctionError.invalidOAuthRequest("Missing required param: refresh_token.")
                }
                return try await oauth.refresh(token: token, scope: fields["scope"], application: application)
            case nil, "":
                throw JunctionError.invalidOAuthRequest("Missing required param: grant_type.")
            case let other?:
                throw JunctionError.oauth(
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
                throw JunctionError.invalidOAuthRequest("Missing required param: client_id.")
            }
            guard clientID == application.id else {
                throw JunctionError.invalidClient("The client_id '\(clientID)' does not belong to the key used.")
            }
            guard let account = fields["stripe_user_id"], !account.isEmpty else {
                throw JunctionError.invalidOAuthRequest("Missing required param: stripe_user_id.")
            }
            let ended = try await oauth.deauthorize(
                account: account, application: application,
                request: RequestInfo(id: context.requestID, idempotencyKey: request.headers[.idempotencyKey]))
            return ["stripe_user_id": .string(ended.account)]
        }
    }

    @Sendable func expressAuthorize(_ request: Request, context: JunctionContext) async throws -> Response {
        Pages.message(
            "Express OAuth is retired",
            "Stripe no longer supports OAuth for Express accounts, and neither does Junction. Create the account with POST /v1/accounts (type=express, or controller[stripe_dashboard][type]=express) and onboard it with an account link.",
            status: .badRequest)
    }

    /// Reads the form and finds the application whose secret key was sent (bearer, Basic, or
    /// the `client_secret` field).
    private func read(_ request: Request, allowed: Set<String>) async throws -> ([String: String], ConnectApplication) {
        let form: FormContainer
        do {
            form = try BodyReader.form(
                request, body: try await BodyReader.read(request, limit: BodyReader.formLimit),
                limits: BodyReader.pageLimits)
        } catch is JunctionError {
            throw JunctionError.invalidOAuthRequest("The request body is too large.")
        } catch let error as FormError {
            throw JunctionError.invalidOAuthRequest(error.message)
        }
        var fields: [String: String] = [:]
        for (key, node) in form.entries {
            guard allowed.contains(key) else {
                throw JunctionError.invalidOAuthRequest("Received unknown parameter: \(key)")
            }
            if case .scalar(let value) = node { fields[key] = value }
        }
        guard let key = KeyHeader.key(from: request.headers[.authorization]) ?? fields["client_secret"] else {
            throw JunctionError.invalidClient("No API key provided: send the platform's secret key as a Bearer token.")
        }
        return (fields, try await oauth.application(secretKey: key))
    }

    private func respond(_ body: () async throws -> JSONValue) async -> Response {
        do {
            return JSONResponse.make(try await body())
        } catch {
            return JunctionError.from(error).response(on: .oauth)
        }
    }
}
