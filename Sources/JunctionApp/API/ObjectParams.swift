import ConnectModel
import StripeForm

/// Parameter shapes shared by the payment resources.
enum ObjectParams {
    static let address = AccountParams.address

    static let shipping = ParamType.object([
        "address": ParamSpec(address, required: true),
        "name": ParamSpec(.string, required: true),
        "phone": ParamSpec(.string, unsettable: true),
    ])

    static let currency = ParamType.enumeration(Countries.currencies.sorted())

    /// The `expand[]`-only schema of retrieves and deletes.
    static let expandOnly = ParamSchema(["expand": ParamSchema.expand])

    /// A list's schema with extra filters.
    static func list(_ extra: [String: ParamSpec] = [:]) -> ParamSchema {
        ParamSchema(
            ParamSchema.listFields.merging([
                "created": ParamSpec(.oneOf([.integer(min: 0), AccountParams.createdRange]))
            ]) {
                $1
            }.merging(extra) { $1 })
    }

    /// The validated parameters as a patch for ``JSONValue/patched(with:inMetadata:)``, without `expand`.
    static func patch(_ params: Params, leaving skipped: Set<String> = []) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for (key, value) in params.fields where key != "expand" && !skipped.contains(key) {
            fields[key] = AccountParams.json(value)
        }
        return .object(fields)
    }
}
