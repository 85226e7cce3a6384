import ConnectModel
import Crypto
import Foundation
import Hummingbird

/// `Authorization: Bearer <admin token>` on every control call; compared in constant time.
struct AdminAuthMiddleware: RouterMiddleware {
    typealias Context = JunctionContext
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let given = KeyHeader.key(from: request.headers[.authorization]) ?? ""
        guard SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8)) else {
            throw JunctionError(
                .authentication, code: "invalid_admin_token",
                message: "Missing or wrong admin token (Authorization: Bearer <admin token>).")
        }
        return try await next(request, context)
    }
}
