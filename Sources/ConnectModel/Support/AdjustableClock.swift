import Foundation

/// The one source of "now" for the whole server, so tests can move time (code expiry, retries).
public protocol Clock: Sendable {
    /// Seconds since the Unix epoch.
    func now() -> Int
}

/// Wall-clock time plus an offset that only ever grows, moved by `/_junction/clock/advance`.
public final class AdjustableClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var offset = 0

    public init() {}

    public func now() -> Int {
        lock.lock()
        defer { lock.unlock() }
        return Int(Date().timeIntervalSince1970) + offset
    }

    /// Takes an offset kept elsewhere (the database); the clock never goes back.
    public func observe(offset stored: Int) {
        lock.lock()
        offset = max(offset, stored)
        lock.unlock()
    }

    /// Moves time forward by `seconds` and returns the new now.
    @discardableResult
    public func advance(by seconds: Int) -> Int {
        lock.lock()
        offset += max(0, seconds)
        lock.unlock()
        return now()
    }
}
