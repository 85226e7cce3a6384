/// What a finding is about.
public enum FindingKind: String, Sendable, Codable, CaseIterable {
    /// An account created with `type`.
    case creation
    /// A condition on an account's type.
    case condition
    /// An account type stored or declared as data (fixtures, enums, columns): informational.
    case data

    /// The rule id in SARIF and JSON.
    public var ruleID: String {
        switch self {
        case .creation: "junction/account-type-creation"
        case .condition: "junction/account-type-condition"
        case .data: "junction/account-type-data"
        }
    }
}

/// One controller property that may carry a condition's intent, and the test to write with it.
public struct Candidate: Sendable, Codable, Equatable {
    public var property: ControllerProperty
    /// The condition rewritten on the property, in the file's language.
    public var expression: String
    /// What each legacy type reports for it ("express": "application_express", …).
    public var values: [String: String]
}

/// A replacement of bytes in a file: how `--diff` rewrites a creation site.
public struct Rewrite: Sendable, Codable, Equatable {
    public var start: Int
    public var end: Int
    public var replacement: String
}

/// One place in the code where an account type is used.
public struct Finding: Sendable, Codable, Equatable {
    public var path: String
    public var language: SourceLanguage
    public var kind: FindingKind
    public var line: Int
    public var column: Int
    public var endLine: Int
    public var endColumn: Int
    /// The source lines of the finding, as written.
    public var snippet: String
    /// The legacy types the code names or selects here.
    public var types: [LegacyAccountType]
    /// One sentence: what was found.
    public var message: String
    /// What to write instead (creation: the controller hash in the file's language).
    public var suggestion: String?
    /// Conditions: the properties that may carry its intent, the most likely first.
    public var candidates: [Candidate]
    /// Whether the intent was read from the code around the condition (else all candidates).
    public var intentKnown: Bool
    /// Notes that go with the suggestion (the reported fees.payer, what a custom account needs).
    public var notes: [String]
    /// The mechanical rewrite `--diff` applies, when there is one.
    public var rewrite: Rewrite?
}
