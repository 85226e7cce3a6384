import ConnectModel
import Hummingbird
import JunctionDomain

/// The `/_junction` control API: what a person does in a browser, for tests and scripts.
/// Errors are Stripe's error objects; the OAuth decisions answer OAuth refusals in OAuth's shape.
struct ControlController: Sendable {
    let dependencies: Dependencies
    let adminToken: String
    var oauth: OAuthFlow { dependencies.oauth }
    var registration: Registration { dependencies.registration }

    func addRoutes(to router: Router<JunctionContext>) {
        let group = router.group("_junction").add(middleware: AdminAuthMiddleware(token: adminToken))
        group.post("applications", use: createApplication)
        group.post("applications/:application", use: updateApplication)
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

    /// Runs a control call: its result as JSON, a refusal in the control API's shape.
    private func respond(_ body: () async throws -> JSONValue) async -> Response {
        do {
            return JSONResponse.make(try await body())
        } catch {
            return JunctionError.from(error).response(on: .control)
        }
    }

    // MARK: Applications and users

    /// `POST /_junction/applications`: a platform or extension with its own account and keys (P1).
    @Sendable func createApplication(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let name = try body.requiredString("name")
            guard let kind = ConnectApplication.Kind(rawValue: try body.requiredString("kind")) else {
                throw ControlBody.invalid("kind must be platform or extension.", param: "kind")
            }
            // The person who owns the application's account sees its connected accounts (A7).
            var owner: User?
            if let ownerID = try body.optionalString("owner") { owner = try await user(ownerID) }
            let created = try await registration.createApplication(
                name: name, kind: kind, redirectURIs: try body.stringList("redirect_uris"),
                secretKey: try body.optionalString("secret_key"), owner: owner,
                apiVersion: try body.optionalString("api_version"))
            return [
                "id": .string(created.application.id), "object": "application", "name": .string(name),
                "kind": .string(kind.rawValue),
                "redirect_uris": .array(created.application.redirectURIs.map(JSONValue.string)),
                "account": .string(created.application.account), "secret_key": .string(created.secret),
                "publishable_key": .string(created.publishable), "created": .int(created.application.created),
                "api_version": .string(created.application.apiVersion ?? APIVersion.newest.description),
            ]
        }
    }

