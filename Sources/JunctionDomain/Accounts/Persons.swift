import ConnectModel
import Foundation
import JunctionStorage

/// What a person create or update asks for.
public struct PersonChange: Sendable {
    /// The details as a patch (`null` unsets), without `relationship` and `metadata`.
    public var details: JSONValue
    public var representative: Bool?
    public var owner: Bool?
    public var director: Bool?
    public var executive: Bool?
    /// `.some(nil)` unsets.
    public var title: String??
    public var percentOwnership: Double??
    public var metadata: [String: String?]?

    public init(
        details: JSONValue = [:], representative: Bool? = nil, owner: Bool? = nil, director: Bool? = nil,
        executive: Bool? = nil, title: String?? = nil, percentOwnership: Double?? = nil,
        metadata: [String: String?]? = nil
    ) {
        self.details = details
        self.representative = representative
        self.owner = owner
        self.director = director
        self.executive = executive
        self.title = title
        self.percentOwnership = percentOwnership
        self.metadata = metadata
    }

    func apply(to person: inout Person) {
        person.details = person.details.merging(details)
        if let representative { person.relationship.representative = representative }
        if let owner { person.relationship.owner = owner }
        if let director { person.relationship.director = director }
        if let executive { person.relationship.executive = executive }
        if let title { person.relationship.title = title }
        if let percentOwnership { person.relationship.percentOwnership = percentOwnership }
        if let metadata {
            for (key, value) in metadata { person.metadata[key] = value }
        }
    }
}

/// `/v1/accounts/{id}/persons`: a company's representative, owners, directors and executives
/// (issue 12, point 5). They are part of the account, as its requirements follow them: each
/// change is an account update with `person.*` and, when requirements move, `account.updated`.
extension ConnectedAccounts {
    public func createPerson(
        _ id: String, _ change: PersonChange, as relation: AccountRelation, request info: RequestInfo
    ) async throws -> JSONValue {
        let now = clock.now()
        let personID = Identifiers.make("person")
        let updated = try await store.updateAccount(
            id, emitting: { Self.personEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account, what: "persons")
                var person = Person(
                    id: personID, created: now, details: [:], relationship: Person.Relationship(), metadata: [:])
                change.apply(to: &person)
                account.store(person)
            })
        guard let person = updated?.person(personID) else { throw JunctionError.noSuch("account", id) }
        return person.rendered(account: id)
    }

    public func updatePerson(
        _ id: String, _ personID: String, _ change: PersonChange, as relation: AccountRelation,
        request info: RequestInfo
    ) async throws -> JSONValue {
        let now = clock.now()
        let updated = try await store.updateAccount(
            id, emitting: { Self.personEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account, what: "persons")
                if personID == account.individualPersonID, account.individual != nil {
                    // An individual account's person is its `individual`.
                    account.individual = (account.individual ?? [:]).merging(change.details)
                    return
                }
                guard var person = account.person(personID) else { throw JunctionError.noSuch("person", personID) }
                change.apply(to: &person)
                account.store(person)
            })
        guard let updated else { throw JunctionError.noSuch("account", id) }
        if personID == updated.individualPersonID, updated.individual != nil {
            return updated.rendered(for: relation)["individual"] ?? nil
        }
        guard let person = updated.person(personID) else { throw JunctionError.noSuch("person", personID) }
        return person.rendered(account: id)
    }

    public func deletePerson(_ id: String, _ personID: String, as relation: AccountRelation, request info: RequestInfo)
        async throws -> JSONValue
    {
        let now = clock.now()
        _ = try await store.updateAccount(
            id, emitting: { Self.personEvents($0, $1, now: now, request: info) },
            { account in
                try Self.requireManager(relation, of: account, what: "persons")
                try account.removePerson(personID)
            })
        return ["id": .string(personID), "object": "person", "deleted": true]
    }

    /// The people `relation` may read: a company's persons, or an individual account's one.
    public func persons(of account: Account, as relation: AccountRelation) throws -> [JSONValue] {
        try Self.requireReader(relation, of: account, what: "persons")
        var people = account.people.map { $0.rendered(account: account.id) }
        if account.individual != nil, let individual = account.rendered(for: relation)["individual"] {
            people.insert(individual, at: 0)
        }
        return people
    }

    /// `account.updated` when requirements moved, and `person.*` for what changed.
    static func personEvents(_ before: Account, _ after: Account, now: Int, request: RequestInfo) -> [Event] {
        AccountPartEvents(created: .personCreated, updated: .personUpdated, deleted: .personDeleted).events(
            before, after, parts: \.people, id: \.id, render: { $0.rendered(account: $1) }, now: now,
            request: request)
    }
}

extension Account {
    /// The id of an individual account's one person (derived from the account's, so it never changes).
    public var individualPersonID: String { "person_" + id.dropFirst("acct_".count) }
}

extension EventType {
    public static let personCreated = EventType(rawValue: "person.created")
    public static let personUpdated = EventType(rawValue: "person.updated")
    public static let personDeleted = EventType(rawValue: "person.deleted")
}
