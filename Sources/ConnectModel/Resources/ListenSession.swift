extension Resource {
    /// A `junction listen` session: an endpoint without a URL whose listener pulls its
    /// deliveries. It takes the account's events and those of its connected accounts.
    public static let listenSession = Resource(
        kind: .listenSession, idPrefix: "clis", noun: "listen session", path: "/v1/stripecli/sessions",
        statusField: .field("status"))
}