    /// `POST /_junction/applications/{ca}`: `api_version`, the default API version of the
    /// application's account (Stripe's dashboard calls it upgrading).
    @Sendable func updateApplication(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let application = try await registration.setAPIVersion(
                try body.requiredString("api_version"), of: try context.parameters.require("application"))
            return [
                "id": .string(application.id), "object": "application", "name": .string(application.name),
                "kind": .string(application.kind.rawValue), "account": .string(application.account),
                "api_version": JSONValue(application.apiVersion),
            ]
        }
    }

    /// `POST /_junction/users`: a login; the password is stored as a bcrypt hash.
    @Sendable func createUser(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let user = try await registration.createUser(
                email: try body.requiredString("email"), password: try body.requiredString("password"))
            return Self.json(user)
        }
    }

    /// `GET /_junction/users?email=…`: find a user by email (for example one a seed file created).
    @Sendable func findUsers(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            guard let email = request.uri.queryParameters["email"].map(String.init), !email.isEmpty else {
                throw JunctionError.missing("email")
            }
            let users = try await dependencies.store.user(email: email).map { [$0] } ?? []
            return ListEnvelope.list(users.map(Self.json), url: "/_junction/users")
        }
    }

    /// `POST /_junction/users/{usr}/accounts`: a direct account the user opened themself (C8).
    @Sendable func createUserAccount(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let user = try await user(try context.parameters.require("user"))
            let body = try await ControlBody.read(request)
            let opened = try await registration.openAccount(
                for: user, businessName: try body.optionalString("business_name"),
                country: try body.optionalString("country"), email: try body.optionalString("email"),
                shareBusinessWith: try body.optionalString("share_business_with"))
            return [
                "account": opened.account.rendered(for: .owner), "secret_key": .string(opened.secret),
                "publishable_key": .string(opened.publishable),
            ]
        }
    }

    /// `GET /_junction/users/{usr}/accounts`.
    @Sendable func listUserAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let user = try await user(try context.parameters.require("user"))
            let accounts = try await dependencies.store.accounts(ownedBy: user.id)
            return ListEnvelope.list(
                accounts.map { $0.rendered(for: .owner) }, url: "/_junction/users/\(user.id)/accounts")
        }
    }

    // MARK: OAuth and connections

    /// `GET /_junction/oauth/accounts?client_id=…&user=…`: what the authorize page would offer (P8).
    @Sendable func offeredAccounts(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let query = request.uri.queryParameters
            let user = try await user(query["user"].map(String.init) ?? "")
            let application = try await oauth.application(query["client_id"].map(String.init) ?? "")
            let accounts = try await oauth.offeredAccounts(user: user.id, application: application)
            return ListEnvelope.list(accounts.map { $0.rendered(for: .owner) }, url: "/_junction/oauth/accounts")
        }
    }

    /// `POST /_junction/oauth/authorize`: the authorize page's decision, headless.
    @Sendable func authorize(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let user = try await user(try body.requiredString("user"))
            let decision = try body.optionalString("decision") ?? "allow"
            guard decision == "allow" || decision == "deny" else {
                throw ControlBody.invalid("decision must be allow or deny.", param: "decision")
            }
            let createAccount: Bool
            switch body.fields["create_account"] {
            case nil, .null?, .bool(false)?, .string("false")?: createAccount = false
            case .bool(true)?, .string("true")?: createAccount = true
            default: throw ControlBody.invalid("create_account must be true or false.", param: "create_account")
            }
            let url = try await oauth.authorize(
                AuthorizeDecision(
                    clientID: try body.requiredString("client_id"), user: user, scope: try body.optionalString("scope"),
                    redirectURI: try body.optionalString("redirect_uri"), state: try body.optionalString("state"),
                    allow: decision == "allow", account: try body.optionalString("account"),
                    createAccount: createAccount, shareBusinessWith: try body.optionalString("share_business_with"),
                    request: RequestInfo(id: context.requestID, idempotencyKey: nil)))
            return ["redirect_url": .string(url)]
        }
    }

    /// `GET /_junction/accounts/{acct}/authorized_applications`: the installed-apps page.
    @Sendable func authorizedApplications(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let accountID = try context.parameters.require("account")
            guard let account = try await dependencies.store.account(accountID) else {
                throw JunctionError.noSuch("account", accountID, param: "account")
            }
            let entries = try await dependencies.store.connections(ofAccount: accountID).map {
                Self.entry($0, $1, account: account)
            }
            return ListEnvelope.list(entries, url: "/_junction/accounts/\(accountID)/authorized_applications")
        }
    }

    /// `POST …/authorized_applications/{ca}/revoke` (P11).
    @Sendable func revoke(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let accountID = try context.parameters.require("account")
            let (ended, application) = try await oauth.revoke(
                application: try context.parameters.require("application"), account: accountID,
                request: RequestInfo(id: context.requestID, idempotencyKey: nil))
            var entry = Self.entry(ended, application, account: try await dependencies.store.account(accountID))
            entry["ended_at"] = JSONValue(ended.endedAt)
            entry["revocable"] = false
            return entry
        }
    }

    /// `POST /_junction/legacy_connections`: a connection made before the single-platform policy (P6).
    @Sendable func createLegacyConnection(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let accountID = try body.requiredString("account")
            guard let scope = Connection.Scope(rawValue: try body.optionalString("scope") ?? "read_write") else {
                throw ControlBody.invalid("scope must be read_write or read_only.", param: "scope")
            }
            let (connection, application, account) = try await oauth.legacyConnection(
                clientID: try body.requiredString("client_id"), account: accountID, scope: scope)
            return Self.entry(connection, application, account: account)
        }
    }

    // MARK: Clock and deliveries

    /// `POST /_junction/clock/advance`: moves the one clock forward.
    @Sendable func advanceClock(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let body = try await ControlBody.read(request)
            let seconds: Int
            switch body.fields["seconds"] {
            case .int(let value)?: seconds = value
            case .string(let text)?: seconds = Int(text) ?? -1
            default: seconds = -1
            }
            guard seconds >= 0 else {
                throw ControlBody.invalid(
                    "seconds must be a whole number of seconds, 0 or more (time only moves forward).", param: "seconds")
            }
            guard seconds <= AdjustableClock.maximumOffset - dependencies.clock.offsetSeconds else {
                throw ControlBody.invalid(
                    "Junction's clock can be at most 100 years ahead of real time (\(AdjustableClock.maximumOffset) seconds); it is \(dependencies.clock.offsetSeconds) seconds ahead now.",
                    param: "seconds")
            }
            // Stored first: the offset outlives a restart and reaches every instance on the database.
            dependencies.clock.observe(offset: try await dependencies.store.advanceClock(by: seconds))
            return ["now": .int(dependencies.clock.now())]
        }
    }

    /// `GET /_junction/webhook_deliveries?event=evt_…&endpoint=we_…&account=acct_…`: delivery
    /// attempts (E2), newest first; `account` is the endpoint's owner.
    @Sendable func webhookDeliveries(_ request: Request, context: JunctionContext) async throws -> Response {
        await respond {
            let query = request.uri.queryParameters
            let deliveries = try await dependencies.store.deliveries(
                event: query["event"].map(String.init), endpoint: query["endpoint"].map(String.init),
                owner: query["account"].map(String.init), limit: 100)
            let data: [JSONValue] = deliveries.map { delivery in
                [
                    "id": .string(delivery.id), "object": "webhook_delivery", "event": .string(delivery.event),
                    "event_type": JSONValue(delivery.eventType), "account": .string(delivery.owner),
                    "endpoint": .string(delivery.endpoint), "status": .string(delivery.status.rawValue),
                    "attempts": .int(delivery.attempts), "next_attempt_at": JSONValue(delivery.nextAttemptAt),
                    "last_status_code": JSONValue(delivery.lastStatus), "last_error": JSONValue(delivery.lastError),
                    "created": .int(delivery.created), "updated": .int(delivery.updated),
                ]
            }
            return ListEnvelope.list(data, url: "/_junction/webhook_deliveries")
        }
    }

    // MARK: Helpers

    /// One row of the authorized-applications page.
    static func entry(_ connection: Connection, _ application: ConnectApplication, account: Account?) -> JSONValue {
        let controls = connection.isPlatform && account?.controllingApplication == application.id
        return [
            "application": application.publicJSON, "kind": .string(application.kind.rawValue),
            "scope": .string(connection.scope.rawValue), "created": .int(connection.created),
            "legacy": .bool(connection.legacy), "controls_account": .bool(controls),
            "revocable": .bool(account.map { ConnectionRules.mayRevoke(connection, on: $0) } ?? false),
        ]
    }

    static func json(_ user: User) -> JSONValue {
        ["id": .string(user.id), "object": "user", "email": .string(user.email), "created": .int(user.created)]
    }

    private func user(_ id: String) async throws -> User {
        guard !id.isEmpty, let user = try await dependencies.store.user(id) else {
            throw JunctionError.noSuch("user", id, param: "user")
        }
        return user
    }
}
