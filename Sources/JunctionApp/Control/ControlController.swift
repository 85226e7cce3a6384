import ConnectModel
import Crypto
import Foundation
import Hummingbird
import JunctionStorage
import StripeForm

/// The `/_junction` control API: what a person does in a browser, for tests and scripts.
struct ControlController: Sendable {
    let services: JunctionServices
    let adminToken: String

    func addRoutes(to router: Router<JunctionContext>) {
        let group = router.group("_junction").add(middleware: AdminAuthMiddleware(token: adminToken))
        group.post("applications", use: createApplication)
        group.post("users", use: createUser)
        group.get("users", use: findUsers)
        group.post("users/:user/accounts", use: createUserAccount)
        group.get("users/:user/accounts", use: listUserAccounts)
        group.get("oauth/accounts", use: offeredAccounts)
        group.post("oauth/authorize", use: authorize)
        group.get("accounts/:account/authorized_applications", use: authorizedApplications)
        group.post("accounts/:account/authorized_applications/:application/revoke", use: revoke)
        group.post("legacy_connections", use: createLegacyConnection)
        group.post("clock/advance", use: advanceClock)
        group.get("webhook_deliveries", use: webhookDeliveries)
    }

    var oauth: OAuthService { OAuthService(services: services) }

    /// `GET /_junction/oauth/accounts?client_id=…&user=…`: what the authorize page would offer (P8).
    @Sendable func offeredAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        let query = request.uri.queryParameters
        let user = try await user(query["user"].map(String.init) ?? "")
        do {
            let application = try await oauth.application(query["client_id"].map(String.init) ?? "")
            let accounts = try await oauth.offeredAccounts(user: user.id, application: application)
            return ControlBody.json(
                ListCursor.list(
                    accounts.map { $0.rendered(for: .owner) }, hasMore: false, url: "/_junction/oauth/accounts"))
        } catch let error as OAuthError {
            return OAuthController.error(error, status: .badRequest)
        }
    }

    /// `POST /_junction/oauth/authorize`: the authorize page's decision, headless.
    @Sendable func authorize(_ request: Request, context: JunctionContext) async throws -> Response {
        let body = try await ControlBody.read(request)
        let user = try await user(try body.requiredString("user"))
        let decision = try body.optionalString("decision") ?? "allow"
        guard decision == "allow" || decision == "deny" else {
            throw ControlError.invalid("decision must be allow or deny.", param: "decision")
        }
        let createAccount: Bool
        switch body.fields["create_account"] {
        case nil, .null?, .bool(false)?, .string("false")?: createAccount = false
        case .bool(true)?, .string("true")?: createAccount = true
        default: throw ControlError.invalid("create_account must be true or false.", param: "create_account")
        }
        do {
            let url = try await oauth.authorize(
                AuthorizeDecision(
                    clientID: try body.requiredString("client_id"), user: user, scope: try body.optionalString("scope"),
                    redirectURI: try body.optionalString("redirect_uri"), state: try body.optionalString("state"),
                    allow: decision == "allow", account: try body.optionalString("account"),
                    createAccount: createAccount, shareBusinessWith: try body.optionalString("share_business_with"),
                    request: RequestInfo(id: context.requestID, idempotencyKey: nil)))
            return ControlBody.json(["redirect_url": .string(url)])
        } catch let error as OAuthError {
            return OAuthController.error(error, status: .badRequest)
        }
    }

    /// `GET /_junction/accounts/{acct}/authorized_applications`: the installed-apps page.
    @Sendable func authorizedApplications(_ request: Request, context: JunctionContext) async throws -> Response {
        let accountID = try context.parameters.require("account")
        guard let account = try await services.store.account(accountID) else {
            throw ControlError(
                status: .notFound, code: "resource_missing", message: "No such account: '\(accountID)'",
                param: "account")
        }
        let entries = try await services.store.connections(ofAccount: accountID).map {
            Self.entry($0, $1, account: account)
        }
        return ControlBody.json(
            ListCursor.list(entries, hasMore: false, url: "/_junction/accounts/\(accountID)/authorized_applications"))
    }

    /// `POST …/authorized_applications/{ca}/revoke` (P11).
    @Sendable func revoke(_ request: Request, context: JunctionContext) async throws -> Response {
        let accountID = try context.parameters.require("account")
        let applicationID = try context.parameters.require("application")
        do {
            let (ended, application) = try await oauth.revoke(
                application: applicationID, account: accountID,
                request: RequestInfo(id: context.requestID, idempotencyKey: nil))
            let account = try await services.store.account(accountID)
            var entry = Self.entry(ended, application, account: account)
            entry["ended_at"] = JSONValue(ended.endedAt)
            entry["revocable"] = false
            return ControlBody.json(entry)
        } catch let error as ConnectError {
            throw ControlError(
                status: error.kind == .notFound ? .notFound : .badRequest, code: error.code, message: error.message,
                param: error.param)
        }
    }

    /// `POST /_junction/legacy_connections`: a connection made before the single-platform policy (P6).
    @Sendable func createLegacyConnection(_ request: Request, context: JunctionContext) async throws -> Response {
        let body = try await ControlBody.read(request)
        let accountID = try body.requiredString("account")
        let scopeText = try body.optionalString("scope") ?? "read_write"
        guard let scope = Connection.Scope(rawValue: scopeText) else {
            throw ControlError.invalid("scope must be read_write or read_only.", param: "scope")
        }
        let application: ConnectApplication
        do { application = try await oauth.application(try body.requiredString("client_id")) } catch let error
            as OAuthError
        {
            throw ControlError.invalid(error.message, param: "client_id")
        }
        guard application.kind == .platform else {
            throw ControlError.invalid(
                "Legacy connections are platform connections; extensions were never limited.", param: "client_id")
        }
        guard let account = try await services.store.account(accountID) else {
            throw ControlError(
                status: .notFound, code: "resource_missing", message: "No such account: '\(accountID)'",
                param: "account")
        }
        let connection = try await services.store.connect(
            application: application, account: accountID, legacy: true, now: services.clock.now(),
            decide: { _, _ in scope }, makeCode: { _ in nil }, eventIfNew: nil)
        return ControlBody.json(Self.entry(connection, application, account: account))
    }

    /// `POST /_junction/clock/advance`: moves the one clock forward.
    @Sendable func advanceClock(_ request: Request, context: JunctionContext) async throws -> Response {
        let body = try await ControlBody.read(request)
        let seconds: Int
        switch body.fields["seconds"] {
        case .int(let value)?: seconds = value
        case .string(let text)?: seconds = Int(text) ?? -1
        default: seconds = -1
        }
        guard seconds >= 0 else {
            throw ControlError.invalid(
                "seconds must be a whole number of seconds, 0 or more (time only moves forward).", param: "seconds")
        }
        // Stored first: the offset outlives a restart and reaches every instance on the database.
        services.clock.observe(offset: try await services.store.advanceClock(by: seconds))
        return ControlBody.json(["now": .int(services.clock.now())])
    }

    /// `GET /_junction/webhook_deliveries?event=evt_…&endpoint=we_…&account=acct_…`: delivery
    /// attempts (E2), newest first; `account` is the endpoint's owner.
    @Sendable func webhookDeliveries(_ request: Request, context: JunctionContext) async throws -> Response {
        let query = request.uri.queryParameters
        let deliveries = try await services.store.deliveries(
            event: query["event"].map(String.init), endpoint: query["endpoint"].map(String.init),
            owner: query["account"].map(String.init), limit: 100)
        let data: [JSONValue] = deliveries.map { delivery in
            [
                "id": .string(delivery.id), "object": "webhook_delivery", "event": .string(delivery.event),
                "event_type": JSONValue(delivery.eventType), "account": .string(delivery.owner),
                "endpoint": .string(delivery.endpoint), "status": .string(delivery.status),
                "attempts": .int(delivery.attempts),
                "next_attempt_at": JSONValue(delivery.nextAttemptAt),
                "last_status_code": JSONValue(delivery.lastStatus),
                "last_error": JSONValue(delivery.lastError), "created": .int(delivery.created),
                "updated": .int(delivery.updated),
            ]
        }
        return ControlBody.json(ListCursor.list(data, hasMore: false, url: "/_junction/webhook_deliveries"))
    }

    /// One row of the authorized-applications page.
    static func entry(_ connection: Connection, _ application: ConnectApplication, account: Account?) -> JSONValue {
        let controls = connection.isPlatform && account?.controllingApplication == application.id
        return [
            "application": application.publicJSON, "kind": .string(application.kind.rawValue),
            "scope": .string(connection.scope.rawValue), "created": .int(connection.created),
            "legacy": .bool(connection.legacy),
            "controls_account": .bool(controls),
            "revocable": .bool(account.map { ConnectionRules.mayRevoke(connection, on: $0) } ?? false),
        ]
    }

    private func user(_ id: String) async throws -> User {
        guard !id.isEmpty, let user = try await services.store.user(id) else {
            throw ControlError(
                status: .notFound, code: "resource_missing", message: "No such user: '\(id)'", param: "user")
        }
        return user
    }

    var directory: Directory { Directory(services: services) }

    /// `POST /_junction/applications`: a platform or extension with its own account and keys (P1).
    @Sendable func createApplication(_ request: Request, context: JunctionContext) async throws -> Response {
        let body = try await ControlBody.read(request)
        let name = try body.requiredString("name")
        guard let kind = ConnectApplication.Kind(rawValue: try body.requiredString("kind")) else {
            throw ControlError.invalid("kind must be platform or extension.", param: "kind")
        }
        // The person who owns the application's account sees its connected accounts (A7).
        let owner = try await body.optionalString("owner").asyncMap { try await user($0) }
        let created = try await Self.refusals {
            try await directory.createApplication(
                name: name, kind: kind, redirectURIs: try body.stringList("redirect_uris"),
                secretKey: try body.optionalString("secret_key"), owner: owner)
        }
        return ControlBody.json(
            Self.applicationJSON(created.application, secret: created.secret, publishable: created.publishable))
    }

    static func applicationJSON(_ application: ConnectApplication, secret: String, publishable: String) -> JSONValue {
        [
            "id": .string(application.id), "object": "application", "name": .string(application.name),
            "kind": .string(application.kind.rawValue),
            "redirect_uris": .array(application.redirectURIs.map(JSONValue.string)),
            "account": .string(application.account), "secret_key": .string(secret),
            "publishable_key": .string(publishable),
            "created": .int(application.created),
        ]
    }

    /// Directory refusals as control API errors.
    static func refusals<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let refusal as Directory.Refusal {
            if refusal.conflict {
                throw ControlError(
                    status: .conflict, code: "email_taken", message: refusal.message, param: refusal.param)
            }
            throw ControlError.invalid(refusal.message, param: refusal.param)
        }
    }

    /// `POST /_junction/users`: a login; the password is stored as a bcrypt hash.
    @Sendable func createUser(_ request: Request, context: JunctionContext) async throws -> Response {
        let body = try await ControlBody.read(request)
        let email = try body.requiredString("email")
        let password = try body.requiredString("password")
        let user = try await Self.refusals { try await directory.createUser(email: email, password: password) }
        return ControlBody.json([
            "id": .string(user.id), "object": "user", "email": .string(user.email), "created": .int(user.created),
        ])
    }

    /// `GET /_junction/users?email=…`: find a user by email (for example one a seed file created).
    @Sendable func findUsers(_ request: Request, context: JunctionContext) async throws -> Response {
        guard let email = request.uri.queryParameters["email"].map(String.init), !email.isEmpty else {
            throw ControlError(
                status: .badRequest, code: "parameter_missing", message: "Missing required param: email.",
                param: "email")
        }
        let users = try await services.store.user(email: email).map { [$0] } ?? []
        return ControlBody.json(
            ListCursor.list(
                users.map {
                    ["id": .string($0.id), "object": "user", "email": .string($0.email), "created": .int($0.created)]
                },
                hasMore: false, url: "/_junction/users"))
    }

    /// `POST /_junction/users/{usr}/accounts`: a direct account the user opened themself (C8).
    @Sendable func createUserAccount(_ request: Request, context: JunctionContext) async throws -> Response {
        let user = try await user(try context.parameters.require("user"))
        let body = try await ControlBody.read(request)
        let opened = try await Self.refusals {
            try await directory.openAccount(
                for: user, businessName: try body.optionalString("business_name"),
                country: try body.optionalString("country"),
                email: try body.optionalString("email"),
                shareBusinessWith: try body.optionalString("share_business_with"))
        }
        return ControlBody.json([
            "account": opened.account.rendered(for: .owner), "secret_key": .string(opened.secret),
            "publishable_key": .string(opened.publishable),
        ])
    }

    /// `GET /_junction/users/{usr}/accounts`.
    @Sendable func listUserAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        let userID = try context.parameters.require("user")
        guard try await services.store.user(userID) != nil else {
            throw ControlError(
                status: .notFound, code: "resource_missing", message: "No such user: '\(userID)'", param: "user")
        }
        let accounts = try await services.store.accounts(ownedBy: userID)
        return ControlBody.json(
            ListCursor.list(
                accounts.map { $0.rendered(for: .owner) }, hasMore: false, url: "/_junction/users/\(userID)/accounts"))
    }
}

