/// One token of a source file; comments are dropped, so nothing in a comment is ever reported.
struct Token: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case identifier
        /// A string literal; `text` is its value, escapes left as written.
        case string
        case number
        case punctuation
    }

    var kind: Kind
    var text: String
    /// Byte offsets of the whole token in the file (quotes included).
    var start: Int
    var end: Int
    /// 1-based line and column of `start`.
    var line: Int
    var column: Int

    func isPunctuation(_ symbol: String) -> Bool { kind == .punctuation && text == symbol }
    func isIdentifier(_ name: String) -> Bool { kind == .identifier && text == name }
    var isOpening: Bool { kind == .punctuation && (text == "(" || text == "[" || text == "{") }
    var isClosing: Bool { kind == .punctuation && (text == ")" || text == "]" || text == "}") }
}
