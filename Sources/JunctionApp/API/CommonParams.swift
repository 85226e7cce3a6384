import ConnectModel
import Foundation
import StripeForm

/// Parameter shapes every resource shares, and the translation of validated parameters into
/// JSON for documents.
enum CommonParams {
    static let address = ParamType.object([
        "city": ParamSpec(.string(maxLength: 100), unsettable: true),
        "country": ParamSpec(.string(maxLength: 2), unsettable: true),
        "line1": ParamSpec(.string(maxLength: 200), unsettable: true),
        "line2": ParamSpec(.string(maxLength: 200), unsettable: true),
        "postal_code": ParamSpec(.string(maxLength: 20), unsettable: true),
        "state": ParamSpec(.string(maxLength: 100), unsettable: true),
    ])

    static let shipping = ParamType.object([
        "address": ParamSpec(address, required: true),
        "name": ParamSpec(.string, required: true),
        "phone": ParamSpec(.string, unsettable: true),
    ])

    static let metadata = ParamSpec(.metadata, unsettable: true)

    /// The `expand[]`-only schema of retrieves and actions without parameters.
    static let expandOnly = ParamSchema(["expand": ParamSchema.expand])

    /// `created=…` or `created[gte]=…`.
    static let createdRange = ParamType.object([
        "gt": ParamSpec(.integer), "gte": ParamSpec(.integer), "lt": ParamSpec(.integer), "lte": ParamSpec(.integer),
    ])
    static let created = ParamSpec(.oneOf([.integer(min: 0), createdRange]))

    /// A list's schema: `limit`, the cursors, `created`, and the resource's own filters.
    static func list(_ extra: [String: ParamSpec] = [:]) -> ParamSchema {
        ParamSchema(ParamSchema.listFields.merging(["created": created]) { $1 }.merging(extra) { $1 })
    }

    /// `created=…` or `created[gte]=…` as a filter.
    /// A decimal parameter (`percent_off=12.5`), sent as digits: schema it as ``decimal``.
    static let decimal = ParamType.oneOf([.integer(), .string(maxLength: 24)])

    /// The number of a ``decimal`` parameter, within `range`.
    static func decimal(_ value: ParamValue?, param: String, in range: ClosedRange<Double>) throws -> Double? {
        let number: Double?
        switch value {
        case nil, .unset?: return nil
        case .integer(let integer)?: number = Double(integer)
        case .string(let text)?: number = Double(text)
        default: number = nil
        }
        guard let number, number.isFinite, range.contains(number) else {
            throw JunctionError.invalid(
                "Invalid decimal: \(param) must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()).",
                param: param)
        }
        return number
    }

    static func createdFilter(_ value: ParamValue?) -> CreatedFilter? {
        switch value {
        case .integer(let time)?: return .exactly(time)
        case .object(let range)?:
            return CreatedFilter(
                gt: range["gt"]?.integer, gte: range["gte"]?.integer, lt: range["lt"]?.integer,
                lte: range["lte"]?.integer)
        default: return nil
        }
    }

    /// A validated value as JSON; `.unset` becomes `null`, which patches read as "remove".
    static func json(_ value: ParamValue) -> JSONValue {
        switch value {
        case .string(let s): .string(s)
        case .integer(let i): .int(i)
        case .boolean(let b): .bool(b)
        case .object(let fields): .object(fields.mapValues(json))
        case .array(let items): .array(items.map(json))
        case .unset: .null
        }
    }

    /// The validated parameters as a patch for ``JSONValue/patched(with:inMetadata:)``, without `expand`.
    static func patch(_ params: Params, leaving skipped: Set<String> = []) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (key, value) in params.fields where key != "expand" && !skipped.contains(key) {
            fields[key] = json(value)
        }
        return .object(fields)
    }
}
