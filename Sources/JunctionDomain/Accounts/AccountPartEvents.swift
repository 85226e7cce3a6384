import ConnectModel

/// The events of a change to a list an account holds (its external accounts, its persons):
/// `created` for what is new, `updated` with `previous_attributes` for what changed, `deleted`
/// for what is gone, after the account's own `account.updated` and `capability.updated`.
struct AccountPartEvents {
    var created: EventType
    var updated: EventType
    var deleted: EventType

    func events<Part>(
        _ before: Account, _ after: Account, parts: (Account) -> [Part], id: (Part) -> String,
        render: (Part, String) -> JSONValue, now: Int, request: RequestInfo
    ) -> [Event] {
        var events = after.changeEvents(since: before, now: now, request: request)
        let old = Dictionary(parts(before).map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        let kept = Set(parts(after).map(id))
        for part in parts(after) {
            let rendered = render(part, after.id)
            if let previous = old[id(part)] {
                if let changed = rendered.previousAttributes(before: render(previous, after.id)) {
                    events.append(
                        Event(
                            updated, account: after.id, created: now, object: rendered, previousAttributes: changed,
                            request: request))
                }
            } else {
                events.append(Event(created, account: after.id, created: now, object: rendered, request: request))
            }
        }
        for gone in parts(before) where !kept.contains(id(gone)) {
            var rendered = render(gone, after.id)
            rendered["deleted"] = true
            events.append(Event(deleted, account: after.id, created: now, object: rendered, request: request))
        }
        return events
    }
}
