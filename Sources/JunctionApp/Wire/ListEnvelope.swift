import ConnectModel
import StripeForm

/// Stripe's list envelope and cursors.
enum ListEnvelope {
    static func cursor(_ params: Params) throws -> PageCursor {
        let after = params["starting_after"]?.string
        let before = params["ending_before"]?.string
        switch (after, before) {
        case (nil, nil): return .first
        case (let after?, nil): return .startingAfter(after)
        case (nil, let before?): return .endingBefore(before)
        case (_?, _?):
            throw JunctionError.invalid(
                "You may only specify one of these parameters: ending_before, starting_after.", param: "ending_before")
        }
    }

    static func list(_ data: [JSONValue], hasMore: Bool = false, url: String) -> JSONValue {
        ["object": "list", "data": .array(data), "has_more": .bool(hasMore), "url": .string(url)]
    }

    static func list(_ page: Page<JSONValue>, url: String) -> JSONValue {
        list(page.items, hasMore: page.hasMore, url: url)
    }

    /// A page of stored objects as clients see them.
    static func list(_ page: Page<StoredObject>, url: String) -> JSONValue {
        list(page.items.map(\.publicDocument), hasMore: page.hasMore, url: url)
    }

    /// A page of a list an object holds (an invoice's lines, a subscription's items), in its
    /// order, with `limit`, `starting_after` and `ending_before` by item id.
    static func page(of items: [JSONValue], request: PageRequest, url: String) throws -> JSONValue {
        func index(_ id: String, _ param: String) throws -> Int {
            guard let found = items.firstIndex(where: { $0["id"]?.stringValue == id }) else {
                throw JunctionError.invalid("No such object in this list: '\(id)'.", param: param)
            }
            return found
        }
        var window = items[...]
        var hasMore = false
        switch request.cursor {
        case .first:
            hasMore = window.count > request.limit
            window = window.prefix(request.limit)
        case .startingAfter(let id):
            window = window[(try index(id, "starting_after") + 1)...]
            hasMore = window.count > request.limit
            window = window.prefix(request.limit)
        case .endingBefore(let id):
            window = window[..<(try index(id, "ending_before"))]
            hasMore = window.count > request.limit
            window = window.suffix(request.limit)
        }
        return list(Array(window), hasMore: hasMore, url: url)
    }
}
