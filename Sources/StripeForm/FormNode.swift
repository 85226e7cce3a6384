/// One node of a decoded Stripe form: either a scalar string or a container of named children.
///
/// The parser does not decide whether a container is a hash or an array: `items[0][price]` and
/// `metadata[0]` look the same on the wire. The schema decides later (see ``ParamValidator``).
public indirect enum FormNode: Sendable, Equatable {
    case scalar(String)
    case container(FormContainer)
}

/// Children of a ``FormNode`` container, in the order they first appeared on the wire.
public struct FormContainer: Sendable, Equatable {
    public private(set) var keys: [String] = []
    private var values: [String: FormNode] = [:]

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> FormNode? {
        get { values[key] }
        set {
            if values[key] == nil, newValue != nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    /// Runs `body` on the child container at `key` (made, in wire order, if there is none) in
    /// place; `false` when `key` holds a scalar. In place matters: changing a copy of a child the
    /// parent still holds copies it each time, so n children under one key cost O(n²) (H2 of the
    /// security review).
    mutating func withContainer(at key: String, _ body: (inout FormContainer) throws(FormError) -> Void)
        throws(FormError) -> Bool
    {
        var child: FormContainer
        switch values[key] {
        case .none:
            child = FormContainer()
            keys.append(key)
        case .container(let existing)?: child = existing
        case .scalar?: return false
        }
        // Let go of the stored child, so that `child` is the only reference and changes in place.
        values[key] = .scalar("")
        defer { values[key] = .container(child) }
        try body(&child)
        return true
    }

    /// The children in wire order.
    public var entries: [(key: String, node: FormNode)] {
        keys.map { ($0, values[$0]!) }
    }

    /// The parameters in one spelling whatever the wire said: keys sorted (array indexes as
    /// numbers), brackets and values unescaped. Two requests with the same parameters have the
    /// same canonical form (idempotency compares them this way, as Stripe does).
    public var canonicalForm: String {
        var lines: [String] = []
        func walk(_ container: FormContainer, prefix: String) {
            let sorted = container.keys.sorted { left, right in
                switch (Int(left), Int(right)) {
                case (let l?, let r?): l < r
                case (.some, nil): true
                case (nil, .some): false
                case (nil, nil): left < right
                }
            }
            for key in sorted {
                let name = prefix.isEmpty ? key : "\(prefix)[\(key)]"
                switch container[key] {
                case .scalar(let value)?: lines.append("\(name)=\(value.utf8.count):\(value)")
                case .container(let child)?: walk(child, prefix: name)
                case nil: break
                }
            }
        }
        walk(self, prefix: "")
        return lines.joined(separator: "\n")
    }
}
