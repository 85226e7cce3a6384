import ConnectModel
import Crypto
import Foundation
import Hummingbird
import JunctionStorage

/// Who is calling: the account that owns the key, and the application it runs, if any. For an
/// OAuth access token (A3): the connected account, the connection's application, the connection
/// and the token's scope.
struct Principal: Sendable {
    /// The key as sent (only ever shown masked).
    var key: String
    var account: Account
    var application: ConnectApplication?
    /// Set for OAuth access tokens only.
    var connection: Connection?
    var tokenScope: Connection.Scope?

    /// The idempotency scope: keys are scoped to the key holder (for a token, its connection).
    var scope: String { connection.map { "oauth:\($0.id)" } ?? account.id }

    /// The application whose connected accounts this caller lists: none when acting through a token.
    var listingApplication: ConnectApplication? { connection == nil ? application : nil }
}

/// Finds the caller of an API request from `Authorization` (Bearer, or Basic with the key as
/// user name), A1.
struct Authenticator: Sendable {
    let store: any Store

    func principal(for request: Request) async throws -> Principal {
        guard let key = Self.key(from: request.headers[.authorization]) else { throw StripeError.missingKey() }
        guard let holder = try await store.keyHolder(hash: Self.hash(key)), holder.key.kind != .oauthRefresh else {
            throw StripeError.invalidKey(key)
        }
        if holder.key.kind == .publishable {
            throw StripeError(
                status: .unauthorized,
                message: "This API call cannot be made with a publishable API key. Please use a secret API key.")
        }
        return Principal(
            key: key, account: holder.account, application: holder.application, connection: holder.connection,
            tokenScope: holder.connection == nil ? nil : holder.key.scope)
    }

    static func key(from header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "bearer":
            let key = parts[1].trimmingCharacters(in: .whitespaces)
            return key.isEmpty ? nil : key
        case "basic":
            guard let data = Data(base64Encoded: String(parts[1])), let text = String(data: data, encoding: .utf8)
            else {
                return nil
            }
            let user = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
            return user?.isEmpty == false ? user : nil
        default:
            return nil
        }
    }

    /// Keys are high-entropy secrets, so a plain SHA-256 is enough to store them safely.
    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
