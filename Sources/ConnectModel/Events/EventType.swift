/// An event's type (`customer.created`). Each one Junction emits is declared once, as a
/// constant beside the resource or rule that emits it, so a misspelt type cannot compile.
public struct EventType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
}
