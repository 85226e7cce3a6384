/// Parses `application/x-www-form-urlencoded` bodies and query strings in Stripe's bracket
/// encoding (`a[b][0][c]=v`, `expand[]=x`) into a ``FormNode`` tree.
///
/// Everything malformed is a ``FormError`` (400), never a crash: broken percent-encoding, invalid
/// UTF-8, NUL bytes, unbalanced brackets, and inputs past the limits below.
public struct FormParser: Sendable {
    /// Limits that keep a hostile body from costing more than a bounded amount of work.
    public struct Limits: Sendable {
        public var maxKeyLength = 1_000
        public var maxDepth = 12
        public var maxPairs = 10_000
        public var maxArrayIndex = 9_999

        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Parses a whole body or query string (without the leading `?`).
    public func parse(_ input: some Collection<UInt8>) throws(FormError) -> FormContainer {
        var root = FormContainer()
        var pairs = 0
        for rawPair in input.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            pairs += 1
            if pairs > limits.maxPairs {
                throw .malformed("Too many parameters: at most \(limits.maxPairs) are accepted in one request.")
            }
            let rawKey: ArraySlice<UInt8>
            let rawValue: ArraySlice<UInt8>
            let slice = ArraySlice(rawPair)
            if let eq = slice.firstIndex(of: UInt8(ascii: "=")) {
                rawKey = slice[slice.startIndex..<eq]
                rawValue = slice[(eq + 1)...]
            } else {
                rawKey = slice
                rawValue = []
            }
            if rawKey.count > limits.maxKeyLength * 3 {
                throw .malformed("Invalid parameter name: names are limited to \(limits.maxKeyLength) characters.")
            }
            let key = try Self.decodeComponent(rawKey, what: "parameter name")
            if key.utf8.count > limits.maxKeyLength {
                throw .malformed("Invalid parameter name: names are limited to \(limits.maxKeyLength) characters.")
            }
            let value = try Self.decodeComponent(rawValue, what: "value of \(key)")
            let path = try splitKey(key)
            try insert(value, at: path, into: &root)
        }
        return root
    }

    public func parse(_ string: String) throws(FormError) -> FormContainer {
        try parse(Array(string.utf8))
    }

    /// Splits `a[b][][c]` into `["a", "b", "", "c"]`; an empty segment means "append".
    func splitKey(_ key: String) throws(FormError) -> [String] {
        let bytes = Array(key.utf8)
        guard let firstBracket = bytes.firstIndex(of: UInt8(ascii: "[")) else {
            if bytes.contains(UInt8(ascii: "]")) {
                throw .malformed("Invalid parameter name '\(key)': unbalanced brackets.", param: key)
            }
            if bytes.isEmpty { throw .malformed("Invalid parameter name: a parameter name is empty.") }
            return [key]
        }
        if firstBracket == 0 {
            throw .malformed("Invalid parameter name '\(key)': it starts with a bracket.", param: key)
        }
        var segments = [String(decoding: bytes[..<firstBracket], as: UTF8.self)]
        if segments[0].utf8.contains(UInt8(ascii: "]")) {
            throw .malformed("Invalid parameter name '\(key)': unbalanced brackets.", param: key)
        }
        var i = firstBracket
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "[") else {
                throw .malformed(
                    "Invalid parameter name '\(key)': unexpected text after a closing bracket.", param: key)
            }
            guard let close = bytes[(i + 1)...].firstIndex(of: UInt8(ascii: "]")) else {
                throw .malformed("Invalid parameter name '\(key)': unbalanced brackets.", param: key)
            }
            let segment = bytes[(i + 1)..<close]
            if segment.contains(UInt8(ascii: "[")) {
                throw .malformed("Invalid parameter name '\(key)': unbalanced brackets.", param: key)
            }
            segments.append(String(decoding: segment, as: UTF8.self))
            if segments.count > limits.maxDepth {
                throw .malformed(
                    "Invalid parameter name '\(key)': nested deeper than \(limits.maxDepth) levels.", param: key)
            }
            i = close + 1
        }
        return segments
    }

    private func insert(_ value: String, at path: [String], into root: inout FormContainer) throws(FormError) {
        try insert(value, at: path[...], into: &root, prefix: "")
    }

    private func insert(
        _ value: String, at path: ArraySlice<String>, into container: inout FormContainer, prefix: String
    ) throws(FormError) {
        var segment = path.first!
        if segment.isEmpty {
            // `[]` appends: its index is the number of children already there.
            segment = String(container.count)
        }
        if let index = Int(segment), index > limits.maxArrayIndex {
            throw .malformed("Invalid array index \(index): indexes are limited to \(limits.maxArrayIndex).")
        }
        let name = prefix.isEmpty ? segment : "\(prefix)[\(segment)]"
        let rest = path.dropFirst()
        if rest.isEmpty {
            if case .container = container[segment] {
                throw .malformed("Invalid parameter \(name): it is given both as a value and as a hash.", param: name)
            }
            container[segment] = .scalar(value)  // A repeated scalar: the last one wins.
            return
        }
        let isContainer = try container.withContainer(at: segment) { (child) throws(FormError) in
            try insert(value, at: rest, into: &child, prefix: name)
        }
        if !isContainer {
            throw .malformed("Invalid parameter \(name): it is given both as a value and as a hash.", param: name)
        }
    }

    /// Percent-decodes one key or value (`+` is a space) and checks it is NUL-free UTF-8.
    static func decodeComponent(_ raw: ArraySlice<UInt8>, what: String) throws(FormError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let byte = raw[i]
            switch byte {
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
                i += 1
            case UInt8(ascii: "%"):
                guard i + 2 < raw.endIndex,
                    let hi = hexValue(raw[i + 1]), let lo = hexValue(raw[i + 2])
                else {
                    throw .malformed("Invalid percent-encoding in the \(safe(what)).")
                }
                out.append(hi << 4 | lo)
                i += 3
            default:
                out.append(byte)
                i += 1
            }
        }
        if out.contains(0) {
            throw .malformed("Invalid \(safe(what)): it contains a NUL byte.")
        }
        guard let string = String(validating: out, as: UTF8.self) else {
            throw .malformed("Invalid \(safe(what)): it is not valid UTF-8.")
        }
        return string
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Error messages quote names; keep them short and printable.
    private static func safe(_ text: String) -> String {
        let printable = text.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }
        let cleaned = String(String.UnicodeScalarView(printable))
        return cleaned.count > 80 ? String(cleaned.prefix(80)) + "…" : cleaned
    }
}
