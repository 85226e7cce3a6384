import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import JunctionApp

/// The page route groups: the session middleware, the signed-in group, page errors.
@Suite("Page routes")
struct PageRoutesTests {
    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = try await buildApplication(
            JunctionConfiguration(
                host: "127.0.0.1", port: 0, database: "sqlite::memory:", adminToken: "t", logLevel: .error))
        try await app.test(.live) { client in try await body(client) }
    }

    @Test("C11: signed-in pages send an anonymous visitor to log in, and back after")
    func signedInGroupRedirects() async throws {
        try await withApp { client in
            for path in [
                "/dashboard", "/dashboard/accounts/acct_x/applications", "/dashboard/accounts/acct_x/connected",
            ] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .seeOther, "\(path)")
                let next = path.replacingOccurrences(of: "/", with: "%2F")
                #expect(response.headers[.location] == "/login?next=\(next)", "\(path)")
            }
            let revoke = try await client.execute(
                uri: "/dashboard/accounts/acct_x/applications/ca_x/revoke", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf_token=x"))
            #expect(revoke.status == .seeOther, "a form posted without a session revokes nothing")
        }
    }

    @Test("a malformed form is a 400 page that says why, not a CSRF refusal; a wrong token is 403")
    func malformedForm() async throws {
        try await withApp { client in
            let page = try await client.execute(uri: "/login", method: .get)
            let cookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let html = String(buffer: page.body)
            let token = try #require(
                html.range(of: #"name="csrf_token" value=""#).map {
                    html[$0.upperBound...].prefix(while: { $0 != "\"" })
                })
            let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .cookie: cookie]
            let malformed = try await client.execute(
                uri: "/login", method: .post, headers: headers, body: ByteBuffer(string: "csrf_token=\(token)&a[b=1"))
            #expect(malformed.status == .badRequest)
            #expect(malformed.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(!String(buffer: malformed.body).contains("Form expired"))
            let forged = try await client.execute(
                uri: "/login", method: .post, headers: headers,
                body: ByteBuffer(string: "csrf_token=forged&email=a%40b.c&password=x"))
            #expect(forged.status == .forbidden)
            #expect(String(buffer: forged.body).contains("Form expired"))
        }
    }
}
