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
}
