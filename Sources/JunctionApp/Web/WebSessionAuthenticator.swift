import ConnectModel
import Hummingbird
import HummingbirdAuth

/// Finds the signed-in person of a page request from the session cookie (sessions live in the
/// database, so every instance sees them).
struct WebSessionAuthenticator: AuthenticatorMiddleware {
    typealias Context = JunctionContext
    let sessions: WebSessions

    func authenticate(request: Request, context: Context) async throws -> SignedIn? {
        guard let session = try await sessions.current(request), let userID = session.user,
            let user = try await sessions.dependencies.store.user(userID)
        else { return nil }
        return SignedIn(session: session, user: user)
    }
}

/// Sends a visitor of a signed-in page to log in, and back here after.
struct RequireSignIn: RouterMiddleware {
    typealias Context = JunctionContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard context.identity != nil else {
            let here = request.uri.path + (request.uri.query.map { "?\($0)" } ?? "")
            return .redirect("/login?next=\(queryEscaped(here))")
        }
        return try await next(request, context)
    }
}

/// Errors of page routes as pages people read, not JSON.
struct PageErrorMiddleware: RouterMiddleware {
    typealias Context = JunctionContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            throw error  // the router's own 404 and 405
        } catch PageNotFound.account {
            return Pages.message(
                "Not found", "There is no such account among yours, or it has no dashboard.", status: .notFound,
                session: context.identity, link: ("/dashboard", "Back to your accounts"))
        } catch {
            let failure = JunctionError.from(error)
            if failure.kind == .internal { context.logger.error("page failed: \(String(reflecting: error))") }
            return Pages.message(failure.pageTitle, failure.message, status: failure.status, session: context.identity)
        }
    }
}
