import ConnectModel
import JunctionStorage

/// Payment intents of an account: create (and confirm at once), update, confirm, capture,
/// cancel (A5, F1, F2). Declines are card errors carrying the intent.
public struct PaymentIntents: Sendable {
    let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// What `POST /v1/payment_intents` asks for.
    public struct Creation: Sendable {
        public var amount: Int
        public var currency: String
        public var customer: String?
        public var paymentMethod: String?
        public var applicationFee: Int?
        public var manualCapture: Bool
        public var confirm: Bool
        /// `payment_method_types`, if sent (else `card`).
        public var paymentMethodTypes: [String]?
        /// Further fields of the document (`description`, `metadata`, `customer`, …), as a patch.
        public var fields: JSONValue
        /// `transfer_data`: a destination charge (F6).
        public var destination: DestinationCharge?

        public init(
            amount: Int, currency: String, customer: String? = nil, paymentMethod: String? = nil,
            applicationFee: Int? = nil, manualCapture: Bool = false, confirm: Bool = false,
            paymentMethodTypes: [String]? = nil, fields: JSONValue = [:]
        ) {
            self.paymentMethodTypes = paymentMethodTypes
            self.amount = amount
            self.currency = currency
            self.customer = customer
            self.paymentMethod = paymentMethod
            self.applicationFee = applicationFee
            self.manualCapture = manualCapture
            self.confirm = confirm
            self.fields = fields
        }
    }

    public func create(_ creation: Creation, caller: Caller) async throws -> StoredObject {
        let currency = try Currency.validated(creation.currency)
        let minimum = Currency.minimumChargeAmount(currency)
        guard creation.amount >= minimum else {
            throw JunctionError.invalid(
                "Amount must be at least \(minimum) \(currency) minor units.", param: "amount", code: "amount_too_small"
            )
        }
        try PaymentEngine.checkApplicationFee(
            creation.applicationFee, amount: creation.amount, caller: caller,
            destinationCharge: creation.destination != nil)
        let id = Resource.paymentIntent.newID()
        var document = PaymentIntentDocument.new(
            id, amount: creation.amount, currency: currency, caller: caller, paymentMethod: creation.paymentMethod,
            applicationFee: creation.applicationFee, manualCapture: creation.manualCapture
        ).patched(with: creation.fields)
        if let destination = creation.destination {
            try destination.check(amount: creation.amount, onBehalfOf: document["on_behalf_of"]?.stringValue)
            destination.describe(in: &document)
        }
        if let customer = creation.customer { document["customer"] = .string(customer) }
        if let types = creation.paymentMethodTypes {
            document["payment_method_types"] = .array(try PaymentMethodTypes.validated(types).map(JSONValue.string))
        }
        let initial = document
        let outcome: PaymentEngine.Outcome = try await store.write { tx in
            if let customer = creation.customer {
                _ = try await tx.require(.customer, customer, account: caller.account, param: "customer")
            }
            var intent = StoredObject(
                id: id, account: caller.account, kind: .paymentIntent, created: caller.now, document: initial)
            try await tx.create(intent, caller: caller)
            guard creation.confirm else { return .done(intent) }
            return try await PaymentEngine.confirm(&intent, in: tx, caller: caller)
        }
        return try Self.result(outcome)
    }

