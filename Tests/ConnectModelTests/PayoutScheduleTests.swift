import Testing

@testable import ConnectModel

@Suite("F7: automatic payout schedules")
struct PayoutScheduleTests {
    static func schedule(_ fields: JSONValue) -> PayoutSchedule {
        PayoutSchedule(settings: ["payouts": ["schedule": fields]])
    }

    // 2026-12-03 00:00:00 UTC is a Thursday.
    static let thursday = 1_796_256_000

    @Test("F7: daily runs at the next midnight UTC")
    func daily() {
        let daily = Self.schedule(["interval": "daily"])
        #expect(daily.nextRun(after: Self.thursday) == Self.thursday + 86_400)
        #expect(daily.nextRun(after: Self.thursday + 5) == Self.thursday + 86_400)
    }

    @Test("F7: weekly runs on its anchor's day")
    func weekly() {
        let monday = Self.schedule(["interval": "weekly", "weekly_anchor": "monday"])
        #expect(monday.nextRun(after: Self.thursday) == Self.thursday + 4 * 86_400)
        let friday = Self.schedule(["interval": "weekly", "weekly_anchor": "friday"])
        #expect(friday.nextRun(after: Self.thursday) == Self.thursday + 86_400)
    }

    @Test("F7: monthly runs on its anchor, the last day of shorter months")
    func monthly() {
        let fifth = Self.schedule(["interval": "monthly", "monthly_anchor": 5])
        #expect(fifth.nextRun(after: Self.thursday) == Self.thursday + 2 * 86_400)  // 2026-12-05
        // 2027-02-01 00:00 UTC; anchor 31 falls on 2027-02-28.
        let february = 1_801_440_000
        let last = Self.schedule(["interval": "monthly", "monthly_anchor": 31])
        #expect(last.nextRun(after: february) == february + 27 * 86_400)
    }

    @Test("F7: manual makes no runs")
    func manual() {
        #expect(Self.schedule(["interval": "manual"]).nextRun(after: Self.thursday) == nil)
    }
}
