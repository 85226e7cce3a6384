import Foundation

/// How often a login may be tried (M2 of the security review): at most ``maxFailures`` failed
/// sign-ins per email, and ``maxFailuresPerAddress`` per client address (many people may share
/// one, loopback first), within ``window`` seconds of wall-clock time; after that the page
/// answers 429 until the oldest failure leaves the window. Kept in memory: each
/// instance counts its own, which bounds guessing per instance without a table anyone can fill.
public actor SignInLimiter {
    public static let maxFailures = 10
    public static let maxFailuresPerAddress = 100
    public static let window = 15 * 60
    /// Keys kept at most, so that a flood of made-up emails cannot grow memory without bound.
    static let maxKeys = 10_000

    private var failures: [String: [Int]] = [:]

    public init() {}

    /// Seconds until `email` from `address` may try again, or `nil` when it may now.
    public func retryAfter(email: String, address: String?, now: Int) -> Int? {
        let waits = keys(email: email, address: address).compactMap { key -> Int? in
            let recent = (failures[key] ?? []).filter { $0 > now - Self.window }
            guard recent.count >= Self.limit(of: key), let oldest = recent.first else { return nil }
            return oldest + Self.window - now
        }
        return waits.max()
    }

    public func failed(email: String, address: String?, now: Int) {
        if failures.count >= Self.maxKeys {
            failures = failures.filter { $0.value.contains { $0 > now - Self.window } }
        }
        for key in keys(email: email, address: address) where failures.count < Self.maxKeys || failures[key] != nil {
            var recent = (failures[key] ?? []).filter { $0 > now - Self.window }
            recent.append(now)
            failures[key] = Array(recent.suffix(Self.limit(of: key)))
        }
    }

    public func succeeded(email: String) {
        failures[Self.emailKey(email)] = nil
    }

    private static func limit(of key: String) -> Int {
        key.hasPrefix("address:") ? maxFailuresPerAddress : maxFailures
    }

    private func keys(email: String, address: String?) -> [String] {
        [Self.emailKey(email)] + (address.map { ["address:\($0)"] } ?? [])
    }

    private static func emailKey(_ email: String) -> String {
        "email:\(email.trimmingCharacters(in: .whitespaces).lowercased())"
    }
}
