import ConnectModel

/// `expand[]`: replaces ids at dotted paths by the objects they name.
enum Expansion {
    static let maxDepth = 4

    /// Looks up an object by id for the caller; `nil` when the caller may not see it.
    typealias Resolver = @Sendable (String) async throws -> JSONValue?
    /// The includable property of an object (its descriptor says which there are); `nil`: none
    /// of that name.
    typealias Includer = @Sendable (_ object: JSONValue, _ property: String) async throws -> JSONValue?

    static func apply(
        _ paths: [String], to object: JSONValue, resolver: Resolver, includer: Includer = { _, _ in nil }
    ) async throws -> JSONValue {
        var result = object
        for path in paths {
            let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.count > maxDepth + (parts.first == "data" ? 1 : 0) || parts.contains("") {
                throw JunctionError.invalid(
                    "You cannot expand more than \(maxDepth) levels of a property (\(path)).", param: "expand")
            }
            result = try await expand(result, parts[...], path: path, resolver: resolver, includer: includer)
        }
        return result
    }

    private static func expand(
        _ value: JSONValue, _ parts: ArraySlice<String>, path: String, resolver: Resolver, includer: Includer
    ) async throws -> JSONValue {
        // A list applies `data.` paths to each of its items.
        if case .array(let items) = value {
            var out: [JSONValue] = []
            for item in items {
                out.append(try await expand(item, parts, path: path, resolver: resolver, includer: includer))
            }
            return .array(out)
        }
        guard let key = parts.first else {
            switch value {
            case .string(let id):
                guard let resolved = try await resolver(id) else { return value }
                return resolved
            case .object, .null: return value
            default: throw cannotExpand(path)
            }
        }
        guard case .object(var fields) = value else { throw cannotExpand(path) }
        var target: JSONValue
        if let child = fields[key] {
            target = child
            if case .string(let id) = child, parts.count > 1, let resolved = try await resolver(id) {
                target = resolved
            }
        } else if let included = try await includer(value, key) {
            target = included
        } else {
            throw cannotExpand(path)
        }
        fields[key] = try await expand(target, parts.dropFirst(), path: path, resolver: resolver, includer: includer)
        return .object(fields)
    }

    private static func cannotExpand(_ path: String) -> JunctionError {
        .invalid("This property cannot be expanded (\(path)).", param: "expand")
    }
}
