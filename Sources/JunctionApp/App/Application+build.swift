import ConnectModel
import Hummingbird
import JunctionStorage
import Logging
import ServiceLifecycle

/// Builds the whole server: storage, routes and middleware. `junction serve` and the tests both
/// use it, so what is tested is what runs.
public func buildApplication(
    _ configuration: JunctionConfiguration,
    onReady: @escaping @Sendable (String) async -> Void = { _ in },
    report: @escaping @Sendable (String) -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    // A broken seed file stops the start before anything else, with its reason.
    let seed = try configuration.seed.map(SeedFile.load(path:))
    var logger = Logger(label: "junction")
    logger.logLevel = configuration.logLevel

    let backend = try await DatabaseOpener.open(configuration.database, logger: logger)
    let store = SQLStore(backend: backend)
    let services = JunctionServices(
        store: store, clock: AdjustableClock(), logger: logger,
        publicURL: "http://\(configuration.host):\(configuration.port)")

    let router = buildRouter(services: services, adminToken: configuration.adminToken)
    // The delivery worker needs the schema: it waits until the migrations have run.
    let gate = StartGate()
    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "junction"),
        services: backend.services + [
            StoreLifecycle(backend: backend), DeliveryWorker(services: services, gate: gate),
            RenewalWorker(services: services, gate: gate),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            await onReady("http://\(configuration.host):\(port)")
        },
        logger: logger)
    // The pool (PostgreSQL) runs as a service, so migrations wait until services have started.
    app.beforeServerStarts {
        try await store.migrate()
        services.clock.observe(offset: try await store.clockOffset())
        if let seed {
            for line in try await seed.apply(Directory(services: services), baseURL: services.publicURL) {
                report(line)
            }
        }
        await gate.openGate()
    }
    return app
}

/// The routes of every part of Junction.
func buildRouter(services: JunctionServices, adminToken: String) -> Router<JunctionContext> {
    let router = Router(context: JunctionContext.self)
    router.add(middleware: WireMiddleware())
    router.get("/healthz") { _, _ in
        EndpointFactory.response(status: .ok, body: JSONValue.object(["status": "ok"]).serialized())
    }
    AccountController(services: services).addRoutes(to: router)
    EventController(services: services).addRoutes(to: router)
    CustomerController(services: services).addRoutes(to: router)
    PaymentMethodController(services: services).addRoutes(to: router)
    PaymentIntentController(services: services).addRoutes(to: router)
    ChargeController(services: services).addRoutes(to: router)
    RefundController(services: services).addRoutes(to: router)
    WebhookEndpointController(services: services).addRoutes(to: router)
    ListenSessionController(services: services).addRoutes(to: router)
    ProductController(services: services).addRoutes(to: router)
    SubscriptionController(services: services).addRoutes(to: router)
    ControlController(services: services, adminToken: adminToken).addRoutes(to: router)
    OnboardingController(services: services).addRoutes(to: router)
    OAuthController(services: services).addRoutes(to: router)
    AuthorizePage(services: services).addRoutes(to: router)
    WebController(services: services).addRoutes(to: router)
    return router
}

/// Closes the database after everything else has stopped.
struct StoreLifecycle: Service {
    let backend: any SQLBackend

    func run() async throws {
        try? await gracefulShutdown()
        // Also when the group is cancelled rather than shut down: the close must still happen,
        // so it runs in a task of its own, which does not inherit the cancellation.
        let backend = self.backend
        try await Task { try await backend.close() }.value
    }
}
