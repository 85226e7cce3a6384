import ConnectModel
import Hummingbird
import JunctionStorage
import Logging
import ServiceLifecycle

/// Builds the whole server: storage, routes and middleware, and the workers beside it.
/// `junction serve` and the tests both use it, so what is tested is what runs.
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
    var shared = Dependencies(
        store: store, clock: AdjustableClock(), logger: logger,
        publicURL: configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)")
    shared.publicURLConfigured = configuration.publicURL != nil
    shared.webhookDestinations = configuration.webhookDestinations
    let dependencies = shared

    let router = buildRouter(dependencies, adminToken: configuration.adminToken)
    // The workers need the schema: they wait until the migrations have run.
    let gate = StartGate()
    var app = Application(
        router: router,
        // A connection that does not send a whole request head within the idle timeout is
        // closed, however slowly it drips: half-open connections cannot pile up and hold the
        // server's file descriptors (L5 of the security review).
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    RequestHeadDeadline(limit: .seconds(Int64(configuration.idleTimeout))), MalformedRequestAnswer(),
                ],
                idleTimeout: .seconds(Int64(configuration.idleTimeout)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "junction"),
        services: backend.services + [
            StoreLifecycle(backend: backend),
            BookkeepingService(bookkeeping: dependencies.bookkeeping, logger: logger),
            DeliveryWorker(dependencies: dependencies, gate: gate),
            RenewalWorker(dependencies: dependencies, gate: gate), PayoutWorker(dependencies: dependencies, gate: gate),
        ],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            await onReady("http://\(configuration.host):\(port)")
        },
        logger: logger)
    // The pool (PostgreSQL) runs as a service, so migrations wait until services have started.
    app.beforeServerStarts {
        Pages.load()
        try await store.migrate()
        dependencies.clock.observe(offset: try await store.clockOffset())
        if let seed {
            for line in try await seed.apply(dependencies.registration, store: store, baseURL: dependencies.publicURL) {
                report(line)
            }
        }
        await gate.openGate()
    }
    return app
}

/// The routes of every part of Junction.
func buildRouter(_ dependencies: Dependencies, adminToken: String) -> Router<JunctionContext> {
    let router = Router(context: JunctionContext.self)
    router.add(middleware: RequestMetricsMiddleware(metrics: dependencies.metrics))
    router.add(middleware: WireMiddleware())
    router.get("/healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
    // Prometheus' text format, behind the admin token: the counts of every tenant are in it.
    router.group("/metrics").add(middleware: AdminAuthMiddleware(token: adminToken)).get { _, _ in
        var response = JSONResponse.make(
            body: try await dependencies.metrics.render(store: dependencies.store, now: dependencies.clock.now()))
        response.headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return response
    }
    router.get("/openapi.json") { _, _ in JSONResponse.make(body: dependencies.openAPI.bytes) }
    AccountController(dependencies: dependencies).addRoutes(to: router)
    EventController(dependencies: dependencies).addRoutes(to: router)
    CustomerController(dependencies: dependencies).addRoutes(to: router)
    PaymentMethodController(dependencies: dependencies).addRoutes(to: router)
    PaymentIntentController(dependencies: dependencies).addRoutes(to: router)
    ChargeController(dependencies: dependencies).addRoutes(to: router)
    RefundController(dependencies: dependencies).addRoutes(to: router)
    TransferController(dependencies: dependencies).addRoutes(to: router)
    PayoutController(dependencies: dependencies).addRoutes(to: router)
    WebhookEndpointController(dependencies: dependencies).addRoutes(to: router)
    ListenSessionController(dependencies: dependencies).addRoutes(to: router)
    ProductController(dependencies: dependencies).addRoutes(to: router)
    CouponController(dependencies: dependencies).addRoutes(to: router)
    SubscriptionController(dependencies: dependencies).addRoutes(to: router)
    SubscriptionItemController(dependencies: dependencies).addRoutes(to: router)
    MeterController(dependencies: dependencies).addRoutes(to: router)
    ControlController(dependencies: dependencies, adminToken: adminToken).addRoutes(to: router)
    OAuthController(dependencies: dependencies).addRoutes(to: router)

    // Pages: errors as pages; the person signed in, if any, in `context.identity`; the signed-in
    // group sends anyone else to log in.
    let pages = router.group()
        .add(middleware: PageErrorMiddleware())
        .add(middleware: WebSessionAuthenticator(sessions: WebSessions(dependencies: dependencies)))
    let signedIn = pages.group().add(middleware: RequireSignIn())
    SignInController(dependencies: dependencies).addRoutes(to: pages)
    OnboardingController(dependencies: dependencies).addRoutes(to: pages)
    ExpressController(dependencies: dependencies).addRoutes(to: pages)
    AuthorizePage(dependencies: dependencies).addRoutes(pages: pages, signedIn: signedIn)
    DashboardController(dependencies: dependencies).addRoutes(to: signedIn)
    PlatformViewController(dependencies: dependencies).addRoutes(to: signedIn)
    return router
}
