/// A person of a company account (`person_…`): its representative, owners, directors and
/// executives. Kept with the account, as its requirements depend on them.
public struct Person: Sendable, Codable, Equatable {
    public var id: String
    public var created: Int
    /// What was provided (`first_name`, `dob`, `address`, …; ids are kept but never shown).
    public var details: JSONValue
    public var relationship: Relationship
    public var metadata: [String: String]

    public struct Relationship: Sendable, Codable, Equatable {
        public var representative = false
        public var owner = false
        public var director = false
        public var executive = false
        public var title: String?
        public var percentOwnership: Double?

        public init() {}
    }

    public init(id: String, created: Int, details: JSONValue, relationship: Relationship, metadata: [String: String]) {
        self.id = id
        self.created = created
        self.details = details
        self.relationship = relationship
        self.metadata = metadata
    }

    /// What a person in each role must provide (Junction's documented model).
    public var missingFields: [String] {
        var due: [String] = []
        var needed = ["first_name", "last_name"]
        if relationship.representative || relationship.owner || relationship.executive {
            needed += ["dob.day", "dob.month", "dob.year", "email"]
        }
        if relationship.representative {
            needed += ["phone", "address.line1", "address.city", "address.postal_code", "relationship.title"]
        }
        for path in needed {
            if path == "relationship.title" {
                if relationship.title?.isEmpty != false { due.append(path) }
            } else if details.value(at: path) == nil || details.value(at: path) == .null {
                due.append(path)
            }
        }
        return due
    }

    /// The Stripe JSON of this person of `account`.
    public func rendered(account: String) -> JSONValue {
        let base: JSONValue = [
            "id": .string(id), "object": "person", "account": .string(account), "created": .int(created),
            "additional_tos_acceptances": ["account": nil], "address": nil, "address_kana": nil,
            "address_kanji": nil, "dob": ["day": nil, "month": nil, "year": nil], "email": nil, "first_name": nil,
            "first_name_kana": nil, "first_name_kanji": nil, "full_name_aliases": [], "gender": nil,
            "last_name": nil, "last_name_kana": nil, "last_name_kanji": nil, "maiden_name": nil,
            "nationality": nil, "phone": nil, "political_exposure": nil, "registered_address": nil,
            "us_cfpb_data": nil,
            "verification": [
                "additional_document": nil, "details": nil, "details_code": nil, "document": nil,
                "status": "unverified",
            ],
        ]
        var object = Account.withoutSecrets(
            base.merging(details),
            [
                "id_number": "id_number_provided", "id_number_secondary": "id_number_secondary_provided",
                "ssn_last_4": "ssn_last_4_provided",
            ])
        object["relationship"] = [
            "director": .bool(relationship.director), "executive": .bool(relationship.executive),
            "owner": .bool(relationship.owner),
            "percent_ownership": relationship.percentOwnership.map(JSONValue.double) ?? nil,
            "representative": .bool(relationship.representative), "title": JSONValue(relationship.title),
            "authorizer": false, "legal_guardian": false,
        ]
        object["metadata"] = .object(metadata.mapValues(JSONValue.string))
        object["requirements"] = Account.personRequirementsJSON(due: missingFields)
        object["future_requirements"] = Account.personRequirementsJSON(due: [])
        return object
    }
}

extension Account {
    public var people: [Person] { persons ?? [] }

    public func person(_ id: String) -> Person? { people.first { $0.id == id } }

    /// Adds or replaces a person. An account has one representative: naming another moves it.
    public mutating func store(_ person: Person) {
        var list = people.filter { $0.id != person.id }
        if person.relationship.representative {
            for index in list.indices { list[index].relationship.representative = false }
        }
        if let index = people.firstIndex(where: { $0.id == person.id }) {
            list.insert(person, at: min(index, list.count))
        } else {
            list.append(person)
        }
        persons = list
    }

    public mutating func removePerson(_ id: String) throws(JunctionError) {
        guard person(id) != nil else { throw .noSuch("person", id) }
        persons = people.filter { $0.id != id }
    }

    /// A company's requirements that come from its people: a representative with everything a
    /// representative provides, the owners (`company.owners_provided` until the platform says
    /// all are given, and each owner's details). Individual accounts need none.
    var personRequirements: [String] {
        guard ["company", "non_profit", "government_entity"].contains(businessType ?? "") else { return [] }
        var due: [String] = []
        if let representative = people.first(where: \.relationship.representative) {
            due += representative.missingFields.map { "\(representative.id).\($0)" }
        } else {
            due += [
                "representative.first_name", "representative.last_name", "representative.dob.day",
                "representative.dob.month", "representative.dob.year", "representative.email",
                "representative.phone", "representative.address.line1", "representative.address.city",
                "representative.address.postal_code", "representative.relationship.title",
            ]
        }
        if businessType == "company", company?.value(at: "owners_provided") != true {
            due.append("company.owners_provided")
        }
        for person in people where !person.relationship.representative {
            due += person.missingFields.map { "\(person.id).\($0)" }
        }
        return due
    }
}
