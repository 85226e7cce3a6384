import ConnectModel
import JunctionStorage
import Logging
import Testing

@testable import JunctionApp

@Suite("Authorization table (A1–A4)")
struct AuthorizationTableTests {
    @Test("the table covers every route of the server, and names no route that does not exist")
    func coversEveryRoute() async throws {
        let backend = try await SQLiteBackend.open(path: nil, logger: Logger(label: "test"))
        let dependencies = Dependencies(
            store: SQLStore(backend: backend), clock: AdjustableClock(), logger: Logger(label: "test"),
            publicURL: "http://127.0.0.1:0")
        let router = buildRouter(dependencies, adminToken: "t")
        let served = Set(router.routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(!served.isEmpty)
        for route in served.sorted() {
            #expect(AuthorizationTable.routes[route] != nil, "\(route) has no entry in the authorization table")
        }
        for entry in AuthorizationTable.routes.keys.sorted() {
            #expect(served.contains(entry), "\(entry) is in the table but not served")
        }
        // Every API route decides through the table.
        for route in served where route.contains(" /v1/") {
            #expect(AuthorizationTable.routes[route] != .outsideAPI, "\(route)")
        }
        try await backend.close()
    }

    @Test("principal × scope × access")
    func matrix() {
        let allowed: [(RouteAccess, Connection.Scope?)] = [
            (.read, nil), (.read, .readWrite), (.read, .readOnly), (.write, nil), (.write, .readWrite),
            (.platformItself, nil),
        ]
        for (access, scope) in allowed {
            #expect(
                AuthorizationTable.refusal(access, through: scope, acting: "acct_1") == nil,
                "\(access) \(String(describing: scope))")
        }
        #expect(
            AuthorizationTable.refusal(.write, through: .readOnly, acting: "acct_1")?.code
                == "more_permissions_required_for_application")
        #expect(AuthorizationTable.refusal(.write, through: .readOnly, acting: "acct_1")?.status == .forbidden)
        for scope in [Connection.Scope.readOnly, .readWrite] {
            #expect(
                AuthorizationTable.refusal(.platformItself, through: scope, acting: "acct_1")?.status == .badRequest)
        }
    }
}
