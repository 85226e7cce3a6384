import ConnectModel
import Crypto
import Foundation
import Hummingbird

/// Browser sessions and CSRF for the server-rendered pages.
///
/// The cookie is HttpOnly and SameSite=Lax: Lax, not Strict, because a person arrives at the
/// authorize page by a top-level navigation from the platform's site and must still be signed
/// in there. Every form carries the session's CSRF token, checked in constant time.
struct WebSessions: Sendable {
    let dependencies: Dependencies

    static let cookieName = "junction_session"
    static let lifetime = 7 * 24 * 3600
    /// A session nobody signed in to only carries a CSRF token for a form: every cookie-less
    /// page view makes one, so it lasts an hour, not a week (L5 of the security review).
    static let anonymousLifetime = 3600

    /// The session the request's cookie names, if it is valid.
    func current(_ request: Request) async throws -> WebSession? {
        guard let token = Self.cookie(Self.cookieName, in: request) else { return nil }
        return try await dependencies.store.session(tokenHash: Identifiers.hash(token), now: dependencies.clock.now())
    }

    /// The current session, or a new anonymous one (with the cookie to set) so forms get a CSRF token.
    func ensure(_ request: Request) async throws -> (WebSession, setCookie: String?) {
        if let session = try await current(request) { return (session, nil) }
        return try await start(user: nil, account: nil)
    }

    /// A new session (after sign-up, log-in or a login link); the old one should be ended.
    func start(user: String?, account: String?) async throws -> (WebSession, setCookie: String?) {
        let token = Identifiers.secret("")
        let now = dependencies.clock.now()
        let lifetime = user == nil && account == nil ? Self.anonymousLifetime : Self.lifetime
        let session = WebSession(
            tokenHash: Identifiers.hash(token), user: user, account: account, csrf: Identifiers.random(length: 32),
            created: now, expiresAt: now + lifetime)
        try await dependencies.store.insertSession(session)
        return (session, "\(Self.cookieName)=\(token); \(cookieAttributes); Max-Age=\(lifetime)")
    }

    /// `Secure` when Junction is reached over https (`--public-url https://…`), so the cookie never
    /// travels in the clear (L8); a local Junction on http keeps working without it.
    var cookieAttributes: String {
        dependencies.secureCookies ? "Path=/; HttpOnly; SameSite=Lax; Secure" : "Path=/; HttpOnly; SameSite=Lax"
    }

    func end(_ session: WebSession) async throws {
        try await dependencies.store.deleteSession(tokenHash: session.tokenHash)
    }

    var clearCookie: String { "\(Self.cookieName)=; \(cookieAttributes); Max-Age=0" }

    /// Whether `form` carries the session's CSRF token.
    static func csrfValid(_ session: WebSession, _ form: [String: String]) -> Bool {
        SHA256.hash(data: Data((form["csrf_token"] ?? "").utf8)) == SHA256.hash(data: Data(session.csrf.utf8))
    }

    /// A posted form of the session: its fields when its CSRF token matches, else `nil`.
    func form(_ request: Request, session: WebSession?) async throws -> [String: String]? {
        let form = try await BodyReader.fields(request)
        guard let session, Self.csrfValid(session, form) else { return nil }
        return form
    }

    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    /// Only local paths are followed after log-in, never another site.
    static func safeNext(_ next: String?) -> String? {
        // A path on this site only: browsers drop tabs and newlines from URLs, so `/\t/evil`
        // would be `//evil`, another site (M4 of the security review). Only the characters a
        // path may hold are let through, and never `//` or a backslash.
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"),
            next.unicodeScalars.allSatisfy({ safePathCharacters.contains($0) })
        else { return nil }
        return next
    }

    private static let safePathCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@%/?")
}
