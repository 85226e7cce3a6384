import Testing

@testable import JunctionApp

/// M4 of the security review: where a page sends someone after signing in.
@Suite("Redirect after sign-in")
struct SafeNextTests {
    @Test("M4: paths on this site pass, with their query")
    func paths() {
        #expect(WebSessions.safeNext("/dashboard") == "/dashboard")
        #expect(
            WebSessions.safeNext("/oauth/authorize?client_id=ca_1&scope=read_write")
                == "/oauth/authorize?client_id=ca_1&scope=read_write")
    }

    @Test("M4: anything a browser could read as another site is dropped (open redirect)")
    func elsewhere() {
        for next in [
            "/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example", "https://evil.example",
            "evil.example", "/ /evil.example", "/\u{0}x",
        ] {
            #expect(WebSessions.safeNext(next) == nil, "\(next.debugDescription)")
        }
        #expect(WebSessions.safeNext(nil) == nil)
    }
}
