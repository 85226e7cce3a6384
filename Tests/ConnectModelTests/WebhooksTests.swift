import Testing

@testable import ConnectModel

@Suite("Webhooks (E2)")
struct WebhooksTests {
    @Test("the signature is HMAC-SHA256 of '<t>.<body>' keyed with the whole secret, as the SDK checks")
    func signature() {
        // Computed independently: hmac.new(b"whsec_test_secret", b'1700000000.{"id":"evt_1"}', sha256).hexdigest()
        let header = Webhooks.signature(
            payload: Array(#"{"id":"evt_1"}"#.utf8), secret: "whsec_test_secret", timestamp: 1_700_000_000)
        #expect(header == "t=1700000000,v1=248a374f50f943a28b0f6ab50faf9a7e7e29b710fa26df9fb1618b9bf8ea9c9a")
    }

    @Test("retries back off, grow, and stop after about three days")
    func retries() {
        let delays = (1...12).compactMap { Webhooks.retryDelay(afterAttempt: $0) }
        #expect(delays.count == 10)
        #expect(zip(delays, delays.dropFirst()).allSatisfy { $0 <= $1 })
        #expect((2 * 86_400...4 * 86_400).contains(delays.reduce(0, +)))
        #expect(Webhooks.retryDelay(afterAttempt: 11) == nil)
    }

    @Test("enabled_events: * or the exact type")
    func routing() {
        #expect(Webhooks.wants(["*"], "charge.succeeded"))
        #expect(Webhooks.wants(["charge.succeeded"], "charge.succeeded"))
        #expect(!Webhooks.wants(["charge.failed"], "charge.succeeded"))
        #expect(EventTypes.known.contains("account.application.deauthorized"))
    }
}