/// An error of the control API: `{"error":{"type":"invalid_request_error","code","message"}}`.
struct ControlError: Error, HTTPResponseError {
    var status: HTTPResponse.Status
    var code: String?
    var message: String
    var param: String?

    static func invalid(_ message: String, param: String? = nil) -> ControlError {
        ControlError(
            status: .badRequest, code: param == nil ? "invalid_request" : "parameter_invalid", message: message,
            param: param)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: JSONValue] = ["type": "invalid_request_error", "message": .string(message)]
        if let code { error["code"] = .string(code) }
        if let param { error["param"] = .string(param) }
        return EndpointFactory.response(status: status, body: JSONValue.object(["error": .object(error)]).serialized())
    }
}

/// A control API body: JSON, or a form for curl users.
struct ControlBody {
    var fields: [String: JSONValue]

    static func read(_ request: Request) async throws -> ControlBody {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: EndpointFactory.maxBodySize)
        } catch {
            throw ControlError(
                status: .contentTooLarge, code: "request_too_large", message: "The request body is too large.")
        }
        if buffer.readableBytes == 0 { return ControlBody(fields: [:]) }
        let bytes = Array(buffer.readableBytesView)
        if request.headers[.contentType]?.hasPrefix("application/json") == true || bytes.first == UInt8(ascii: "{") {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
                let object = value.objectValue
            else {
                throw ControlError.invalid("The body is not a JSON object.")
            }
            return ControlBody(fields: object)
        }
        do {
            let form = try FormParser().parse(bytes)
            return ControlBody(
                fields: Dictionary(uniqueKeysWithValues: form.entries.map { ($0.key, Self.json($0.node)) }))
        } catch {
            throw ControlError.invalid(error.message, param: error.param)
        }
    }

    private static func json(_ node: FormNode) -> JSONValue {
        switch node {
        case .scalar(let s): return .string(s)
        case .container(let c):
            if c.keys.allSatisfy({ Int($0) != nil }) {
                return .array(c.keys.sorted { Int($0)! < Int($1)! }.map { json(c[$0]!) })
            }
            return .object(Dictionary(uniqueKeysWithValues: c.entries.map { ($0.key, json($0.node)) }))
        }
    }

    func optionalString(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        default: throw ControlError.invalid("\(name) must be a string.", param: name)
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try optionalString(name) else {
            throw ControlError(
                status: .badRequest, code: "parameter_missing", message: "Missing required param: \(name).", param: name
            )
        }
        return value
    }

    func stringList(_ name: String) throws -> [String] {
        switch fields[name] {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            return try items.map {
                guard case .string(let s) = $0 else {
                    throw ControlError.invalid("\(name) must be a list of strings.", param: name)
                }
                return s
            }
        default: throw ControlError.invalid("\(name) must be a list of strings.", param: name)
        }
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        EndpointFactory.response(status: status, body: value.serialized())
    }
}

/// `Authorization: Bearer <admin token>` on every control call; compared in constant time.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = JunctionContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let given = Authenticator.key(from: request.headers[.authorization]) ?? ""
        let a = SHA256.hash(data: Data(given.utf8))
        let b = SHA256.hash(data: Data(token.utf8))
        guard a == b else {
            throw ControlError(
                status: .unauthorized, code: "invalid_admin_token",
                message: "Missing or wrong admin token (Authorization: Bearer <admin token>).")
        }
        return try await next(request, context)
    }
}
