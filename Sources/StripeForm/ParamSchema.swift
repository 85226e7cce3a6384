/// The declared shape of an endpoint's parameters, used to validate a ``FormNode`` tree and to
/// report unknown or malformed parameters by their full bracketed name.
public indirect enum ParamType: Sendable {
    case string(maxLength: Int = 5_000)
    case enumeration([String])
    case integer(min: Int? = nil, max: Int? = nil)
    case boolean
    /// A hash with declared keys.
    case object([String: ParamSpec])
    /// Stripe's `metadata`: up to 50 keys of up to 40 characters, values up to 500 characters.
    case metadata
    /// A hash with free keys whose values share one type (for example `capabilities`).
    case map(ParamType, keyPattern: KeyPattern = .any)
    case array(ParamType, maxCount: Int = 100)
    /// The first alternative that accepts the value wins (`delay_days` is `minimum` or an integer).
    case oneOf([ParamType])

    public static let string = ParamType.string()
    public static let integer = ParamType.integer()
}

/// Which keys a ``ParamType/map(_:keyPattern:)`` accepts.
public enum KeyPattern: Sendable {
    case any
    /// Lower-case letters, digits and underscores (capability names).
    case identifier
}

/// One declared parameter.
public struct ParamSpec: Sendable {
    public var type: ParamType
    public var required: Bool
    /// Whether `key=` (unset) is accepted for this parameter.
    public var unsettable: Bool

    public init(_ type: ParamType, required: Bool = false, unsettable: Bool = false) {
        self.type = type
        self.required = required
        self.unsettable = unsettable
    }
}

/// The parameters of one endpoint.
public struct ParamSchema: Sendable {
    public var fields: [String: ParamSpec]

    public init(_ fields: [String: ParamSpec]) {
        self.fields = fields
    }

    /// Every endpoint accepts `expand[]`.
    public static let expand = ParamSpec(.array(.string(maxLength: 500), maxCount: 20))

    /// The parameters every list endpoint accepts.
    public static let listFields: [String: ParamSpec] = [
        "limit": ParamSpec(.integer(min: 1, max: 100)),
        "starting_after": ParamSpec(.string),
        "ending_before": ParamSpec(.string),
        "expand": expand,
    ]
}
