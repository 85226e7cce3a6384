/// Splits a source file into tokens, language by language only where it matters to the
/// scanner: comments, the forms of string literals, and what an identifier may hold.
struct Tokenizer {
    let language: SourceLanguage
    let bytes: [UInt8]

    private static let operators: [[UInt8]] = [
        "===", "!==", "?->", "...", "==", "!=", "=>", "->", "::", "?.", "&&", "||", "<=", ">=", ":=", "<<", "??",
    ].map { Array($0.utf8) }

    func tokens() -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4)
        var index = 0
        var line = 1
        var lineStart = 0
        let count = bytes.count

        func advanceLines(from: Int, to: Int) {
            var i = from
            while i < to {
                if bytes[i] == UInt8(ascii: "\n") {
                    line += 1
                    lineStart = i + 1
                }
                i += 1
            }
        }

        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            if byte == 0x20 || byte == 0x09 || byte == 0x0D {
                index += 1
                continue
            }
            // Comments.
            if let end = commentEnd(at: index) {
                advanceLines(from: index, to: end)
                index = end
                continue
            }
            let startLine = line
            let column = index - lineStart + 1
            // Ruby's word arrays: %w[express custom] are strings.
            if language == .ruby, byte == UInt8(ascii: "%"), index + 2 < count,
                bytes[index + 1] == UInt8(ascii: "w") || bytes[index + 1] == UInt8(ascii: "i"),
                let close = Self.closing(bytes[index + 2])
            {
                // The list reads as a bracketed list of strings.
                tokens.append(
                    Token(
                        kind: .punctuation, text: "[", start: index, end: index + 3, line: startLine, column: column))
                var i = index + 3
                var wordStart = -1
                while i < count, bytes[i] != close {
                    let isSpace = bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x09 || bytes[i] == 0x0D
                    if !isSpace && wordStart < 0 { wordStart = i }
                    if isSpace && wordStart >= 0 {
                        tokens.append(word(wordStart, i, line: startLine, lineStart: lineStart))
                        wordStart = -1
                    }
                    i += 1
                }
                if wordStart >= 0 { tokens.append(word(wordStart, i, line: startLine, lineStart: lineStart)) }
                let end = min(i + 1, count)
                advanceLines(from: index, to: min(i, count))
                tokens.append(
                    Token(
                        kind: .punctuation, text: "]", start: i, end: end, line: line, column: i - lineStart + 1))
                index = end
                continue
            }
            if let (end, valueStart, valueEnd) = stringLiteral(at: index) {
                tokens.append(
                    Token(
                        kind: .string, text: String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self),
                        start: index, end: end, line: startLine, column: column))
                advanceLines(from: index, to: end)
                index = end
                continue
            }
            if isIdentifierStart(byte) {
                var end = index + 1
                while end < count, isIdentifierPart(bytes[end]) { end += 1 }
                // Ruby method names may end in ? or !.
                if language == .ruby, end < count, bytes[end] == UInt8(ascii: "?") || bytes[end] == UInt8(ascii: "!"),
                    end + 1 >= count || bytes[end + 1] != UInt8(ascii: "=")
                {
                    end += 1
                }
                tokens.append(
                    Token(
                        kind: .identifier, text: String(decoding: bytes[index..<end], as: UTF8.self), start: index,
                        end: end, line: startLine, column: column))
                index = end
                continue
            }
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                var end = index + 1
                while end < count, isIdentifierPart(bytes[end]) || bytes[end] == UInt8(ascii: ".") { end += 1 }
                tokens.append(
                    Token(
                        kind: .number, text: String(decoding: bytes[index..<end], as: UTF8.self), start: index,
                        end: end, line: startLine, column: column))
                index = end
                continue
            }
            var length = 1
            for symbol in Self.operators where index + symbol.count <= count {
                if bytes[index..<(index + symbol.count)].elementsEqual(symbol) {
                    length = symbol.count
                    break
                }
            }
            tokens.append(
                Token(
                    kind: .punctuation, text: String(decoding: bytes[index..<(index + length)], as: UTF8.self),
                    start: index, end: index + length, line: startLine, column: column))
            index += length
        }
        return tokens
    }

    private func word(_ start: Int, _ end: Int, line: Int, lineStart: Int) -> Token {
        Token(
            kind: .string, text: String(decoding: bytes[start..<end], as: UTF8.self), start: start, end: end,
            line: line, column: start - lineStart + 1)
    }

    private static func closing(_ opening: UInt8) -> UInt8? {
        switch opening {
        case UInt8(ascii: "["): UInt8(ascii: "]")
        case UInt8(ascii: "("): UInt8(ascii: ")")
        case UInt8(ascii: "{"): UInt8(ascii: "}")
        case UInt8(ascii: "<"): UInt8(ascii: ">")
        case UInt8(ascii: "|"): UInt8(ascii: "|")
        default: nil
        }
    }

    private func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte >= 0x80 || (language.dollarIdentifiers && byte == UInt8(ascii: "$"))
            || (language == .javascript || language == .typescript) && byte == UInt8(ascii: "$")
    }

    private func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private func hasPrefix(_ text: String, at index: Int) -> Bool {
        let utf8 = Array(text.utf8)
        guard index + utf8.count <= bytes.count else { return false }
        return bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    /// The end of a comment that starts at `index`, if one does.
    private func commentEnd(at index: Int) -> Int? {
        for marker in language.lineComments where hasPrefix(marker, at: index) {
            // `#` in Ruby string interpolation never reaches here (strings are read whole); in PHP
            // `#[` starts an attribute, not a comment.
            if language == .php && marker == "#" && hasPrefix("#[", at: index) { return nil }
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
            return end
        }
        if language.hasBlockComments, hasPrefix("/*", at: index) {
            var depth = 0
            var end = index
            while end < bytes.count {
                if hasPrefix("/*", at: end) {
                    depth += 1
                    end += 2
                } else if hasPrefix("*/", at: end) {
                    end += 2
                    // Only Swift nests block comments.
                    depth = language == .swift ? depth - 1 : 0
                    if depth == 0 { return end }
                } else {
                    end += 1
                }
            }
            return end
        }
        return nil
    }

    /// A string literal starting at `index`: its end, and where its value starts and ends.
    private func stringLiteral(at index: Int) -> (Int, Int, Int)? {
        let byte = bytes[index]
        let isQuote = byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`")
        guard isQuote else { return nil }
        if byte == UInt8(ascii: "`") && !(language == .javascript || language == .typescript || language == .go) {
            return nil
        }
        // A single quote in Swift or C# is never a string; in Go and Java it is one character.
        if byte == UInt8(ascii: "'") && (language == .swift) { return nil }
        let triple = [byte, byte, byte]
        let tripleQuoted =
            (language == .python || language == .swift || language == .java || language == .csharp)
            && index + 3 <= bytes.count && bytes[index..<(index + 3)].elementsEqual(triple)
        if tripleQuoted {
            var end = index + 3
            while end + 3 <= bytes.count {
                if bytes[end] == UInt8(ascii: "\\") && language != .csharp {
                    end += 2
                    continue
                }
                if bytes[end..<(end + 3)].elementsEqual(triple) { return (end + 3, index + 3, end) }
                end += 1
            }
            return (bytes.count, index + 3, bytes.count)
        }
        // C#'s verbatim strings (@"…") know no escapes but "".
        let verbatim = language == .csharp && index > 0 && bytes[index - 1] == UInt8(ascii: "@")
        // Go's raw strings and JavaScript's templates span lines; other strings end at the line.
        let multiline = byte == UInt8(ascii: "`") || verbatim || language == .ruby || language == .php
        var end = index + 1
        while end < bytes.count {
            let current = bytes[end]
            if current == UInt8(ascii: "\\") && !verbatim && !(language == .go && byte == UInt8(ascii: "`")) {
                end += 2
                continue
            }
            if current == byte {
                if verbatim && end + 1 < bytes.count && bytes[end + 1] == byte {
                    end += 2
                    continue
                }
                return (end + 1, index + 1, end)
            }
            if current == UInt8(ascii: "\n") && !multiline { return (end, index + 1, end) }
            end += 1
        }
        return (bytes.count, index + 1, bytes.count)
    }
}
