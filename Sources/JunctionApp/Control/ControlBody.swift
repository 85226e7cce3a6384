import ConnectModel
import Foundation
import Hummingbird
import NIOCore
import StripeForm

/// A control API body: JSON, or a form for curl users.
struct ControlBody {
    var fields: [String: JSONValue]

    static func read(_ request: Request) async throws -> ControlBody {
        let buffer = try await BodyReader.read(request, limit: BodyReader.apiLimit)
        if buffer.readableBytes == 0 { return ControlBody(fields: [:]) }
        let bytes = Array(buffer.readableBytesView)
        if request.headers[.contentType]?.hasPrefix("application/json") == true || bytes.first == UInt8(ascii: "{") {
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)),
                let object = value.objectValue
            else {
                throw JunctionError.invalid("The body is not a JSON object.", code: "invalid_request")
            }
            return ControlBody(fields: object)
        }
        do {
            let form = try FormParser().parse(bytes)
            return ControlBody(
                fields: Dictionary(uniqueKeysWithValues: form.entries.map { ($0.key, Self.json($0.node)) }))
        } catch {
            throw ControlBody.invalid(error.message, param: error.param)
        }
    }

    private static func json(_ node: FormNode) -> JSONValue {
        switch node {
        case .scalar(let s): return .string(s)
        case .container(let c):
            if c.keys.allSatisfy({ Int($0) != nil }) {
                return .array(c.keys.sorted { Int($0)! < Int($1)! }.map { json(c[$0]!) })
            }
            return .object(Dictionary(uniqueKeysWithValues: c.entries.map { ($0.key, json($0.node)) }))
        }
    }

    /// A refused value: `parameter_invalid` when it names a parameter, else `invalid_request`.
    static func invalid(_ message: String, param: String? = nil) -> JunctionError {
        .invalid(message, param: param, code: param == nil ? "invalid_request" : "parameter_invalid")
    }

    func optionalString(_ name: String) throws -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let s)?: return s.isEmpty ? nil : s
        default: throw Self.invalid("\(name) must be a string.", param: name)
        }
    }

    func requiredString(_ name: String) throws -> String {
        guard let value = try optionalString(name) else { throw JunctionError.missing(name) }
        return value
    }

    func stringList(_ name: String) throws -> [String] {
        switch fields[name] {
        case nil, .null?: return []
        case .string(let s)?: return [s]
        case .array(let items)?:
            return try items.map {
                guard case .string(let s) = $0 else {
                    throw Self.invalid("\(name) must be a list of strings.", param: name)
                }
                return s
            }
        default: throw Self.invalid("\(name) must be a list of strings.", param: name)
        }
    }
}
