import ConnectModel
import Foundation
import JunctionStorage

/// `/v1/accounts/{id}/external_accounts`: the bank accounts and debit cards an account is paid
/// out to. They are part of the account: each change is an account update, with
/// `account.external_account.*` and, when requirements move, `account.updated` in the same
/// transaction.
extension ConnectedAccounts {
    public func addExternalAccount(
        _ id: String, _ value: JSONValue, defaultForCurrency: Bool, metadata: [String: String],
        as relation: AccountRelation, request info: RequestInfo
    ) async throws -> JSONValue {
        let now = clock.now()
        let newID = SendableBox<String?>(nil)
        let updated = try await store.updateAccount(
            id,
            emitting: { Self.externalAccountEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account)
                var destination = try ExternalAccount.make(from: value, for: account, now: now)
                destination.defaultForCurrency = destination.defaultForCurrency || defaultForCurrency
                destination.metadata = metadata
                account.attach(destination)
                newID.value = destination.id
            })
        guard let updated, let created = newID.value.flatMap(updated.externalAccount) else {
            throw JunctionError.noSuch("account", id)
        }
        return created.rendered(account: id)
    }

    /// The external accounts `relation` sees: all of them for the account and its controller;
    /// none for anyone else who may see the account (Stripe returns them only where
    /// `controller.is_controller` is true).
    public func externalAccounts(of account: Account, as relation: AccountRelation) -> [ExternalAccount] {
        relation == .owner || relation == .controllingPlatform ? account.payoutDestinations : []
    }

    public func externalAccount(_ id: String, _ externalID: String, of account: Account, as relation: AccountRelation)
        throws -> JSONValue
    {
        guard let found = externalAccounts(of: account, as: relation).first(where: { $0.id == externalID }) else {
            throw JunctionError.noSuch("external account", externalID)
        }
        return found.rendered(account: id)
    }

    /// `POST /v1/accounts/{id}/external_accounts/{ba}`: `default_for_currency`, metadata, the
    /// holder's name and type, a card's expiry and name.
    public func updateExternalAccount(
        _ id: String, _ externalID: String, patch: ExternalAccountPatch, as relation: AccountRelation,
        request info: RequestInfo
    ) async throws -> JSONValue {
        let now = clock.now()
        let updated = try await store.updateAccount(
            id,
            emitting: { Self.externalAccountEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account)
                guard account.externalAccount(externalID) != nil else {
                    throw JunctionError.noSuch("external account", externalID)
                }
                account.updateExternalAccount(externalID) { patch.apply(to: &$0) }
                if patch.defaultForCurrency == true { account.makeDefault(externalID) }
            })
        guard let found = updated?.externalAccount(externalID) else {
            throw JunctionError.noSuch("external account", externalID)
        }
        return found.rendered(account: id)
    }

    public func deleteExternalAccount(
        _ id: String, _ externalID: String, as relation: AccountRelation, request info: RequestInfo
    ) async throws -> JSONValue {
        let now = clock.now()
        let kind = SendableBox<String>("bank_account")
        _ = try await store.updateAccount(
            id,
            emitting: { Self.externalAccountEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account)
                kind.value = account.externalAccount(externalID)?.kind.rawValue ?? "bank_account"
                try account.detach(externalID)
            })
        return ["id": .string(externalID), "object": .string(kind.value), "deleted": true]
    }

    /// `account.updated` when requirements moved, and `account.external_account.*` for what changed.
    static func externalAccountEvents(_ before: Account, _ after: Account, now: Int, request: RequestInfo) -> [Event] {
        AccountPartEvents(
            created: .externalAccountCreated, updated: .externalAccountUpdated, deleted: .externalAccountDeleted
        ).events(
            before, after, parts: \.payoutDestinations, id: \.id, render: { $0.rendered(account: $1) }, now: now,
            request: request)
    }

    /// Who may add, change or delete: the account itself, or its controller when the platform
    /// collects its requirements.
    static func requireManager(_ relation: AccountRelation, of account: Account, what: String = "external accounts")
        throws(JunctionError)
    {
        guard account.mayUpdate("external_account", as: relation) else {
            throw JunctionError(
                .permission, code: "more_permissions_required_for_application",
                message:
                    "This application does not have the required permissions to manage the \(what) of account '\(account.id)'. Only the account itself, or its controller when the platform collects its requirements, may."
            )
        }
    }

    /// Who may read them: the account itself and its controlling platform.
    static func requireReader(_ relation: AccountRelation, of account: Account, what: String = "external accounts")
        throws(JunctionError)
    {
        guard relation == .owner || relation == .controllingPlatform else {
            throw JunctionError(
                .permission, code: "more_permissions_required_for_application",
                message:
                    "This application does not have the required permissions to read the \(what) of account '\(account.id)'."
            )
        }
    }
}

/// What `POST /v1/accounts/{id}/external_accounts/{id}` may change.
public struct ExternalAccountPatch: Sendable {
    public var defaultForCurrency: Bool?
    public var metadata: [String: String?]?
    public var accountHolderName: String?
    public var accountHolderType: String?
    public var expMonth: Int?
    public var expYear: Int?
    public var name: String?

    public init(
        defaultForCurrency: Bool? = nil, metadata: [String: String?]? = nil, accountHolderName: String? = nil,
        accountHolderType: String? = nil, expMonth: Int? = nil, expYear: Int? = nil, name: String? = nil
    ) {
        self.defaultForCurrency = defaultForCurrency
        self.metadata = metadata
        self.accountHolderName = accountHolderName
        self.accountHolderType = accountHolderType
        self.expMonth = expMonth
        self.expYear = expYear
        self.name = name
    }

    func apply(to destination: inout ExternalAccount) {
        if let metadata {
            for (key, value) in metadata { destination.metadata[key] = value }
        }
        if let accountHolderName { destination.accountHolderName = accountHolderName }
        if let accountHolderType { destination.accountHolderType = accountHolderType }
        if let expMonth { destination.expMonth = expMonth }
        if let expYear { destination.expYear = expYear }
        if let name { destination.name = name }
    }
}

/// A value a `@Sendable` closure hands back to its caller (the closure runs inside the store's
/// transaction, before the call returns).
final class SendableBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension EventType {
    public static let externalAccountCreated = EventType(rawValue: "account.external_account.created")
    public static let externalAccountUpdated = EventType(rawValue: "account.external_account.updated")
    public static let externalAccountDeleted = EventType(rawValue: "account.external_account.deleted")
}
