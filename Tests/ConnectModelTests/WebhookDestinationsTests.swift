import Testing

@testable import ConnectModel

/// M5 of the security review: what `--webhook-destinations public` refuses.
@Suite("Webhook destinations")
struct WebhookDestinationsTests {
    @Test("loopback, private, link-local, shared and multicast addresses are internal; others are not")
    func addresses() {
        for address in [
            "127.0.0.1", "10.0.0.8", "172.16.3.4", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "224.0.0.1", "::1", "::", "fd00::1", "fe80::1", "::ffff:127.0.0.1",
        ] {
            #expect(WebhookDestinations.isInternal(address: address), "\(address)")
        }
        for outside in ["93.184.215.14", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"] {
            #expect(!WebhookDestinations.isInternal(address: outside), "\(outside)")
        }
        #expect(WebhookDestinations.isLocalName("localhost") && WebhookDestinations.isLocalName("api.localhost."))
        #expect(!WebhookDestinations.isLocalName("example.com"))
    }
}
