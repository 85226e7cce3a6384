import ConnectModel
import Foundation
import HTTPTypes
import StripeForm

/// Junction's own API as an OpenAPI 3.0 document, served at `/openapi.json`. Every route
/// ``EndpointFactory`` adds is recorded here with the parameter schema its validator uses, so
/// the document cannot drift from what is accepted (schemathesis runs against it in CI).
final class OpenAPIDocument: @unchecked Sendable {
    private struct Route {
        var method: HTTPRequest.Method
        var path: String
        var schema: ParamSchema
    }

    private let lock = NSLock()
    private var routes: [Route] = []
    private var rendered: [UInt8]?

    func record(_ method: HTTPRequest.Method, _ path: String, _ schema: ParamSchema) {
        lock.withLock {
            routes.append(Route(method: method, path: path, schema: schema))
            rendered = nil
        }
    }

    /// The document, serialized once.
    var bytes: [UInt8] {
        lock.withLock {
            if let rendered { return rendered }
            let bytes = document.serialized()
            rendered = bytes
            return bytes
        }
    }

    private var document: JSONValue {
        var paths: [String: JSONValue] = [:]
        for route in routes {
            // Hummingbird's `:id` is OpenAPI's `{id}`.
            var names: [String] = []
            let path = route.path.split(separator: "/", omittingEmptySubsequences: false).map { part in
                guard part.hasPrefix(":") else { return String(part) }
                names.append(String(part.dropFirst()))
                return "{\(part.dropFirst())}"
            }.joined(separator: "/")
            var operation: [String: JSONValue] = [
                "operationId": .string("\(route.method.rawValue)\(path)"),
                "responses": [
                    "200": [
                        "description": "The object, list or deleted object", "content": Self.json(Self.stripeObject),
                    ],
                    "default": ["description": "Stripe's error object", "content": Self.json(Self.stripeError)],
                ],
            ]
            var parameters: [JSONValue] = names.map { name in
                ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string", "minLength": 1]]
            }
            parameters.append([
                "name": "Stripe-Account", "in": "header", "required": false,
                "schema": ["type": "string", "pattern": "^acct_[A-Za-z0-9]+$"],
            ])
            if route.method == .post {
                operation["requestBody"] = [
                    "required": false,
                    "content": ["application/x-www-form-urlencoded": ["schema": Self.object(route.schema.fields)]],
                ]
            } else {
                for (name, spec) in route.schema.fields.sorted(by: { $0.key < $1.key }) {
                    var parameter: [String: JSONValue] = [
                        "name": .string(name), "in": "query", "required": .bool(spec.required),
                        "schema": Self.schema(spec),
                    ]
                    if case .object = spec.type { parameter["style"] = "deepObject" }
                    if case .metadata = spec.type { parameter["style"] = "deepObject" }
                    if case .map = spec.type { parameter["style"] = "deepObject" }
                    parameters.append(.object(parameter))
                }
            }
            operation["parameters"] = .array(parameters)
            var item = paths[path]?.objectValue ?? [:]
            item[route.method.rawValue.lowercased()] = .object(operation)
            paths[path] = .object(item)
        }
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Junction", "version": .string(APIVersion.newest.description),
                "description":
                    "The Stripe API as Junction implements it: each operation's parameters are the ones its validator accepts.",
            ],
            "servers": [["url": "/"]],
            "security": [["secret_key": []]],
            "components": ["securitySchemes": ["secret_key": ["type": "http", "scheme": "bearer"]]],
            "paths": .object(paths),
        ]
    }

    private static func json(_ schema: JSONValue) -> JSONValue {
        ["application/json": ["schema": schema]]
    }

    /// Every answer of the API is an object with `object` (`customer`, `list`, …).
    private static let stripeObject: JSONValue = [
        "type": "object", "required": ["object"], "properties": ["object": ["type": "string"]],
    ]

    private static let stripeError: JSONValue = [
        "type": "object", "required": ["error"],
        "properties": [
            "error": [
                "type": "object", "required": ["message", "type"],
                "properties": [
                    "message": ["type": "string"],
                    "type": [
                        "type": "string",
                        "enum": ["api_error", "card_error", "idempotency_error", "invalid_request_error"],
                    ],
                    "code": ["type": "string"], "param": ["type": "string"],
                ],
            ]
        ],
    ]

    private static func object(_ fields: [String: ParamSpec]) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for (name, spec) in fields { properties[name] = schema(spec) }
        var object: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        let required = fields.filter(\.value.required).keys.sorted()
        if !required.isEmpty { object["required"] = .array(required.map(JSONValue.string)) }
        return .object(object)
    }

    private static func schema(_ spec: ParamSpec) -> JSONValue {
        let schema = schema(spec.type)
        // `key=` unsets it.
        return spec.unsettable ? ["anyOf": [schema, ["type": "string", "enum": [""]]]] : schema
    }

    private static func schema(_ type: ParamType) -> JSONValue {
        switch type {
        case .string(let maxLength): return ["type": "string", "maxLength": .int(maxLength)]
        case .enumeration(let values): return ["type": "string", "enum": .array(values.map(JSONValue.string))]
        case .integer(let min, let max):
            var integer: [String: JSONValue] = ["type": "integer"]
            if let min { integer["minimum"] = .int(min) }
            if let max { integer["maximum"] = .int(max) }
            return .object(integer)
        case .boolean: return ["type": "boolean"]
        case .object(let fields): return object(fields)
        case .metadata:
            return [
                "type": "object", "maxProperties": 50,
                "additionalProperties": ["type": "string", "maxLength": 500],
            ]
        case .map(let value, _): return ["type": "object", "additionalProperties": schema(value)]
        case .array(let item, let maxCount):
            return ["type": "array", "items": schema(item), "maxItems": .int(maxCount)]
        case .oneOf(let alternatives): return ["anyOf": .array(alternatives.map(schema))]
        }
    }
}
