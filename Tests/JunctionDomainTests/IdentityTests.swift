import ConnectModel
import Foundation
import JunctionDomain
import JunctionStorage
import Testing

/// Registration and the OAuth flow, as the pages, `/oauth/*` and the control API call them.
@Suite("Domain: registration and OAuth")
struct IdentityTests {
    @Test("logins: emails are unique and case-insensitive; a wrong password signs nobody in")
    func logins() async throws {
        try await DomainFixture.run { fixture in
            let user = try await fixture.registration.createUser(email: "Jenny@Example.com", password: "correct horse")
            #expect(user.email == "jenny@example.com")
            let taken = await #expect(throws: JunctionError.self) {
                _ = try await fixture.registration.createUser(email: "jenny@example.com", password: "another one")
            }
            #expect(taken?.kind == .conflict)
            #expect(taken?.code == "email_taken")
            #expect(try await fixture.registration.signIn(email: "jenny@example.com", password: "wrong pass") == nil)
            #expect(
                try await fixture.registration.signIn(email: "jenny@example.com", password: "correct horse")?.id
                    == user.id)
            let short = await #expect(throws: JunctionError.self) {
                _ = try await fixture.registration.createUser(email: "x@example.com", password: "short")
            }
            #expect(short?.param == "password")
        }
    }

    /// The code of an authorize redirect.
    static func code(in url: String) throws -> String {
        let items = URLComponents(string: url)?.queryItems ?? []
        return try #require(items.first { $0.name == "code" }?.value)
    }

    @Test("P4, P15: a code is single-use and its reuse revokes its tokens; a second platform cannot connect")
    func authorizeAndExchange() async throws {
        try await DomainFixture.run { fixture in
            let user = try await fixture.registration.createUser(email: "owner@example.com", password: "password1")
            let opened = try await fixture.registration.openAccount(
                for: user, businessName: "Corner Shop", country: "US", email: nil, shareBusinessWith: nil)
            let platform = fixture.platform.application
            func decision(_ clientID: String, state: String) -> AuthorizeDecision {
                AuthorizeDecision(
                    clientID: clientID, user: user, scope: "read_write", redirectURI: nil, state: state, allow: true,
                    account: opened.account.id, createAccount: false, shareBusinessWith: nil,
                    request: RequestInfo(id: "req_test", idempotencyKey: nil))
            }
            let redirect = try await fixture.oauth.authorize(decision(platform.id, state: "s1"))
            #expect(redirect.hasPrefix("https://rocket.example/callback?"))
            #expect(redirect.contains("state=s1"))
            let code = try Self.code(in: redirect)

            let token = try await fixture.oauth.exchange(code: code, application: platform)
            #expect(token["stripe_user_id"]?.stringValue == opened.account.id)
            #expect(token["scope"]?.stringValue == "read_write")
            let access = try #require(token["access_token"]?.stringValue)
            let authentication = Authentication(store: fixture.store)
            #expect(try await authentication.principal(key: access).account.id == opened.account.id)

            // P15: reusing the code is invalid_grant, and the tokens issued from it stop working.
            let reused = await #expect(throws: JunctionError.self) {
                _ = try await fixture.oauth.exchange(code: code, application: platform)
            }
            #expect(reused?.oauthCode == "invalid_grant")
            await #expect(throws: JunctionError.self) { _ = try await authentication.principal(key: access) }

            // P4: another platform cannot connect the same account while this one is connected.
            let other = try await fixture.registration.createApplication(
                name: "Other Platform", kind: .platform, redirectURIs: ["https://other.example/cb"])
            let unavailable = await #expect(throws: JunctionError.self) {
                _ = try await fixture.oauth.authorize(decision(other.application.id, state: "s2"))
            }
            #expect(unavailable?.oauthCode == "account_unavailable")
            // P5: an extension may still connect.
            let extensionApp = try await fixture.registration.createApplication(
                name: "Insights", kind: .extension, redirectURIs: ["https://insights.example/cb"])
            var asExtension = decision(extensionApp.application.id, state: "s3")
            asExtension.scope = "read_only"
            #expect(try await fixture.oauth.authorize(asExtension).contains("code="))
        }
    }

    @Test("P15: a code expires after five minutes on Junction's clock")
    func codeExpires() async throws {
        try await DomainFixture.run { fixture in
            let user = try await fixture.registration.createUser(email: "late@example.com", password: "password1")
            let platform = fixture.platform.application
            let redirect = try await fixture.oauth.authorize(
                AuthorizeDecision(
                    clientID: platform.id, user: user, scope: "read_write", redirectURI: nil, state: nil, allow: true,
                    account: nil, createAccount: true, shareBusinessWith: nil, request: .none))
            fixture.clock.advance(by: OAuthFlow.codeLifetime + 1)
            let expired = await #expect(throws: JunctionError.self) {
                _ = try await fixture.oauth.exchange(code: try Self.code(in: redirect), application: platform)
            }
            #expect(expired?.oauthCode == "invalid_grant")
            #expect(expired?.message.contains("expired") == true)
        }
    }
}
