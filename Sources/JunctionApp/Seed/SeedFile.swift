import ConnectModel
import Foundation
import JunctionDomain
import JunctionStorage
import Yams

/// A `--seed` file: applications, users and their accounts to create at start.
///
/// Seeding is idempotent: what a file created is recorded by its natural key (an application's
/// name, a user's email, a user's account's business name), and running it again creates
/// nothing new.
struct SeedFile: Decodable, Sendable {
    struct Application: Decodable, Sendable {
        var name: String
        var kind: ConnectApplication.Kind
        var redirectURIs: [String]?
        /// A fixed secret key, so scripts and docs can use it; otherwise one is made and printed once.
        var secretKey: String?
        /// The email of a seeded user who owns the application's account (sees its connected accounts).
        var ownerEmail: String?
        /// The default API version of the application's account (newest if absent).
        var apiVersion: String?

        enum CodingKeys: String, CodingKey {
            case name, kind
            case redirectURIs = "redirect_uris"
            case secretKey = "secret_key"
            case ownerEmail = "owner_email"
            case apiVersion = "api_version"
        }
    }

    struct Person: Decodable, Sendable {
        var email: String
        var password: String
        var accounts: [Account]?
    }

    struct Account: Decodable, Sendable {
        var businessName: String
        var country: String?
        var email: String?

        enum CodingKeys: String, CodingKey {
            case businessName = "business_name"
            case country, email
        }
    }

    var applications: [Application]?
    var users: [Person]?

    static func load(path: String) throws -> SeedFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeedError(message: "Cannot read the seed file \(path).")
        }
        do {
            return try YAMLDecoder().decode(SeedFile.self, from: String(decoding: data, as: UTF8.self))
        } catch {
            throw SeedError(message: "The seed file \(path) is not valid: \(error)")
        }
    }

    /// Creates what is not there yet; returns one line to print per application.
    func apply(_ registration: Registration, store: any Store, baseURL: String) async throws -> [String] {
        var lines: [String] = []
        do {
            var usersByEmail: [String: User] = [:]
            for person in users ?? [] {
                let email = person.email.lowercased()
                if let existing = try await store.user(email: email) {
                    usersByEmail[email] = existing
                } else {
                    let user = try await registration.createUser(email: email, password: person.password)
                    usersByEmail[email] = user
                    try await store.recordSeededObject(kind: "user", key: email, id: user.id)
                }
            }
            for app in applications ?? [] {
                if let id = try await store.seededObject(kind: "application", key: app.name) {
                    let key =
                        app.secretKey.map { " secret key \($0)" }
                        ?? " (its secret key was printed when it was first seeded)"
                    lines.append(
                        "seed: \(app.kind.rawValue) \(app.name) \(id)\(key)" + Self.authorizeHint(id, app, baseURL))
                    continue
                }
                let owner = try app.ownerEmail.map { email -> User in
                    guard let owner = usersByEmail[email.lowercased()] else {
                        throw SeedError(
                            message: "owner_email \(email) of application \(app.name) is not one of the seed's users.")
                    }
                    return owner
                }
                let created = try await registration.createApplication(
                    name: app.name, kind: app.kind, redirectURIs: app.redirectURIs ?? [], secretKey: app.secretKey,
                    owner: owner, apiVersion: app.apiVersion)
                try await store.recordSeededObject(kind: "application", key: app.name, id: created.application.id)
                lines.append(
                    "seed: \(app.kind.rawValue) \(app.name) \(created.application.id) secret key \(created.secret)"
                        + Self.authorizeHint(created.application.id, app, baseURL))
            }
            for person in users ?? [] {
                let email = person.email.lowercased()
                guard let user = usersByEmail[email] else { continue }
                for account in person.accounts ?? [] {
                    let key = "\(email)/\(account.businessName)"
                    if try await store.seededObject(kind: "account", key: key) != nil { continue }
                    let opened = try await registration.openAccount(
                        for: user, businessName: account.businessName, country: account.country, email: account.email,
                        shareBusinessWith: nil)
                    try await store.recordSeededObject(kind: "account", key: key, id: opened.account.id)
                }
            }
        } catch let refusal as JunctionError {
            throw SeedError(message: "The seed file was refused: \(refusal.param ?? "seed"): \(refusal.message)")
        }
        return lines
    }

    static func authorizeHint(_ id: String, _ app: Application, _ baseURL: String) -> String {
        guard app.kind == .platform else { return "" }
        return "\n      authorize URL: \(baseURL)/oauth/authorize?response_type=code&client_id=\(id)&scope=read_write"
    }
}

struct SeedError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
