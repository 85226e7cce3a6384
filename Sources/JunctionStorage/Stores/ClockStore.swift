/// The offset of Junction's clock, kept in the database so a restart keeps moved time and
/// instances sharing one database agree on "now".
public protocol ClockStore: Sendable {
    /// How far Junction's clock is ahead of the wall clock, in seconds.
    func clockOffset() async throws -> Int
    /// Moves the clock forward by `seconds` (never back); returns the new offset.
    func advanceClock(by seconds: Int) async throws -> Int
}
