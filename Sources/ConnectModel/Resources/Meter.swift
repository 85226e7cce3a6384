extension Resource {
    /// Billing meters: what a metered price bills, from the meter events recorded for each customer.
    public static let meter = Resource(
        kind: .meter, idPrefix: "mtr", noun: "billing meter", path: "/v1/billing/meters",
        events: ResourceEvents(created: .meterCreated, updated: .meterUpdated), statusField: .field("status"))

    /// Meter events: usage of one customer at one time. Stripe gives them no id and no list; Junction
    /// keeps each as an object of the meter (`_meter`) and the customer (`_customer`), created at its
    /// `timestamp`, so usage over a period is a list by parent, customer and time.
    public static let meterEvent = Resource(
        kind: .meterEvent, idPrefix: "mev", noun: "meter event", path: "/v1/billing/meter_events",
        customerField: MeterEventField.customer, parentField: MeterEventField.meter)
}

/// The private fields of a stored meter event.
public enum MeterEventField {
    public static let customer = "_customer"
    public static let meter = "_meter"
    /// The event's value as a decimal string, read from the payload key the meter names.
    public static let value = "_value"
}

/// A meter's `status`.
public enum MeterStatus: String, ResourceStatus {
    case active
    case inactive
}

/// How a meter adds up a period's events (`default_aggregation[formula]`).
public enum MeterAggregation: String, Sendable, CaseIterable {
    /// The sum of the events' values.
    case sum
    /// How many events there were.
    case count
    /// The value of the latest event.
    case last
}

extension EventType {
    public static let meterCreated = EventType(rawValue: "billing.meter.created")
    public static let meterUpdated = EventType(rawValue: "billing.meter.updated")
    public static let meterDeactivated = EventType(rawValue: "billing.meter.deactivated")
    public static let meterReactivated = EventType(rawValue: "billing.meter.reactivated")
}
