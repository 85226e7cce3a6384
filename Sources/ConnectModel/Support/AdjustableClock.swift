import Foundation

/// Junction's clock, the one source of "now" for everything Stripe shows (created, expiries,
/// renewals, retries): wall-clock time plus an offset that only ever grows, moved by
/// `/_junction/clock/advance` and kept in the database. Wall-clock time proper is used only
/// where another party's clock judges it (webhook signature timestamps, leases, idle limits).
public final class AdjustableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset = 0

    /// How far ahead of wall-clock time the clock may be: 100 years. Far enough for any test of
    /// renewals, and `now()` can never overflow (an offset past it, stored by an older version,
    /// is read as this).
    public static let maximumOffset = 100 * 366 * 86_400

    public init() {}

    /// How far ahead of wall-clock time the clock is.
    public var offsetSeconds: Int {
        lock.lock()
        defer { lock.unlock() }
        return offset
    }

    /// Seconds since the Unix epoch, on Junction's clock.
    public func now() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(Date().timeIntervalSince1970) + offset
    }

    /// Takes an offset kept elsewhere (the database); the clock never goes back.
    public func observe(offset stored: Int) {
        lock.lock()
        offset = max(offset, min(stored, Self.maximumOffset))
        lock.unlock()
    }

    /// Moves time forward by `seconds` and returns the new now.
    @discardableResult
    public func advance(by seconds: Int) -> Int {
        lock.lock()
        offset = min(offset + min(max(0, seconds), Self.maximumOffset), Self.maximumOffset)
        lock.unlock()
        return now()
    }
}
