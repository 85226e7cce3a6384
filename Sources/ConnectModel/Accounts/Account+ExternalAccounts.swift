/// An account's external accounts (payout destinations) and the rules Stripe keeps for them:
/// one default per currency, the first in a currency is its default, and the default of the
/// account's default currency cannot be deleted.
extension Account {
    public var payoutDestinations: [ExternalAccount] { externalAccounts ?? [] }

    public func externalAccount(_ id: String) -> ExternalAccount? {
        payoutDestinations.first { $0.id == id }
    }

    /// Where a payout in `currency` goes by default.
    public func defaultDestination(for currency: String) -> ExternalAccount? {
        payoutDestinations.first { $0.currency == currency && $0.defaultForCurrency }
    }

    /// Adds `destination`. The first one in its currency, or one asked to be (`default_for_currency`
    /// or the account's `external_account` parameter, which `replacesDefault`), becomes the default;
    /// `replacesDefault` also removes the default it replaces, as Stripe does.
    public mutating func attach(_ destination: ExternalAccount, replacesDefault: Bool = false) {
        var destination = destination
        var list = payoutDestinations
        let previousDefault = list.firstIndex { $0.currency == destination.currency && $0.defaultForCurrency }
        if previousDefault == nil || destination.defaultForCurrency || replacesDefault {
            destination.defaultForCurrency = true
            for index in list.indices where list[index].currency == destination.currency {
                list[index].defaultForCurrency = false
            }
            if replacesDefault, let previousDefault { list.remove(at: previousDefault) }
        }
        list.append(destination)
        externalAccounts = list
    }

    /// Makes `id` the default for its currency.
    public mutating func makeDefault(_ id: String) {
        guard let chosen = externalAccount(id) else { return }
        externalAccounts = payoutDestinations.map { other in
            var other = other
            if other.currency == chosen.currency { other.defaultForCurrency = other.id == id }
            return other
        }
    }

    /// Removes `id`, unless it is the default of its currency while that currency still needs
    /// one (the account's default currency, or others remain in it).
    public mutating func detach(_ id: String) throws(JunctionError) {
        guard let found = externalAccount(id) else { throw .noSuch("external account", id) }
        let others = payoutDestinations.filter { $0.currency == found.currency && $0.id != id }
        if found.defaultForCurrency, found.currency == defaultCurrency || !others.isEmpty {
            throw .invalid(
                "You cannot delete the default external account for your default currency. Please make another external account the default using the `default_for_currency` param, and then delete this one."
            )
        }
        externalAccounts = payoutDestinations.filter { $0.id != id }
    }

    /// Changes an external account's details.
    public mutating func updateExternalAccount(_ id: String, _ change: (inout ExternalAccount) -> Void) {
        externalAccounts = payoutDestinations.map { destination in
            var destination = destination
            if destination.id == id { change(&destination) }
            return destination
        }
    }
}

extension ExternalAccount {
    /// The external account `value` describes: a `btok_…` or debit card `tok_…` token, or a
    /// hash (`object=bank_account` with `account_number`, `routing_number`, …, or `object=card`
    /// with a debit card `number`). Stripe's test numbers decide how payouts to it go.
    public static func make(
        from value: JSONValue, for account: Account, now: Int, param: String = "external_account"
    ) throws(JunctionError) -> ExternalAccount {
        if let token = value.stringValue { return try fromToken(token, for: account, now: now, param: param) }
        guard let fields = value.objectValue else {
            throw .invalid("Invalid \(param): pass a token or a hash.", param: param)
        }
        let currency = (fields["currency"]?.stringValue ?? account.defaultCurrency).lowercased()
        let country = (fields["country"]?.stringValue ?? account.country).uppercased()
        switch fields["object"]?.stringValue {
        case "bank_account":
            guard let number = fields["account_number"]?.stringValue, !number.isEmpty,
                number.allSatisfy(\.isNumber), (4...17).contains(number.count)
            else {
                throw .invalid(
                    "Invalid account number: must contain only digits, and be between 4 and 17 digits long.",
                    param: "\(param)[account_number]", code: "account_number_invalid")
            }
            let routing = fields["routing_number"]?.stringValue
            if country == "US", routing?.count != 9 || !(routing ?? "").allSatisfy(\.isNumber) {
                throw .invalid(
                    "Routing number must have 9 digits.", param: "\(param)[routing_number]",
                    code: "routing_number_invalid")
            }
            return ExternalAccount(
                id: Identifiers.make("ba"), kind: .bankAccount, country: country, currency: currency,
                last4: String(number.suffix(4)), fingerprint: TestPayoutDestinations.fingerprint(number),
                defaultForCurrency: fields["default_for_currency"] == true, created: now, metadata: [:],
                routingNumber: routing, bankName: routing == "110000000" ? "STRIPE TEST BANK" : nil,
                accountHolderName: fields["account_holder_name"]?.stringValue,
                accountHolderType: fields["account_holder_type"]?.stringValue,
                payoutFailure: TestPayoutDestinations.bankAccounts[number] ?? nil)
        case "card":
            let number = fields["number"]?.stringValue ?? ""
            guard
                let (_, token) = TestPayoutDestinations.debitCardTokens.first(where: { $0.value.number == number })
                    .map({ ($0.key, $0.value) })
            else {
                throw .invalid(
                    "This card doesn't appear to be a debit card: only debit cards can receive payouts.",
                    param: param, code: "invalid_card_type")
            }
            return card(
                brand: token.brand, number: number, failure: token.failure, currency: currency, country: country,
                now: now, expMonth: fields["exp_month"]?.integerValue, expYear: fields["exp_year"]?.integerValue)
        default:
            throw .invalid(
                "Invalid \(param)[object]: must be one of bank_account or card.", param: "\(param)[object]")
        }
    }

    static func fromToken(_ token: String, for account: Account, now: Int, param: String) throws(JunctionError)
        -> ExternalAccount
    {
        if let bank = TestPayoutDestinations.bankTokens[token] {
            return ExternalAccount(
                id: Identifiers.make("ba"), kind: .bankAccount, country: "US", currency: "usd",
                last4: String(bank.account.suffix(4)), fingerprint: TestPayoutDestinations.fingerprint(bank.account),
                defaultForCurrency: false, created: now, metadata: [:], routingNumber: "110000000",
                bankName: "STRIPE TEST BANK", accountHolderName: nil, accountHolderType: nil,
                payoutFailure: bank.failure)
        }
        if let card = TestPayoutDestinations.debitCardTokens[token] {
            return Self.card(
                brand: card.brand, number: card.number, failure: card.failure, currency: account.defaultCurrency,
                country: account.country, now: now, expMonth: nil, expYear: nil)
        }
        if TestPayoutDestinations.isCreditCardToken(token) {
            throw .invalid(
                "This card doesn't appear to be a debit card: only debit cards can receive payouts.",
                param: param, code: "invalid_card_type")
        }
        throw .noSuch("token", token, param: param)
    }

    static func card(
        brand: String, number: String, failure: PayoutFailure?, currency: String, country: String, now: Int,
        expMonth: Int?, expYear: Int?
    ) -> ExternalAccount {
        ExternalAccount(
            id: Identifiers.make("card"), kind: .card, country: country, currency: currency,
            last4: String(number.suffix(4)), fingerprint: TestPayoutDestinations.fingerprint(number),
            defaultForCurrency: false, created: now, metadata: [:], routingNumber: nil, bankName: nil,
            accountHolderName: nil, accountHolderType: nil, brand: brand, expMonth: expMonth ?? 12,
            expYear: expYear ?? 2034, name: nil, payoutFailure: failure)
    }
}
