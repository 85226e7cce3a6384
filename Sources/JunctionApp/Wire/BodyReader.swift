import ConnectModel
import Hummingbird
import NIOCore
import StripeForm

/// The one way a request body is read: up to a limit, as raw bytes or as a form.
enum BodyReader {
    /// The API's limit.
    static let apiLimit = 1 << 20
    /// Pages and OAuth: small forms.
    static let formLimit = 64 * 1024
    /// Pages and OAuth read their forms before any check (sign-in, CSRF, the client secret), so
    /// anyone may send one: they take a few dozen fields, never 10,000.
    static let pageLimits: FormParser.Limits = {
        var limits = FormParser.Limits()
        limits.maxPairs = 200
        limits.maxDepth = 4
        return limits
    }()

    /// The body, or 413 when it is larger than `limit`.
    static func read(_ request: Request, limit: Int) async throws(JunctionError) -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw JunctionError(
                .tooLarge, code: "request_too_large", message: "The request body is larger than \(limit) bytes.")
        }
    }

    /// The parameters of a request: the query's, then the body's (GET and DELETE carry them in
    /// the query; POST in the body and, rarely, the query).
    static func form(_ request: Request, body: ByteBuffer, limits: FormParser.Limits = FormParser.Limits())
        throws(FormError) -> FormContainer
    {
        let parser = FormParser(limits: limits)
        var form = try parser.parse(Array((request.uri.query ?? "").utf8))
        if body.readableBytes > 0 {
            let bodyForm = try parser.parse(body.readableBytesView)
            for (key, node) in bodyForm.entries { form[key] = node }
        }
        return form
    }

    /// A posted form of pages and OAuth as single string values (they never send nested
    /// parameters); with `query`, the query's parameters too. A malformed form is a 400, never
    /// silently empty.
    static func fields(_ request: Request, query: Bool = false, limit: Int = formLimit) async throws -> [String: String]
    {
        let body = try await read(request, limit: limit)
        let form: FormContainer
        do {
            form =
                query
                ? try self.form(request, body: body, limits: pageLimits)
                : try FormParser(limits: pageLimits).parse(body.readableBytesView)
        } catch {
            throw JunctionError(.invalidRequest, code: error.code, message: error.message, param: error.param)
        }
        var fields: [String: String] = [:]
        for (key, node) in form.entries { if case .scalar(let value) = node { fields[key] = value } }
        return fields
    }
}
