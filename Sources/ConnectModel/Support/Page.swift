/// A page of a list, newest first.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var hasMore: Bool

    public init(items: [Item], hasMore: Bool) {
        self.items = items
        self.hasMore = hasMore
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Page<T> {
        Page<T>(items: try items.map(transform), hasMore: hasMore)
    }
}

/// Where a page starts: Stripe's `starting_after` / `ending_before` cursors.
public enum PageCursor: Sendable, Equatable {
    case first
    case startingAfter(String)
    case endingBefore(String)
}

/// One page's worth of a list request: where it starts, how long it is, and the `created` filter.
public struct PageRequest: Sendable, Equatable {
    public var limit: Int
    public var cursor: PageCursor
    public var created: CreatedFilter?

    public init(limit: Int = 10, cursor: PageCursor = .first, created: CreatedFilter? = nil) {
        self.limit = limit
        self.cursor = cursor
        self.created = created
    }
}
