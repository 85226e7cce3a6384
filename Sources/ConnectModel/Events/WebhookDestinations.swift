import Foundation

/// Which hosts webhook endpoints may point at (`--webhook-destinations`). On a developer's
/// machine localhost is the point (`any`, the default); a Junction shared by teams can refuse
/// loopback, private and link-local addresses (`public`), so that no tenant can make it send
/// requests into the network around it (M5 of the security review).
public enum WebhookDestinations: String, Sendable, CaseIterable {
    case any
    case `public`

    /// Whether an IP address (v4 dotted or v6 text) is one `public` refuses: unspecified,
    /// loopback, private (RFC 1918, unique local), link-local, shared (100.64/10) or multicast.
    public static func isInternal(address: String) -> Bool {
        let v4 = address.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        if v4.count == 4 {
            switch (v4[0], v4[1]) {
            case (0, _), (10, _), (127, _), (169, 254), (192, 168): return true
            case (172, 16...31), (100, 64...127): return true
            case (224...255, _): return true
            default: return false
            }
        }
        let v6 = address.lowercased()
        guard v6.contains(":") else { return false }
        if v6 == "::" || v6 == "::1" { return true }
        if let mapped = v6.split(separator: ":").last, mapped.contains("."), v6.hasPrefix("::ffff:") {
            return isInternal(address: String(mapped))
        }
        return v6.hasPrefix("fc") || v6.hasPrefix("fd") || v6.hasPrefix("fe8") || v6.hasPrefix("fe9")
            || v6.hasPrefix("fea") || v6.hasPrefix("feb") || v6.hasPrefix("ff")
    }

    /// Names that always mean this machine.
    public static func isLocalName(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: ["."])
        return host == "localhost" || host.hasSuffix(".localhost")
    }
}
