// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "junction",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "junction", targets: ["junction"]),
        .library(name: "JunctionApp", targets: ["JunctionApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Stripe's bracket form encoding: parsing, the parameter tree, schema validation.
        .target(name: "StripeForm"),
        // The Connect rules: accounts, controller properties, connections. No HTTP, no SQL.
        .target(name: "ConnectModel", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // The one SQLite setting Swift cannot reach (a variadic C function).
        .target(
            name: "CJunctionSQLite",
            dependencies: [.product(name: "SQLiteNIO", package: "sqlite-nio")]
        ),
        // Storage behind small protocols by concern, implemented once with SQLKit for SQLite and PostgreSQL.
        .target(
            name: "JunctionStorage",
            dependencies: [
                "ConnectModel",
                "CJunctionSQLite",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The domain layer: what Junction does (payments, refunds, billing, OAuth, registration, …),
        // over the store's protocols. No HTTP.
        .target(
            name: "JunctionDomain",
            dependencies: [
                "ConnectModel",
                "JunctionStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTP application: wire protocol, API controllers, pages, control API, workers.
        .target(
            name: "JunctionApp",
            dependencies: [
                "StripeForm",
                "ConnectModel",
                "JunctionStorage",
                "JunctionDomain",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Web/Templates")]
        ),
        // `junction listen`: a client of a running Junction, like the Stripe CLI's `listen`.
        // `junction scan`: reads source files, knows neither HTTP nor SQL.
        .target(name: "JunctionScan", dependencies: ["ConnectModel"]),
        .target(
            name: "JunctionListen",
            dependencies: [
                "ConnectModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
            ]
        ),
        // The whole request pipeline under libFuzzer (fuzz/run-pipeline); replays its corpus otherwise.
        .executableTarget(
            name: "JunctionFuzz",
            dependencies: [
                "JunctionApp",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .executableTarget(
            name: "junction",
            dependencies: [
                "ConnectModel",
                "JunctionApp",
                "JunctionListen",
                "JunctionScan",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "StripeFormTests", dependencies: ["StripeForm"]),
        .testTarget(name: "ConnectModelTests", dependencies: ["ConnectModel"]),
        .testTarget(name: "JunctionScanTests", dependencies: ["JunctionScan"], resources: [.copy("Fixtures")]),
        .testTarget(name: "JunctionStorageTests", dependencies: ["JunctionStorage", "ConnectModel"]),
        .testTarget(name: "JunctionDomainTests", dependencies: ["JunctionDomain", "JunctionStorage", "ConnectModel"]),
        .testTarget(
            name: "JunctionAppTests",
            dependencies: [
                "JunctionApp",
                "JunctionDomain",
                "JunctionStorage",
                "ConnectModel",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
