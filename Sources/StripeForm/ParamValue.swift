/// A parameter after validation against its schema.
///
/// `.unset` is what Stripe means by `key=`: remove the stored value.
public indirect enum ParamValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case object([String: ParamValue])
    case array([ParamValue])
    case unset

    public subscript(key: String) -> ParamValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var boolean: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var object: [String: ParamValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    public var array: [ParamValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var isUnset: Bool { self == .unset }
}

/// The validated parameters of one request: the top-level hash.
public struct Params: Sendable, Equatable {
    public var fields: [String: ParamValue]

    public init(_ fields: [String: ParamValue] = [:]) {
        self.fields = fields
    }

    public subscript(key: String) -> ParamValue? { fields[key] }

    public var isEmpty: Bool { fields.isEmpty }

    /// `expand[]` as a list of dotted paths (empty when absent).
    public var expand: [String] {
        fields["expand"]?.array?.compactMap(\.string) ?? []
    }
}
