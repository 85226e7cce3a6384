/// A Stripe API version: its release date and, since 2024-09-30, its major release's name
/// (`2025-03-31.basil`). A request's version decides the shape of what it gets back.
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public let date: String
    /// The major release (`acacia`, `basil`, …); `nil` for the dated versions before them.
    public let release: String?

    init(_ text: String) {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        date = parts[0]
        release = parts.count > 1 ? parts[1] : nil
    }

    /// As Stripe writes it: `2022-11-15`, `2026-10-28.endive`.
    public var description: String { release.map { "\(date).\($0)" } ?? date }

    public static func < (left: APIVersion, right: APIVersion) -> Bool { left.date < right.date }

    /// The version a `Stripe-Version` header or an `api_version` parameter names, if Stripe
    /// released it. Beta flags after `;` (`2026-10-28.endive; feature_beta=v1`) are ignored.
    public init?(named text: String) {
        let name = String(text.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
        guard let known = Self.byName[name] else { return nil }
        self = known
    }

    /// The newest version: what Junction stores and renders first, and the default.
    public static let newest = released.last!

    /// Every version Stripe has released, oldest first. Versions of a major release are also
    /// known by their date alone.
    public static let released: [APIVersion] = releasedNames.map(APIVersion.init)

    static let byName: [String: APIVersion] = {
        var names: [String: APIVersion] = [:]
        for version in released {
            names[version.description] = version
            names[version.date] = names[version.date] ?? version
        }
        return names
    }()

    /// From Stripe's API upgrades page and the versions its SDKs pin.
    static let releasedNames: [String] = [
        "2011-01-01", "2011-06-21", "2011-06-28", "2011-08-01", "2011-09-15", "2011-11-17", "2012-02-23",
        "2012-03-25", "2012-06-18", "2012-06-28", "2012-07-09", "2012-09-24", "2012-10-26", "2012-11-07",
        "2013-02-11", "2013-02-13", "2013-07-05", "2013-08-12", "2013-08-13", "2013-10-29", "2013-12-03",
        "2014-01-31", "2014-03-13", "2014-03-28", "2014-05-19", "2014-06-13", "2014-06-17", "2014-07-22",
        "2014-07-26", "2014-08-04", "2014-08-20", "2014-09-08", "2014-10-07", "2014-11-05", "2014-11-20",
        "2014-12-08", "2014-12-17", "2014-12-22", "2015-01-11", "2015-01-26", "2015-02-10", "2015-02-16",
        "2015-02-18", "2015-03-24", "2015-04-07", "2015-06-15", "2015-07-07", "2015-07-13", "2015-07-28",
        "2015-08-07", "2015-08-19", "2015-09-03", "2015-09-08", "2015-09-23", "2015-10-01", "2015-10-12",
        "2015-10-16", "2016-02-03", "2016-02-19", "2016-02-22", "2016-02-23", "2016-02-29", "2016-03-07",
        "2016-06-15", "2016-07-06", "2016-10-19", "2017-01-27", "2017-02-14", "2017-04-06", "2017-05-25",
        "2017-06-05", "2017-08-15", "2017-12-14", "2018-01-23", "2018-02-05", "2018-02-06", "2018-02-28",
        "2018-05-21", "2018-07-27", "2018-08-23", "2018-09-06", "2018-09-24", "2018-10-31", "2018-11-08",
        "2019-02-11", "2019-02-19", "2019-03-14", "2019-05-16", "2019-08-14", "2019-09-09", "2019-10-08",
        "2019-10-17", "2019-11-05", "2019-12-03", "2020-03-02", "2020-08-27", "2022-08-01", "2022-11-15",
        "2023-08-16", "2023-10-16", "2024-04-10", "2024-06-20", "2024-09-30.acacia", "2024-10-28.acacia",
        "2024-11-20.acacia", "2024-12-18.acacia", "2025-01-27.acacia", "2025-02-24.acacia", "2025-03-31.basil",
        "2025-04-30.basil", "2025-05-28.basil", "2025-06-30.basil", "2025-07-30.basil", "2025-08-27.basil",
        "2025-09-30.clover", "2025-10-29.clover", "2025-11-17.clover", "2025-12-15.clover", "2026-01-28.clover",
        "2026-02-25.clover", "2026-03-25.dahlia", "2026-04-22.dahlia", "2026-05-27.dahlia", "2026-06-24.dahlia",
        "2026-07-29.dahlia", "2026-08-26.dahlia", "2026-09-30.endive", "2026-10-28.endive",
    ]

    // The versions the changes Junction renders were made in.
    public static let v2022_11_15 = APIVersion("2022-11-15")
    public static let v2020_08_27 = APIVersion("2020-08-27")
    public static let v2022_08_01 = APIVersion("2022-08-01")
    public static let v2024_04_10 = APIVersion("2024-04-10")
    public static let basil = APIVersion("2025-03-31.basil")
}

extension JunctionError {
    /// A `Stripe-Version` or `api_version` Stripe never released.
    public static func unknownVersion(_ text: String, param: String? = nil) -> JunctionError {
        JunctionError(
            .invalidRequest,
            message:
                "Invalid Stripe API version: \(text). Use a version Stripe has released, such as \(APIVersion.newest); see https://docs.stripe.com/upgrades.",
            param: param)
    }
}
