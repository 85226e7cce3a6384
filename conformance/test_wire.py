"""The wire protocol: idempotency, unknown parameters, keys, errors, garbage."""

import base64
import json
import urllib.request
import uuid

import pytest
import stripe


def test_idempotent_replay_returns_the_first_response(junction, platform):
    app, client = platform
    key = str(uuid.uuid4())
    first = client.accounts.create({"metadata": {"n": "1"}}, options={"idempotency_key": key})
    second = client.accounts.create({"metadata": {"n": "1"}}, options={"idempotency_key": key})
    assert first.id == second.id
    assert second.last_response.headers.get("Idempotent-Replayed") == "true"
    assert second.last_response.headers.get("Original-Request") == first.last_response.request_id
    assert len([a for a in client.accounts.list({"limit": 100}).auto_paging_iter() if a.id == first.id]) == 1


def test_idempotency_key_with_other_parameters_is_refused(platform):
    _, client = platform
    key = str(uuid.uuid4())
    client.accounts.create({"metadata": {"n": "1"}}, options={"idempotency_key": key})
    with pytest.raises(stripe.IdempotencyError) as raised:
        client.accounts.create({"metadata": {"n": "2"}}, options={"idempotency_key": key})
    assert raised.value.http_status == 400


def test_idempotency_keys_are_scoped_to_the_key_holder(junction, platform):
    _, client = platform
    other = junction.client(junction.application("platform")["secret_key"])
    key = str(uuid.uuid4())
    a = client.accounts.create({"metadata": {"n": "1"}}, options={"idempotency_key": key})
    b = other.accounts.create({"metadata": {"n": "2"}}, options={"idempotency_key": key})
    assert a.id != b.id


def test_errors_are_replayed_too(platform):
    _, client = platform
    key = str(uuid.uuid4())
    for _ in range(2):
        with pytest.raises(stripe.InvalidRequestError):
            client.accounts.create({"type": "none"}, options={"idempotency_key": key})


@pytest.mark.parametrize("params,name", [
    ({"colour": "red"}, "colour"),
    ({"business_profile": {"favourite_colour": "red"}}, "business_profile[favourite_colour]"),
    ({"controller": {"fees": {"payer": "account", "extra": "x"}}}, "controller[fees][extra]"),
])
def test_unknown_parameters_are_named(platform, params, name):
    _, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create(params)
    assert raised.value.code == "parameter_unknown"
    assert raised.value.param == name
    assert raised.value.user_message == f"Received unknown parameter: {name}"


def test_a1_unknown_key_is_401_with_the_key_masked(junction):
    client = junction.client("sk_test_unknownunknownunknown9876")
    with pytest.raises(stripe.AuthenticationError) as raised:
        client.accounts.list()
    assert raised.value.http_status == 401
    assert "sk_test_****9876" in raised.value.user_message
    assert "unknownunknown" not in raised.value.user_message


def test_a1_basic_auth_with_the_key_as_user_name(junction, platform):
    app, _ = platform
    auth = base64.b64encode(f"{app['secret_key']}:".encode()).decode()
    status, headers, body = junction.raw("GET", "/v1/accounts", headers={"Authorization": f"Basic {auth}"})
    assert status == 200 and body["object"] == "list"


def test_a1_missing_key_is_401(junction):
    status, headers, body = junction.raw("GET", "/v1/accounts")
    assert status == 401 and body["error"]["type"] == "invalid_request_error"


def test_headers_request_id_version_and_no_retry_on_4xx(junction, platform):
    app, _ = platform
    status, headers, body = junction.raw("POST", "/v1/accounts", body=b"type=none", headers={
        "Authorization": f"Bearer {app['secret_key']}", "Stripe-Version": "2026-10-28.endive",
        "Idempotency-Key": "abc-123", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert headers["Request-Id"].startswith("req_")
    assert headers["Stripe-Version"] == "2026-10-28.endive"
    assert headers["Idempotency-Key"] == "abc-123"
    assert headers["Stripe-Should-Retry"] == "false"
    assert body["error"]["param"] == "type"


@pytest.mark.parametrize("body", [
    b"a=%zz", b"business_profile[name=x", b"x]=1", b"email=a%00b", b"%ff%fe=1", b"k" * 100_000 + b"=1",
    b"metadata[" * 50 + b"=1", b"\x00\x01\x02", b"expand[99999999]=x",
])
def test_garbage_bodies_get_a_stripe_shaped_400_and_the_server_keeps_serving(junction, platform, body):
    app, client = platform
    status, headers, error = junction.raw("POST", "/v1/accounts", body=body, headers={
        "Authorization": f"Bearer {app['secret_key']}", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400
    assert error["error"]["type"] == "invalid_request_error" and error["error"]["message"]
    assert client.accounts.list({"limit": 1}).object == "list"


def test_oversized_body_is_413(junction, platform):
    app, client = platform
    status, _, error = junction.raw("POST", "/v1/accounts", body=b"a" * (2 << 20), headers={
        "Authorization": f"Bearer {app['secret_key']}", "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and "error" in error
    assert client.accounts.list({"limit": 1}).object == "list"


def test_percent_encoded_query_brackets(junction, platform):
    app, client = platform
    account = client.accounts.create()
    status, _, body = junction.raw("GET", f"/v1/accounts/{account.id}?expand%5B0%5D=controller",
                                   headers={"Authorization": f"Bearer {app['secret_key']}"})
    assert status == 200 and body["id"] == account.id


def test_expand_on_list_and_unknown_expansion(platform):
    _, client = platform
    account = client.accounts.create({"type": "express", "capabilities": {"transfers": {"requested": True}}})
    listed = client.accounts.list({"expand": ["data.controller"], "limit": 1})
    assert listed.data[0].id == account.id
    capability = client.accounts.capabilities.retrieve(account.id, "transfers", {"expand": ["account"]})
    assert capability.account.id == account.id and capability.account.object == "account"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.retrieve(account.id, {"expand": ["no_such_field"]})
    assert raised.value.param == "expand"


def test_unrecognized_url_is_404(junction, platform):
    app, _ = platform
    status, _, body = junction.raw("GET", "/v1/teleports", headers={"Authorization": f"Bearer {app['secret_key']}"})
    assert status == 404 and body["error"]["type"] == "invalid_request_error"


def test_openapi_document_lists_every_route_with_the_validators_parameters(junction):
    """/openapi.json (issue 11): made from the schemas the validator uses, so it cannot drift."""
    document = json.loads(urllib.request.urlopen(junction.base + "/openapi.json", timeout=10).read())
    assert document["openapi"].startswith("3.0")
    create = document["paths"]["/v1/customers"]["post"]
    form = create["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]
    assert '"maxProperties": 50' in json.dumps(form["properties"]["metadata"])  # metadata, maybe unsettable
    assert {"limit", "starting_after", "ending_before"} <= {
        p["name"] for p in document["paths"]["/v1/customers"]["get"]["parameters"]}
    limit = next(p for p in document["paths"]["/v1/customers"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "/v1/payment_intents/{id}/confirm" in document["paths"]
    assert all(path.startswith("/v1/") for path in document["paths"])


def test_a_request_the_http_parser_refuses_gets_stripes_error_object(junction):
    import socket

    host, port = junction.base.rsplit("/", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(b"GET /v1/customers?email=" + b"x" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    head, body = answer.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 400") and b"application/json" in head
    assert json.loads(body)["error"]["type"] == "invalid_request_error"
