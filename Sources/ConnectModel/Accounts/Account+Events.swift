extension Account {
    /// E1: what changed between `before` and `self`, as events: `account.updated` with
    /// `previous_attributes`, and `capability.updated` for each capability whose state changed.
    /// The account is rendered as its controller (or, for a direct account, its owner) sees it;
    /// other readers get it without the controller's fields when the event is rendered.
    public func changeEvents(since before: Account, now: Int, request: RequestInfo) -> [Event] {
        let viewer: AccountRelation = isPlatformControlled ? .controllingPlatform : .owner
        let new = rendered(for: viewer)
        var events: [Event] = []
        if let previous = new.previousAttributes(before: before.rendered(for: viewer)) {
            events.append(
                Event(
                    .accountUpdated, account: id, created: now, object: new, previousAttributes: previous,
                    request: request, controllingApplication: controllingApplication))
        }
        for name in Set(capabilities.keys).union(before.capabilities.keys).sorted() {
            let capability = renderedCapability(name)
            if let previous = capability.previousAttributes(before: before.renderedCapability(name)) {
                events.append(
                    Event(
                        .capabilityUpdated, account: id, created: now, object: capability,
                        previousAttributes: previous,
                        request: request))
            }
        }
        return events
    }
}

extension EventType {
    public static let accountUpdated = EventType(rawValue: "account.updated")
    public static let capabilityUpdated = EventType(rawValue: "capability.updated")
    /// `data.object` is the application (E1); the event is visible to it even once disconnected.
    public static let applicationAuthorized = EventType(rawValue: "account.application.authorized")
    public static let applicationDeauthorized = EventType(rawValue: "account.application.deauthorized")
}
