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

    /// The children in wire order.
    public var entries: [(key: String, node: FormNode)] {
        keys.map { ($0, values[$0]!) }
    }
}
