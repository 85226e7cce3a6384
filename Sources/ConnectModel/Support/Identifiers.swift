import Crypto
import Foundation

/// Random identifiers and secrets with Stripe's prefixes.
///
/// Ids carry 128 bits of randomness, secrets 192, drawn from the system's secure generator.
public enum Identifiers {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// A random base-62 string of `length` characters.
    public static func random(length: Int) -> String {
        String(unsafeUninitializedCapacity: length) { out in
            var filled = 0
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length + length / 4 + 8) { pool in
                while filled < length {
                    SecureBytes.fill(pool)
                    // 248 = 4 × 62: bytes above it are dropped, so every character is equally likely.
                    for byte in pool where byte < 248 && filled < length {
                        out[filled] = alphabet[Int(byte % 62)]
                        filled += 1
                    }
                }
            }
            return length
        }
    }

    /// `prefix_` followed by 24 base-62 characters (≈143 bits).
    public static func make(_ prefix: String) -> String {
        "\(prefix)_\(random(length: 24))"
    }

    /// A secret: `prefix` followed by 40 base-62 characters (≈238 bits).
    public static func secret(_ prefix: String) -> String {
        "\(prefix)\(random(length: 40))"
    }

    /// The SHA-256 a secret (key, token, code, link) is stored as. Secrets are high-entropy, so a
    /// plain hash is enough to keep them safely.
    public static func hash(_ secret: String) -> String {
        hex(SHA256.hash(data: Data(secret.utf8)))
    }

    /// Lowercase hexadecimal of `bytes` (digests); `String(format:)` per byte was a visible
    /// share of every request's time.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
