import ConnectModel
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import JunctionApp

/// In-process HTTP tests: the real application on a live loopback port.
@Suite("HTTP wire protocol")
struct HTTPTests {
    static let admin = "test-admin-token"

    static var databases: [String] {
        var urls = ["sqlite::memory:"]
        if let pg = ProcessInfo.processInfo.environment["JUNCTION_TEST_POSTGRES_URL"] { urls.append(pg) }
        return urls
    }

    func withApp(_ database: String, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildApplication(
            JunctionConfiguration(
                host: "127.0.0.1", port: 0, database: database, adminToken: Self.admin, logLevel: .error))
        try await app.test(.live) { client in try await body(client) }
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
    }

    /// Creates a platform through the control API and returns its secret key.
    static func platformKey(_ client: any TestClientProtocol) async throws -> String {
        let response = try await client.execute(
            uri: "/_junction/applications", method: .post,
            headers: [.authorization: "Bearer \(admin)", .contentType: "application/json"],
            body: ByteBuffer(
                string: #"{"name":"Test Platform","kind":"platform","redirect_uris":["http://localhost/cb"]}"#))
        #expect(response.status == .ok)
        return try json(response.body)["secret_key"]!.stringValue!
    }

    static func form(_ key: String, idempotency: String? = nil) -> HTTPFields {
        var headers: HTTPFields = [
            .authorization: "Bearer \(key)", .contentType: "application/x-www-form-urlencoded",
            HTTPField.Name("Stripe-Version")!: "2026-10-28.endive",
        ]
        if let idempotency { headers[HTTPField.Name("Idempotency-Key")!] = idempotency }
        return headers
    }

    @Test("healthz answers 200", arguments: databases)
    func healthz(_ database: String) async throws {
        try await withApp(database) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
        }
    }

    @Test("every response has Request-Id and echoes Stripe-Version; 4xx says do not retry", arguments: databases)
    func headers(_ database: String) async throws {
        try await withApp(database) { client in
            let key = try await Self.platformKey(client)
            let response = try await client.execute(
                uri: "/v1/accounts", method: .post, headers: Self.form(key, idempotency: "idem-1"),
                body: ByteBuffer(string: "controller[fees][payer]=nobody"))
            #expect(response.status == .badRequest)
            #expect(response.headers[HTTPField.Name("Request-Id")!]?.hasPrefix("req_") == true)
            #expect(response.headers[HTTPField.Name("Stripe-Version")!] == "2026-10-28.endive")
            #expect(response.headers[HTTPField.Name("Stripe-Should-Retry")!] == "false")
            #expect(response.headers[HTTPField.Name("Idempotency-Key")!] == "idem-1")
            let error = try Self.json(response.body)["error"]
            #expect(error?["type"] == "invalid_request_error")
            #expect(error?["param"] == "controller[fees][payer]")
        }
    }

    @Test("garbage bodies get a Stripe-shaped 400 and the server keeps serving", arguments: databases)
    func garbage(_ database: String) async throws {
        try await withApp(database) { client in
            let key = try await Self.platformKey(client)
            for body in ["a=%zz", "a[b=1", String(repeating: "k", count: 50_000) + "=1", "email=a%00b", "x]=1"] {
                let response = try await client.execute(
                    uri: "/v1/accounts", method: .post, headers: Self.form(key), body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body.prefix(20))")
                #expect(try Self.json(response.body)["error"]?["type"] == "invalid_request_error")
            }
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: 2 << 20)
            let tooLarge = try await client.execute(
                uri: "/v1/accounts", method: .post, headers: Self.form(key), body: huge)
            #expect(tooLarge.status == .contentTooLarge)
            let ok = try await client.execute(
                uri: "/v1/accounts", method: .post, headers: Self.form(key), body: ByteBuffer())
            #expect(ok.status == .ok)
        }
    }

    @Test("bad keys are 401 with the key masked; unknown routes are a Stripe 404", arguments: databases)
    func authentication(_ database: String) async throws {
        try await withApp(database) { client in
            let missing = try await client.execute(uri: "/v1/accounts", method: .get)
            #expect(missing.status == .unauthorized)
            let bad = try await client.execute(
                uri: "/v1/accounts", method: .get, headers: [.authorization: "Bearer sk_test_nothingatall1234"])
            #expect(bad.status == .unauthorized)
            #expect(try Self.json(bad.body)["error"]?["message"] == "Invalid API Key provided: sk_test_****1234")
            let basic = try await client.execute(
                uri: "/v1/accounts", method: .get,
                headers: [.authorization: "Basic \(Data("sk_test_nothingatall1234:".utf8).base64EncodedString())"])
            #expect(basic.status == .unauthorized)
            let key = try await Self.platformKey(client)
            let unknown = try await client.execute(
                uri: "/v1/nothing", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(unknown.status == .notFound)
            #expect(try Self.json(unknown.body)["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test("the control API needs the admin token", arguments: databases)
    func controlAuth(_ database: String) async throws {
        try await withApp(database) { client in
            let response = try await client.execute(
                uri: "/_junction/users", method: .post, headers: [.authorization: "Bearer wrong"],
                body: ByteBuffer(string: #"{"email":"a@b.c","password":"password1"}"#))
            #expect(response.status == .unauthorized)
        }
    }

    @Test(
        "/metrics: behind the admin token, requests by route pattern and status, database time, queue gauges",
        arguments: databases)
    func metrics(_ database: String) async throws {
        try await withApp(database) { client in
            let refused = try await client.execute(uri: "/metrics", method: .get)
            #expect(refused.status == .unauthorized)
            let key = try await Self.platformKey(client)
            let created = try await client.execute(
                uri: "/v1/customers", method: .post, headers: Self.form(key),
                body: ByteBuffer(string: "email=m@example.com"))
            let id = try Self.json(created.body)["id"]!.stringValue!
            for _ in 0..<3 {
                _ = try await client.execute(
                    uri: "/v1/customers/\(id)", method: .get, headers: [.authorization: "Bearer \(key)"])
            }
            _ = try await client.execute(
                uri: "/v1/customers/cus_missing", method: .get, headers: [.authorization: "Bearer \(key)"])
            let response = try await client.execute(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.admin)"])
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            let lines = text.split(separator: "\n").map(String.init)
            func value(_ prefix: String) -> Double? {
                lines.first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last!) }
            }
            // The route's pattern, never the id: one series per route, method and status.
            #expect(value(#"junction_http_requests_total{route="/v1/customers/{id}",method="GET",status="200"}"#) == 3)
            #expect(value(#"junction_http_requests_total{route="/v1/customers/{id}",method="GET",status="404"}"#) == 1)
            #expect(!text.contains(id))
            let database = value(
                #"junction_http_request_database_seconds_count{route="/v1/customers/{id}",method="GET",status="200"}"#)
            #expect(database == 3)
            // Key, connection check (none: the platform's own account) and the read.
            let calls = value(
                #"junction_http_request_database_calls_sum{route="/v1/customers/{id}",method="GET",status="200"}"#)
            #expect(calls.map { $0 >= 3 && $0 <= 9 } == true)
            #expect(value(#"junction_webhook_queue_depth{state="due"}"#) == 0)
            #expect(value("junction_renewal_lag_seconds") == 0)
        }
    }
}
