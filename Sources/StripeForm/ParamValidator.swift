/// Checks a parsed form against a ``ParamSchema`` and produces typed ``Params``.
///
/// Errors name the offending parameter with its full bracketed name, as Stripe does:
/// `controller[fees][payer]`, `items[0][price]`.
public enum ParamValidator {
    public static func validate(_ form: FormContainer, against schema: ParamSchema) throws(FormError) -> Params {
        var fields: [String: ParamValue] = [:]
        for (key, node) in form.entries {
            guard let spec = schema.fields[key] else { throw .unknown(key) }
            fields[key] = try value(node, spec: spec, name: key)
        }
        for (key, spec) in schema.fields.sorted(by: { $0.key < $1.key }) where spec.required {
            if fields[key] == nil { throw .missing(key) }
        }
        return Params(fields)
    }

    static func value(_ node: FormNode, spec: ParamSpec, name: String) throws(FormError) -> ParamValue {
        if case .scalar("") = node {
            if spec.unsettable { return .unset }
            if spec.required { throw .missing(name) }
            throw .cannotUnset(name)
        }
        return try value(node, type: spec.type, name: name)
    }

    static func value(_ node: FormNode, type: ParamType, name: String) throws(FormError) -> ParamValue {
        switch type {
        case .string(let maxLength):
            let text = try scalar(node, name: name, expected: "string")
            if text.count > maxLength {
                throw FormError(
                    code: "parameter_invalid_string_too_long",
                    message: "Invalid string: \(name) must be at most \(maxLength) characters long.", param: name)
            }
            return .string(text)

        case .enumeration(let allowed):
            let text = try scalar(node, name: name, expected: "string")
            guard allowed.contains(text) else {
                throw FormError(
                    message:
                        "Invalid \(name): must be one of \(allowed.joined(separator: ", ")) (got '\(clip(text))').",
                    param: name)
            }
            return .string(text)

        case .integer(let min, let max):
            let text = try scalar(node, name: name, expected: "integer")
            guard let number = Int(text) else {
                throw FormError(
                    code: "parameter_invalid_integer", message: "Invalid integer: \(clip(text))", param: name)
            }
            if let min, number < min {
                throw FormError(
                    code: "parameter_invalid_integer",
                    message: "Invalid integer: \(name) must be at least \(min).", param: name)
            }
            if let max, number > max {
                throw FormError(
                    code: "parameter_invalid_integer",
                    message: "Invalid integer: \(name) must be at most \(max).", param: name)
            }
            return .integer(number)

        case .boolean:
            let text = try scalar(node, name: name, expected: "boolean")
            // stripe-python before 12 sends Python's `str(bool)`: `True` and `False`. Stripe's v1
            // API reads both spellings.
            switch text {
            case "true", "True": return .boolean(true)
            case "false", "False": return .boolean(false)
            default:
                throw FormError(message: "Invalid boolean: \(clip(text)) (\(name) must be true or false).", param: name)
            }

        case .object(let fields):
            let container = try hash(node, name: name)
            var out: [String: ParamValue] = [:]
            for (key, child) in container.entries {
                let childName = "\(name)[\(key)]"
                guard let spec = fields[key] else { throw .unknown(childName) }
                out[key] = try value(child, spec: spec, name: childName)
            }
            for (key, spec) in fields.sorted(by: { $0.key < $1.key }) where spec.required && out[key] == nil {
                throw .missing("\(name)[\(key)]")
            }
            return .object(out)

        case .metadata:
            let container = try hash(node, name: name)
            if container.count > 50 {
                throw FormError(message: "Invalid \(name): you can have at most 50 keys.", param: name)
            }
            var out: [String: ParamValue] = [:]
            for (key, child) in container.entries {
                let childName = "\(name)[\(key)]"
                if key.count > 40 {
                    throw FormError(
                        message:
                            "Metadata keys can have up to 40 characters, but you passed in a key that is \(key.count) characters.",
                        param: childName)
                }
                let text = try scalar(child, name: childName, expected: "string")
                if text.count > 500 {
                    throw FormError(
                        message:
                            "Metadata values can have up to 500 characters, but you passed in a value that is \(text.count) characters.",
                        param: childName)
                }
                out[key] = text.isEmpty ? .unset : .string(text)
            }
            return .object(out)

        case .map(let valueType, let keyPattern):
            let container = try hash(node, name: name)
            var out: [String: ParamValue] = [:]
            for (key, child) in container.entries {
                let childName = "\(name)[\(key)]"
                if case .identifier = keyPattern, !isIdentifier(key) { throw .unknown(childName) }
                out[key] = try value(child, spec: ParamSpec(valueType), name: childName)
            }
            return .object(out)

        case .array(let elementType, let maxCount):
            let container = try hash(node, name: name, expected: "array")
            var indexed: [(Int, FormNode)] = []
            for (key, child) in container.entries {
                guard let index = Int(key), index >= 0, String(index) == key else {
                    throw FormError(
                        message: "Invalid array: \(name) must be an array; use \(name)[0], \(name)[1], …",
                        param: "\(name)[\(key)]")
                }
                indexed.append((index, child))
            }
            if indexed.count > maxCount {
                throw FormError(message: "Invalid array: \(name) can have at most \(maxCount) items.", param: name)
            }
            indexed.sort { $0.0 < $1.0 }
            var out: [ParamValue] = []
            for (index, child) in indexed {
                out.append(try value(child, type: elementType, name: "\(name)[\(index)]"))
            }
            return .array(out)

        case .oneOf(let alternatives):
            // When every alternative refuses, the error that explains it best comes from the one
            // of the same shape as what was sent (a hash for `created[after]=1`, not "integer").
            var best: FormError?
            for alternative in alternatives {
                do {
                    return try value(node, type: alternative, name: name)
                } catch {
                    if best == nil || alternative.takesHash == node.isContainer { best = error }
                }
            }
            throw best ?? FormError(message: "Invalid \(name).", param: name)
        }
    }

    private static func scalar(_ node: FormNode, name: String, expected: String) throws(FormError) -> String {
        switch node {
        case .scalar(let text): return text
        case .container:
            throw FormError(message: "Invalid \(expected): \(name) must be a \(expected), not a hash.", param: name)
        }
    }

    private static func hash(_ node: FormNode, name: String, expected: String = "hash") throws(FormError)
        -> FormContainer
    {
        switch node {
        case .container(let container): return container
        case .scalar(let text):
            // An array of one scalar may be sent as `expand=foo`; Stripe rejects it, and so do we.
            throw FormError(
                message: "Invalid \(expected): \(name) must be a \(expected) (got '\(clip(text))').", param: name)
        }
    }

    private static func isIdentifier(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    private static func clip(_ text: String) -> String {
        text.count > 60 ? String(text.prefix(60)) + "…" : text
    }
}

extension ParamType {
    /// Whether this type is sent as a hash or an array (brackets) rather than a scalar.
    var takesHash: Bool {
        switch self {
        case .object, .metadata, .map, .array: true
        case .string, .enumeration, .integer, .boolean: false
        case .oneOf(let alternatives): alternatives.allSatisfy(\.takesHash)
        }
    }
}

extension FormNode {
    var isContainer: Bool {
        if case .container = self { return true }
        return false
    }
}
