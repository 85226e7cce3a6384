/// The languages `junction scan` reads: those Stripe has official SDKs for, and Swift. JSON and
/// YAML files are read as fixtures, SQL files as schemas (data only).
public enum SourceLanguage: String, Sendable, CaseIterable, Codable {
    case python
    case ruby
    case javascript
    case typescript
    case go
    case java
    case php
    case csharp
    case swift
    case json
    case yaml
    case sql

    /// The language of a file, from its name; `nil` for files the scanner does not read.
    public init?(fileName: String) {
        guard let dot = fileName.lastIndex(of: ".") else { return nil }
        switch fileName[fileName.index(after: dot)...].lowercased() {
        case "py", "pyi": self = .python
        case "rb", "rake": self = .ruby
        case "js", "jsx", "mjs", "cjs": self = .javascript
        case "ts", "tsx", "mts", "cts": self = .typescript
        case "go": self = .go
        case "java": self = .java
        case "php": self = .php
        case "cs": self = .csharp
        case "swift": self = .swift
        case "json": self = .json
        case "yaml", "yml": self = .yaml
        case "sql": self = .sql
        default: return nil
        }
    }

    /// Fixture formats: only account types stored as data are looked for in them.
    var isData: Bool { self == .json || self == .yaml || self == .sql }

    /// Where a comment runs to the end of the line.
    var lineComments: [String] {
        switch self {
        case .python, .ruby, .yaml: ["#"]
        case .sql: ["--"]
        case .php: ["//", "#"]
        case .json: []
        default: ["//"]
        }
    }

    var hasBlockComments: Bool {
        switch self {
        case .python, .ruby, .yaml, .json: false
        default: true
        }
    }

    /// `$name` is one identifier in PHP.
    var dollarIdentifiers: Bool { self == .php }

    /// How the language compares for equality and inequality, as written in suggestions.
    var equality: (equal: String, notEqual: String) {
        switch self {
        case .javascript, .typescript, .php: ("===", "!==")
        default: ("==", "!=")
        }
    }

    /// The quote suggestions use for strings.
    var quote: String {
        switch self {
        case .ruby, .javascript, .typescript, .php: "'"
        default: "\""
        }
    }
}
