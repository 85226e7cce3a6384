import Foundation

/// `settings.payouts.schedule`: when automatic payouts happen (F7). Runs are at midnight UTC on
/// Junction's clock: every day, on the weekly anchor's day, or on the monthly anchor (the last
/// day of shorter months); `manual` makes none.
public struct PayoutSchedule: Sendable, Equatable {
    public enum Interval: String, Sendable {
        case daily, weekly, monthly, manual
    }

    public var interval: Interval
    public var weeklyAnchor: String
    public var monthlyAnchor: Int

    public init(settings: JSONValue) {
        let schedule = settings.value(at: "payouts.schedule")
        interval = schedule?["interval"]?.stringValue.flatMap(Interval.init(rawValue:)) ?? .daily
        weeklyAnchor = schedule?["weekly_anchor"]?.stringValue ?? "monday"
        monthlyAnchor = schedule?["monthly_anchor"]?.integerValue ?? 1
    }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    /// The first run strictly after `time`, or `nil` when payouts are manual.
    public func nextRun(after time: Int) -> Int? {
        var day = (time / 86_400 + 1) * 86_400  // the next midnight
        switch interval {
        case .manual:
            return nil
        case .daily:
            return day
        case .weekly:
            let anchor = Self.weekdays.firstIndex(of: weeklyAnchor) ?? 1
            // 1970-01-01 was a Thursday (4).
            while (day / 86_400 + 4) % 7 != anchor { day += 86_400 }
            return day
        case .monthly:
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            for _ in 0..<62 {
                let date = Date(timeIntervalSince1970: TimeInterval(day))
                let dayOfMonth = calendar.component(.day, from: date)
                let length = calendar.range(of: .day, in: .month, for: date)?.count ?? 31
                if dayOfMonth == min(monthlyAnchor, length) { return day }
                day += 86_400
            }
            return day
        }
    }
}

extension Account {
    public var payoutSchedule: PayoutSchedule { PayoutSchedule(settings: settings) }

    /// `settings.payouts.debit_negative_balances`: whether an automatic payout run takes a negative
    /// balance back from the default bank account of its currency.
    public var debitsNegativeBalances: Bool {
        settings.value(at: "payouts.debit_negative_balances") == .bool(true)
    }

    /// When the next automatic payout of this account happens, if it has them: payouts
    /// enabled, a schedule that is not manual, and somewhere to send the money.
    public var automaticPayoutDue: Int? {
        guard payoutsEnabled, !payoutDestinations.isEmpty else { return nil }
        return payoutSchedule.nextRun(after: lastAutomaticPayout ?? created)
    }
}
