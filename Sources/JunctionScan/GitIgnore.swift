import Glibc

/// The patterns of one `.gitignore`, matched as git does: the last matching pattern wins, `!`
/// re-includes, a trailing `/` matches directories only, a pattern with a `/` in it is anchored
/// to the file's directory, `**` spans directories.
struct GitIgnore: Sendable {
    struct Pattern: Sendable {
        var segments: [String]
        var negated: Bool
        var directoryOnly: Bool
        /// Matched against the path from the `.gitignore`'s directory, not just the name.
        var anchored: Bool
    }

    var patterns: [Pattern] = []

    init(_ text: String) {
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = Substring(rawLine)
            while line.last == " " && !line.hasSuffix("\\ ") { line = line.dropLast() }
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            var negated = false
            if line.hasPrefix("!") {
                negated = true
                line = line.dropFirst()
            } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
                line = line.dropFirst()
            }
            var directoryOnly = false
            if line.hasSuffix("/") {
                directoryOnly = true
                line = line.dropLast()
            }
            guard !line.isEmpty else { continue }
            let anchored = line.contains("/")
            if line.hasPrefix("/") { line = line.dropFirst() }
            let segments = line.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard !segments.isEmpty else { continue }
            patterns.append(
                Pattern(segments: segments, negated: negated, directoryOnly: directoryOnly, anchored: anchored))
        }
    }

    /// Whether the file holds no patterns.
    var isEmpty: Bool { patterns.isEmpty }

    /// `true` ignored, `false` re-included, `nil` when no pattern speaks of the path.
    /// `path` is relative to the `.gitignore`'s directory, in segments.
    func verdict(_ path: ArraySlice<String>, isDirectory: Bool) -> Bool? {
        for pattern in patterns.reversed() {
            if pattern.directoryOnly && !isDirectory { continue }
            let matches =
                pattern.anchored
                ? Self.match(pattern.segments[...], path)
                : path.last.map { Self.glob(pattern.segments[0], $0) } ?? false
            if matches { return !pattern.negated }
        }
        return nil
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            // `dir/**` matches everything inside dir, not dir itself.
            if rest.isEmpty { return !path.isEmpty }
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let first = path.first, glob(head, first) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// One segment against one name: `*`, `?` and `[…]` as fnmatch reads them.
    static func glob(_ pattern: String, _ name: String) -> Bool {
        if !pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" }) { return pattern == name }
        return fnmatch(pattern, name, 0) == 0
    }
}
