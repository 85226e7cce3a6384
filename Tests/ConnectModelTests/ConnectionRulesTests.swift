import Testing

@testable import ConnectModel

@Suite("Connection rules (P2–P12)")
struct ConnectionRulesTests {
    let platform = ConnectApplication(
        id: "ca_p", name: "P", kind: .platform, redirectURIs: [], account: "acct_p", created: 0)
    let otherPlatform = ConnectApplication(
        id: "ca_q", name: "Q", kind: .platform, redirectURIs: [], account: "acct_q", created: 0)
    let extensionApp = ConnectApplication(
        id: "ca_e", name: "E", kind: .extension, redirectURIs: [], account: "acct_e", created: 0)

    func connection(_ app: ConnectApplication, legacy: Bool = false) -> Connection {
        Connection(
            id: "conn_\(app.id)", application: app.id, account: "acct_1", scope: .readWrite,
            isPlatform: app.kind == .platform, legacy: legacy, created: 0)
    }

    func scope(_ requested: String?, _ app: ConnectApplication, _ account: Account? = nil) -> Result<
        Connection.Scope, JunctionError
    > {
        Result { () throws(JunctionError) in try ConnectionRules.scope(requested: requested, for: app, on: account) }
    }

    @Test("P2: platforms get read_write only; no scope means read_only and is refused")
    func platformScope() {
        #expect(scope("read_write", platform) == .success(.readWrite))
        for requested in ["read_only", nil, "admin"] {
            guard case .failure(let error) = scope(requested, platform) else {
                Issue.record("\(String(describing: requested)) accepted")
                continue
            }
            #expect(error.code == "invalid_scope")
        }
    }

    @Test(
        "P3: extensions get read_only by default, read_write on request, read_only on loss-carrying controlled accounts"
    )
    func extensionScope() throws {
        #expect(scope(nil, extensionApp) == .success(.readOnly))
        #expect(scope("read_only", extensionApp) == .success(.readOnly))
        #expect(scope("read_write", extensionApp) == .success(.readWrite))
        let express = try Account.create(AccountCreateRequest(type: .express), id: "acct_x", platform: "ca_p", now: 0)
        #expect(scope("read_write", extensionApp, express) == .success(.readOnly))
        let standard = try Account.create(AccountCreateRequest(), id: "acct_s", platform: "ca_p", now: 0)
        #expect(scope("read_write", extensionApp, standard) == .success(.readWrite))
    }

    @Test("P4, P5, P6, P7: one platform at a time, legacy connections count, extensions are outside the policy")
    func singlePlatform() {
        #expect(ConnectionRules.mayConnect(platform, activeConnections: []))
        #expect(!ConnectionRules.mayConnect(platform, activeConnections: [connection(otherPlatform)]))
        #expect(!ConnectionRules.mayConnect(platform, activeConnections: [connection(otherPlatform, legacy: true)]))
        #expect(ConnectionRules.mayConnect(platform, activeConnections: [connection(platform)]))  // P7
        #expect(ConnectionRules.mayConnect(platform, activeConnections: [connection(extensionApp)]))
        #expect(ConnectionRules.mayConnect(extensionApp, activeConnections: [connection(otherPlatform)]))  // P5
    }

    @Test("P11: the controlling platform cannot be revoked; others can")
    func revocation() throws {
        let controlled = try Account.create(AccountCreateRequest(), id: "acct_c", platform: "ca_p", now: 0)
        #expect(!ConnectionRules.mayRevoke(connection(platform), on: controlled))
        #expect(ConnectionRules.mayRevoke(connection(otherPlatform), on: controlled))
        #expect(ConnectionRules.mayRevoke(connection(extensionApp), on: controlled))
    }

    @Test("P12: only full-dashboard accounts can be deauthorized; a controlled one becomes direct")
    func deauthorization() throws {
        var standard = try Account.create(AccountCreateRequest(), id: "acct_s", platform: "ca_p", now: 0)
        #expect(throws: Never.self) { try ConnectionRules.checkDeauthorize(standard) }
        standard.releaseFromPlatform("ca_p")
        #expect(!standard.isPlatformControlled)
        #expect(standard.rendered(for: .owner)["controller"]?["type"] == "account")
        let express = try Account.create(AccountCreateRequest(type: .express), id: "acct_x", platform: "ca_p", now: 0)
        #expect(throws: JunctionError.self) { try ConnectionRules.checkDeauthorize(express) }
    }
}
