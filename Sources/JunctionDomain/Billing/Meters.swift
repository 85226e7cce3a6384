import ConnectModel
import Foundation
import JunctionStorage

/// Billing meters and their events: usage recorded per customer, added up by the meter's
/// formula over a period. Metered prices bill a subscription's usage of the period just ended
/// (in arrears), on the invoice that starts the next one.
public struct Meters: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/billing/meters` asks for.
    public struct Creation: Sendable {
        public var displayName: String
        public var eventName: String
        public var formula: MeterAggregation
        /// `customer_mapping[event_payload_key]` (default `stripe_customer_id`).
        public var customerKey: String?
        /// `value_settings[event_payload_key]` (default `value`).
        public var valueKey: String?
        public var eventTimeWindow: String?

        public init(
            displayName: String, eventName: String, formula: MeterAggregation, customerKey: String? = nil,
            valueKey: String? = nil, eventTimeWindow: String? = nil
        ) {
            self.displayName = displayName
            self.eventName = eventName
            self.formula = formula
            self.customerKey = customerKey
            self.valueKey = valueKey
            self.eventTimeWindow = eventTimeWindow
        }
    }

    /// How far back a meter event's `timestamp` may be, and how far ahead (Stripe's limits).
    public static let pastWindow = 35 * 86_400
    public static let futureWindow = 5 * 60

    public func create(_ creation: Creation, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            if try await Self.activeMeter(named: creation.eventName, in: tx, account: caller.account) != nil {
                throw JunctionError.invalid(
                    "An active meter with event_name '\(creation.eventName)' already exists.", param: "event_name")
            }
            let id = Resource.meter.newID()
            let meter = StoredObject(
                id: id, account: caller.account, kind: .meter, created: caller.now,
                document: [
                    "id": .string(id), "object": "billing.meter", "created": .int(caller.now),
                    "customer_mapping": [
                        "event_payload_key": .string(creation.customerKey ?? "stripe_customer_id"), "type": "by_id",
                    ],
                    "default_aggregation": ["formula": .string(creation.formula.rawValue)],
                    "display_name": .string(creation.displayName), "event_name": .string(creation.eventName),
                    "event_time_window": JSONValue(creation.eventTimeWindow), "livemode": false,
                    "status": JSONValue(MeterStatus.active), "status_transitions": ["deactivated_at": nil],
                    "updated": .int(caller.now),
                    "value_settings": ["event_payload_key": .string(creation.valueKey ?? "value")],
                ])
            try await tx.create(meter, caller: caller)
            return meter
        }
    }

    /// `POST /v1/billing/meters/{id}`: its `display_name`.
    public func update(_ id: String, displayName: String?, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var meter = try await tx.require(.meter, id, account: caller.account)
            let before = meter.document
            if let displayName { meter.document["display_name"] = .string(displayName) }
            meter.document["updated"] = .int(caller.now)
            try await tx.update(meter, emitting: .meterUpdated, since: before, caller: caller)
            return meter
        }
    }

    /// `POST /v1/billing/meters/{id}/deactivate` and `/reactivate`: an inactive meter takes no
    /// events, and its event name is free for another meter.
    public func setActive(_ id: String, _ active: Bool, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var meter = try await tx.require(.meter, id, account: caller.account)
            let want = active ? MeterStatus.active : .inactive
            guard meter.status(MeterStatus.self) != want else {
                throw JunctionError.invalid(
                    "This meter is already \(want.rawValue).", code: active ? "meter_already_active" : nil)
            }
            if active, let name = meter.document["event_name"]?.stringValue,
                try await Self.activeMeter(named: name, in: tx, account: caller.account) != nil
            {
                throw JunctionError.invalid("An active meter with event_name '\(name)' already exists.")
            }
            meter.setStatus(want)
            meter.document["status_transitions"] = ["deactivated_at": active ? nil : .int(caller.now)]
            meter.document["updated"] = .int(caller.now)
            try await tx.update(meter)
            try await tx.emit(active ? .meterReactivated : .meterDeactivated, meter.document, caller: caller)
            return meter
        }
    }

    /// `POST /v1/billing/meter_events`: one customer's usage for the active meter of
    /// `eventName`. Stripe checks much of this later and reports errors by event; Junction
    /// checks it at once, so a test sees its mistake where it made it.
    public func record(
        eventName: String, payload: [String: String], identifier: String?, timestamp: Int?, caller: Caller
    ) async throws -> JSONValue {
        let now = caller.now
        let timestamp = timestamp ?? now
        guard timestamp >= now - Self.pastWindow, timestamp <= now + Self.futureWindow else {
            throw JunctionError.invalid(
                "The timestamp must be within the past 35 days and at most 5 minutes in the future.",
                param: "timestamp")
        }
        let identifier = identifier ?? UUID().uuidString.lowercased()
        return try await store.write { tx in
            guard let meter = try await Self.activeMeter(named: eventName, in: tx, account: caller.account) else {
                throw JunctionError.invalid(
                    "No active meter was found for the event name '\(eventName)'.", param: "event_name",
                    code: "resource_missing")
            }
            let customerKey = meter.document["customer_mapping"]?["event_payload_key"]?.stringValue ?? ""
            let valueKey = meter.document["value_settings"]?["event_payload_key"]?.stringValue ?? "value"
            guard let customerID = payload[customerKey] else { throw JunctionError.missing("payload[\(customerKey)]") }
            _ = try await tx.require(.customer, customerID, account: caller.account, param: "payload[\(customerKey)]")
            var value: Decimal = 1
            if let text = payload[valueKey] {
                guard let number = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), number >= 0,
                    number <= Decimal(Amounts.bound)
                else {
                    throw JunctionError.invalid(
                        "Invalid value: payload[\(valueKey)] must be a number from 0 to 1,000,000,000,000 (got '\(text)').",
                        param: "payload[\(valueKey)]")
                }
                value = number
            } else if meter.document["default_aggregation"]?["formula"] != "count" {
                throw JunctionError.missing("payload[\(valueKey)]")
            }
            let event: JSONValue = [
                "object": "billing.meter_event", "created": .int(now), "event_name": .string(eventName),
                "identifier": .string(identifier), "livemode": false,
                "payload": .object(payload.mapValues(JSONValue.string)), "timestamp": .int(timestamp),
            ]
            var stored = event
            stored[MeterEventField.customer] = .string(customerID)
            stored[MeterEventField.meter] = .string(meter.id)
            stored[MeterEventField.value] = .string("\(value)")
            do {
                try await tx.insert(
                    StoredObject(
                        id: "\(Resource.meterEvent.idPrefix)_\(identifier)", account: caller.account,
                        kind: .meterEvent, created: timestamp, document: stored))
            } catch StoreError.duplicate {
                throw JunctionError.invalid(
                    "A meter event with identifier '\(identifier)' was already recorded.", param: "identifier",
                    code: "resource_already_exists")
            }
            return event
        }
    }

    /// `GET /v1/billing/meters/{id}/event_summaries`: the customer's usage in `[start, end)`, in one
    /// summary or one per `window` (`hour`, `day`), newest first.
    public func summaries(_ id: String, customer: String, start: Int, end: Int, window: Int?, account: String)
        async throws -> [JSONValue]
    {
        guard start < end else {
            throw JunctionError.invalid("start_time must be before end_time.", param: "start_time")
        }
        if let window, start % window != 0 || end % window != 0 {
            throw JunctionError.invalid(
                "start_time and end_time must be aligned with value_grouping_window.", param: "start_time")
        }
        return try await store.write { tx in
            let meter = try await tx.require(.meter, id, account: account)
            let events = try await Self.events(of: meter, customer: customer, from: start, to: end, in: tx)
            let step = window ?? (end - start)
            var summaries: [JSONValue] = []
            for bucket in stride(from: start, to: end, by: step) {
                let inside = events.filter { $0.created >= bucket && $0.created < min(bucket + step, end) }
                summaries.append([
                    "id": .string(Identifiers.make("mtrusg")), "object": "billing.meter_event_summary",
                    "aggregated_value": .double(NSDecimalNumber(decimal: Self.aggregate(inside, meter)).doubleValue),
                    "end_time": .int(min(bucket + step, end)), "livemode": false, "meter": .string(meter.id),
                    "start_time": .int(bucket),
                ])
            }
            return summaries.reversed()
        }
    }

    /// The customer's usage of the meter `id` of `account` in `[start, end)`, added up by the
    /// meter's formula (inactive meters included: the period's usage was recorded while it was active).
    static func usage(
        meter id: String, account: String, customer: String, from start: Int, to end: Int,
        in tx: any ObjectTransaction
    ) async throws -> Decimal {
        guard let meter = try await tx.object(id, account: account), meter.kind == .meter else { return 0 }
        return aggregate(try await events(of: meter, customer: customer, from: start, to: end, in: tx), meter)
    }

    static func events(
        of meter: StoredObject, customer: String, from start: Int, to end: Int, in tx: any ObjectTransaction
    )
        async throws -> [StoredObject]
    {
        try await tx.all(
            account: meter.account, kind: .meterEvent,
            filter: ObjectFilter(customer: customer, parent: meter.id, created: CreatedFilter(gte: start, lt: end)))
    }

    static func aggregate(_ events: [StoredObject], _ meter: StoredObject) -> Decimal {
        let values = events.map { Decimal(string: $0.document[MeterEventField.value]?.stringValue ?? "0") ?? 0 }
        switch meter.document["default_aggregation"]?["formula"]?.stringValue.flatMap(MeterAggregation.init) {
        case .count?: return Decimal(values.count)
        case .last?: return values.last ?? 0
        default: return values.reduce(0, +)
        }
    }

    static func activeMeter(named name: String, in tx: any ObjectTransaction, account: String) async throws
        -> StoredObject?
    {
        try await tx.all(
            account: account, kind: .meter,
            filter: ObjectFilter(statuses: [MeterStatus.active.rawValue], fields: ["event_name": name])
        ).first
    }
}