    /// `POST /v1/payment_intents/{id}`: `patch` holds every parameter sent.
    public func update(_ id: String, patch: JSONValue, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var intent = try await tx.require(.paymentIntent, id, account: caller.account)
            guard intent.hasStatus(in: PaymentIntentStatus.updatable) else {
                let names = (patch.objectValue?.keys.sorted() ?? []).joined(separator: ", ")
                throw JunctionError.invalid(
                    "This PaymentIntent's \(names) could not be updated because it has a status of \(intent.statusValue ?? ""). You may only update a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.",
                    code: "payment_intent_unexpected_state")
            }
            var fields = patch.objectValue ?? [:]
            if let customer = fields["customer"]?.stringValue {
                _ = try await tx.require(.customer, customer, account: caller.account, param: "customer")
            }
            if let currency = fields.removeValue(forKey: "currency")?.stringValue {
                fields["currency"] = .string(try Currency.validated(currency))
            }
            if let types = fields.removeValue(forKey: "payment_method_types") {
                let names = types.arrayItems?.compactMap(\.stringValue) ?? []
                fields["payment_method_types"] = .array(try PaymentMethodTypes.validated(names).map(JSONValue.string))
            }
            fields["payment_method_options"] = nil
            let amount = fields["amount"]?.integerValue ?? intent.document["amount"]?.integerValue ?? 0
            if let fee = fields["application_fee_amount"] {
                try PaymentEngine.checkApplicationFee(
                    fee.integerValue, amount: amount, caller: caller,
                    destinationCharge: intent.document["transfer_data"]?["destination"]?.stringValue != nil)
            } else if fields["amount"] != nil, let kept = intent.document["application_fee_amount"]?.integerValue,
                kept > amount
            {
                // L2: a lower amount cannot keep a larger fee.
                throw JunctionError.invalid(
                    "The application fee (\(kept)) must be between 0 and the amount (\(amount)): lower application_fee_amount with the amount.",
                    param: "amount")
            }
            let before = intent.document
            intent.document = before.patched(with: .object(fields))
            if fields["payment_method"] != nil, intent.status(PaymentIntentStatus.self) == .requiresPaymentMethod {
                intent.setStatus(PaymentIntentStatus.requiresConfirmation)
            }
            try await tx.update(intent, emitting: .paymentIntentUpdated, since: before, caller: caller)
            return intent
        }
    }

    /// `POST /v1/payment_intents/{id}/confirm`.
    public func confirm(
        _ id: String, paymentMethod: String?, receiptEmail: String?, captureMethod: String?, caller: Caller
    ) async throws -> StoredObject {
        let outcome: PaymentEngine.Outcome = try await store.write { tx in
            var intent = try await tx.require(.paymentIntent, id, account: caller.account)
            if let paymentMethod { intent.document["payment_method"] = .string(paymentMethod) }
            if let receiptEmail { intent.document["receipt_email"] = .string(receiptEmail) }
            if let captureMethod {
                intent.document["capture_method"] = .string(captureMethod == "manual" ? "manual" : "automatic")
            }
            let outcome = try await PaymentEngine.confirm(&intent, in: tx, caller: caller)
            // An invoice's payment intent, confirmed by the customer (Stripe.js after
            // `default_incomplete`), pays the invoice.
            try await Invoices.confirmed(outcome, in: tx, caller: caller)
            return outcome
        }
        return try Self.result(outcome)
    }

    public func capture(_ id: String, amount: Int?, applicationFee: Int?, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var intent = try await tx.require(.paymentIntent, id, account: caller.account)
            try await PaymentEngine.capture(
                &intent, amount: amount, applicationFee: applicationFee, in: tx, caller: caller)
            return intent
        }
    }

    public func cancel(_ id: String, reason: String?, caller: Caller) async throws -> StoredObject {
        try await store.write { tx in
            var intent = try await tx.require(.paymentIntent, id, account: caller.account)
            try await PaymentEngine.cancel(&intent, reason: reason, in: tx, caller: caller)
            return intent
        }
    }

    /// A decline becomes the 402 the SDK raises as `CardError`, with the intent attached.
    static func result(_ outcome: PaymentEngine.Outcome) throws -> StoredObject {
        switch outcome {
        case .done(let intent):
            return intent
        case .declined(let intent, var error, let chargeID):
            error.extra["payment_intent"] = intent.publicDocument
            error.extra["charge"] = .string(chargeID)
            error.extra["payment_method"] = intent.publicDocument["last_payment_error"]?["payment_method"] ?? nil
            throw error
        }
    }
}
