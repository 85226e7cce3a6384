import Crypto
import Foundation

/// How webhook deliveries are signed, routed and retried (E2).
public enum Webhooks {
    /// `Stripe-Signature: t=<unix>,v1=<hex>`, where v1 is HMAC-SHA256 keyed with the whole
    /// `whsec_…` secret over `"<t>.<raw body>"`: what `stripe.Webhook.construct_event` checks.
    public static func signature(payload: [UInt8], secret: String, timestamp: Int) -> String {
        var message = Array("\(timestamp).".utf8)
        message.append(contentsOf: payload)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        let hex = Identifiers.hex(mac)
        return "t=\(timestamp),v1=\(hex)"
    }

    /// Seconds to wait after failed attempt number `attempt` (1-based), or `nil` when the
    /// delivery has failed for good: exponential back-off over about three days, as Stripe does.
    public static func retryDelay(afterAttempt attempt: Int) -> Int? {
        let schedule = [60, 300, 1_800, 3_600, 7_200, 14_400, 28_800, 57_600, 86_400, 86_400]
        return attempt >= 1 && attempt <= schedule.count ? schedule[attempt - 1] : nil
    }

    /// Whether an endpoint listening to `enabledEvents` wants events of `type`.
    public static func wants(_ enabledEvents: [String], _ type: String) -> Bool {
        enabledEvents.contains("*") || enabledEvents.contains(type)
    }
}

extension Webhooks {
    /// The headers of a webhook POST as Stripe sends it (the delivery worker sends them; `junction
    /// listen` forwards the same).
    public static func postHeaders(signature: String) -> [(name: String, value: String)] {
        [
            ("Content-Type", "application/json; charset=utf-8"),
            ("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)"),
            ("Stripe-Signature", signature),
        ]
    }
}
