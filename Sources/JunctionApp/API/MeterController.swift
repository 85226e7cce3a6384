import ConnectModel
import Hummingbird
import JunctionDomain
import StripeForm

/// Billing meters of the acting account and the usage recorded against them (`/v1/billing/…`).
struct MeterController: Sendable {
    let dependencies: Dependencies
    var meters: Meters { dependencies.meters }

    func addRoutes(to router: Router<JunctionContext>) {
        let endpoint = EndpointFactory(dependencies: dependencies)
        let handlers = ResourceHandlers(dependencies: dependencies)
        endpoint.add(.post, "/v1/billing/meters", to: router, Self.create, create)
        endpoint.add(
            .get, "/v1/billing/meters", to: router,
            CommonParams.list(["status": ParamSpec(.enumeration(MeterStatus.allCases.map(\.rawValue)))]),
            handlers.list(.meter) { params in
                params["status"]?.string.map { ObjectFilter(statuses: [$0]) } ?? ObjectFilter()
            })
        endpoint.add(.get, "/v1/billing/meters/:id", to: router, CommonParams.expandOnly, handlers.retrieve(.meter))
        endpoint.add(.post, "/v1/billing/meters/:id", to: router, Self.update, update)
        endpoint.add(.post, "/v1/billing/meters/:id/deactivate", to: router, CommonParams.expandOnly, deactivate)
        endpoint.add(.post, "/v1/billing/meters/:id/reactivate", to: router, CommonParams.expandOnly, reactivate)
        endpoint.add(.get, "/v1/billing/meters/:id/event_summaries", to: router, Self.summaries, summaries)
        endpoint.add(.post, "/v1/billing/meter_events", to: router, Self.event, record)
    }

    static let create = ParamSchema([
        "display_name": ParamSpec(.string(maxLength: 250), required: true),
        "event_name": ParamSpec(.string(maxLength: 100), required: true),
        "default_aggregation": ParamSpec(
            .object([
                "formula": ParamSpec(.enumeration(MeterAggregation.allCases.map(\.rawValue)), required: true)
            ]), required: true),
        "customer_mapping": ParamSpec(
            .object([
                "event_payload_key": ParamSpec(.string(maxLength: 100), required: true),
                "type": ParamSpec(.enumeration(["by_id"]), required: true),
            ])),
        "value_settings": ParamSpec(
            .object(["event_payload_key": ParamSpec(.string(maxLength: 100), required: true)])),
        "event_time_window": ParamSpec(.enumeration(["day", "hour"])),
        "expand": ParamSchema.expand,
    ])
    static let update = ParamSchema([
        "display_name": ParamSpec(.string(maxLength: 250)), "expand": ParamSchema.expand,
    ])
    static let summaries = ParamSchema([
        "customer": ParamSpec(.string, required: true),
        "start_time": ParamSpec(.integer(min: 0), required: true),
        "end_time": ParamSpec(.integer(min: 0), required: true),
        "value_grouping_window": ParamSpec(.enumeration(["day", "hour"])),
        "limit": ParamSpec(.integer(min: 1, max: 100)), "starting_after": ParamSpec(.string),
        "ending_before": ParamSpec(.string), "expand": ParamSchema.expand,
    ])
    static let event = ParamSchema([
        "event_name": ParamSpec(.string(maxLength: 100), required: true),
        "payload": ParamSpec(.metadata, required: true),
        "identifier": ParamSpec(.string(maxLength: 100)),
        "timestamp": ParamSpec(.integer(min: 0)),
        "expand": ParamSchema.expand,
    ])

    @Sendable func create(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let creation = Meters.Creation(
            displayName: params["display_name"]?.string ?? "", eventName: params["event_name"]?.string ?? "",
            formula: params["default_aggregation"]?["formula"]?.string.flatMap(MeterAggregation.init) ?? .sum,
            customerKey: params["customer_mapping"]?["event_payload_key"]?.string,
            valueKey: params["value_settings"]?["event_payload_key"]?.string,
            eventTimeWindow: params["event_time_window"]?.string)
        return APIResult(try await meters.create(creation, caller: call.caller))
    }

    @Sendable func update(_ call: APICall) async throws -> APIResult {
        APIResult(
            try await meters.update(
                try call.path(), displayName: call.params["display_name"]?.string, caller: call.caller))
    }

    @Sendable func deactivate(_ call: APICall) async throws -> APIResult {
        APIResult(try await meters.setActive(try call.path(), false, caller: call.caller))
    }

    @Sendable func reactivate(_ call: APICall) async throws -> APIResult {
        APIResult(try await meters.setActive(try call.path(), true, caller: call.caller))
    }

    @Sendable func summaries(_ call: APICall) async throws -> APIResult {
        let params = call.params
        let id = try call.path()
        let window: Int? =
            switch params["value_grouping_window"]?.string {
            case "day": 86_400
            case "hour": 3_600
            default: nil
            }
        let summaries = try await meters.summaries(
            id, customer: params["customer"]?.string ?? "", start: params["start_time"]?.integer ?? 0,
            end: params["end_time"]?.integer ?? 0, window: window, account: call.actingAccount)
        return APIResult(
            body: try ListEnvelope.page(
                of: summaries, request: try call.page(), url: "\(Resource.meter.path)/\(id)/event_summaries"))
    }

    @Sendable func record(_ call: APICall) async throws -> APIResult {
        let params = call.params
        var payload: [String: String] = [:]
        if case .object(let fields)? = params["payload"] {
            for (key, value) in fields { if let text = value.string { payload[key] = text } }
        }
        return APIResult(
            body: try await meters.record(
                eventName: params["event_name"]?.string ?? "", payload: payload,
                identifier: params["identifier"]?.string, timestamp: params["timestamp"]?.integer,
                caller: call.caller))
    }
}
