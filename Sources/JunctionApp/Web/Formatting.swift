import ConnectModel
import Foundation

/// Percent-encodes a value for a URL query.
func queryEscaped(_ value: String) -> String {
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+?#/")
    return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
}

/// A Unix time as a date people read (UTC).
func humanDate(_ time: Int) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "d MMMM yyyy, HH:mm 'UTC'"
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
}

/// An amount in minor units as people read it: `12.34 USD` (`1234 JPY` for zero-decimal currencies).
func humanMoney(_ amount: Int?, _ currency: String?) -> String {
    let amount = amount ?? 0
    let code = (currency ?? "usd").uppercased()
    if ["JPY", "KRW", "VND", "CLP", "HUF"].contains(code) { return "\(amount) \(code)" }
    let sign = amount < 0 ? "-" : ""
    let value = abs(amount)
    return "\(sign)\(value / 100).\(String(format: "%02d", value % 100)) \(code)"
}

extension Account {
    /// The payout schedule as people read it.
    var humanPayoutSchedule: String {
        let interval = settings.value(at: "payouts.schedule.interval")?.stringValue ?? "daily"
        if case .int(let days)? = settings.value(at: "payouts.schedule.delay_days") {
            return "\(interval.capitalized), \(days) days after a payment"
        }
        return interval.capitalized
    }
}
