"""What clients other than the newest SDK send and ask: stripe-python before 12 encodes booleans as
`True`/`False`; dj-stripe lists events by type wildcards and delivery success, and rejects
accounts for `fraud`."""

import urllib.parse


from test_payments import oauth_connected, on


def post(junction, key, path, params):
    """A POST encoded as stripe-python 2.x-10.x encode it: Python's str() of every value."""
    body = urllib.parse.urlencode([(k, str(v)) for k, v in params]).encode()
    return junction.raw("POST", path, body, {"Authorization": f"Bearer {key}",
                                             "Content-Type": "application/x-www-form-urlencoded"})


def test_python_booleans_are_read_as_stripe_reads_them(junction, platform):
    app, client = platform
    status, _, account = post(junction, app["secret_key"], "/v1/accounts", [
        ("type", "express"), ("capabilities[card_payments][requested]", True),
        ("capabilities[transfers][requested]", True)])
    assert status == 200, account
    assert set(account["capabilities"]) == {"card_payments", "transfers"}
    status, _, endpoint = post(junction, app["secret_key"], "/v1/webhook_endpoints", [
        ("url", "https://example.com/hook"), ("enabled_events[0]", "*"), ("connect", True)])
    assert status == 200 and endpoint["connect"] is True
    status, _, endpoint = post(junction, app["secret_key"], "/v1/webhook_endpoints", [
        ("url", "https://example.com/own"), ("enabled_events[0]", "*"), ("connect", False)])
    assert status == 200 and not endpoint.get("connect")
    status, _, error = post(junction, app["secret_key"], "/v1/webhook_endpoints", [
        ("url", "https://example.com/x"), ("enabled_events[0]", "*"), ("connect", "TRUE")])
    assert status == 400 and error["error"]["param"] == "connect"


def test_event_type_wildcards(junction):
    app, client, account = oauth_connected(junction)
    customer = client.customers.create({"email": "w@example.com"}, options=on(account))
    client.customers.update(customer.id, {"name": "W"}, options=on(account))
    client.products.create({"name": "Not a customer"}, options=on(account))
    listed = client.events.list({"type": "customer.*"}, options=on(account)).data
    assert [e.type for e in listed] == ["customer.updated", "customer.created"]
    assert [e.type for e in client.events.list({"types": ["product.*", "customer.created"]},
                                               options=on(account)).data] == ["product.created", "customer.created"]
    assert client.events.list({"type": "*.updated"}, options=on(account)).data[0].type == "customer.updated"
    # `_` in a pattern is itself, not SQL's any-character.
    assert client.events.list({"type": "customer_created*"}, options=on(account)).data == []


def test_events_by_delivery_success(junction):
    app, client, account = oauth_connected(junction)
    before = client.customers.create({"email": "quiet@example.com"}, options=on(account))
    # Nothing listens there: the delivery fails and stays pending for its retries.
    client.webhook_endpoints.create({"url": "http://127.0.0.1:9/hook", "enabled_events": ["customer.created"]},
                                    options=on(account))
    after = client.customers.create({"email": "loud@example.com"}, options=on(account))
    failing = client.events.list({"type": "customer.created", "delivery_success": False}, options=on(account)).data
    assert [e.data.object.id for e in failing] == [after.id]
    succeeded = client.events.list({"type": "customer.created", "delivery_success": True}, options=on(account)).data
    assert [e.data.object.id for e in succeeded] == [before.id]


def test_reject_for_fraud(platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    rejected = client.accounts.reject(account.id, {"reason": "fraud"})
    assert rejected.requirements.disabled_reason == "rejected.fraud"


def test_idempotency_compares_parameters_not_bytes(junction, platform):
    app, _ = platform
    headers = {"Authorization": f"Bearer {app['secret_key']}", "Content-Type": "application/x-www-form-urlencoded",
               "Idempotency-Key": "same-params-1"}
    first = junction.raw("POST", "/v1/customers", b"email=a%40example.com&metadata[n]=1&metadata[m]=2", headers)
    again = junction.raw("POST", "/v1/customers", b"metadata%5Bm%5D=2&metadata%5Bn%5D=1&email=a@example.com", headers)
    assert first[0] == again[0] == 200
    assert again[2]["id"] == first[2]["id"] and again[1].get("Idempotent-Replayed") == "true"
    other = junction.raw("POST", "/v1/customers", b"email=a%40example.com&metadata[n]=9", headers)
    assert other[0] == 400 and other[2]["error"]["type"] == "idempotency_error"


def test_c10_account_list_through_stripe_account_acts_as_that_account(junction, platform):
    app, client = platform
    connected = client.accounts.create({"type": "express"})
    assert [a.id for a in client.accounts.list().data] == [connected.id]
    # As the connected account, which is not a platform: "if you're not a platform, the list is empty".
    assert client.accounts.list(options={"stripe_account": connected.id}).data == []
