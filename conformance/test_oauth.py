"""Connections: OAuth, the single-platform policy, extensions, platform controls, revocation
(P1–P15, A3, A4), through the official SDK and the control API."""

import threading

import pytest
import stripe
import stripe.oauth_error as oauth_error

from conftest import query


def test_p1_applications_have_client_ids_redirect_uris_and_their_own_account(junction):
    app = junction.application("platform")
    assert app["id"].startswith("ca_") and app["redirect_uris"] == ["http://127.0.0.1:9/callback"]
    assert app["account"].startswith("acct_") and app["secret_key"].startswith("sk_test_")
    own = junction.client(app["secret_key"]).accounts.retrieve_current()
    assert own.id == app["account"] and own.controller.type == "account"


@pytest.mark.parametrize("scope", ["read_only", None])
def test_p2_platforms_get_read_write_only(junction, scope):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, body = junction.authorize(app, user, account=account["id"], **({"scope": scope} if scope else {}))
    assert status == 400 and body["error"] == "invalid_scope"


def test_p3_extensions_default_to_read_only_and_may_ask_read_write(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    reader, writer = junction.application("extension"), junction.application("extension")
    assert junction.connect(reader, user, account["id"]).scope == "read_only"
    assert junction.connect(writer, user, account["id"], scope="read_write").scope == "read_write"


def test_a3_access_token_acts_as_the_connected_account(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    token = junction.connect(app, user, account["id"])
    assert token.stripe_user_id == account["id"] and token.token_type == "bearer" and token.livemode is False
    assert token.access_token.startswith("sk_test_") and token.refresh_token.startswith("rt_")
    assert token.stripe_publishable_key.startswith("pk_test_")
    assert junction.client(token.access_token).accounts.retrieve_current().id == account["id"]
    # A2: the platform's key with Stripe-Account works while connected.
    via_header = junction.client(app["secret_key"]).accounts.retrieve_current(options={"stripe_account": account["id"]})
    assert via_header.id == account["id"]


def test_a4_read_only_connections_read_but_never_write(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    ext = junction.application("extension")
    token = junction.connect(ext, user, account["id"])
    reader = junction.client(token.access_token)
    assert reader.accounts.retrieve_current().id == account["id"]
    with pytest.raises(stripe.PermissionError) as raised:
        reader.accounts.update(account["id"], {"metadata": {"x": "y"}})
    assert raised.value.http_status == 403
    assert raised.value.error.code == "more_permissions_required_for_application"
    with pytest.raises(stripe.PermissionError):
        junction.client(ext["secret_key"]).accounts.update(account["id"], {"metadata": {"x": "y"}},
                                                           options={"stripe_account": account["id"]})


def test_p4_a_second_platform_can_neither_pick_nor_connect_the_account(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    first, second = junction.application("platform"), junction.application("platform")
    junction.connect(first, user, account["id"])
    status, offered = junction.control("GET", f"/_junction/oauth/accounts?client_id={second['id']}&user={user['id']}")
    assert status == 200 and account["id"] not in [a["id"] for a in offered["data"]]
    status, body = junction.authorize(second, user, account=account["id"], scope="read_write")
    assert status == 400 and body["error"] == "account_unavailable"
    with pytest.raises(stripe.PermissionError):
        junction.client(second["secret_key"]).accounts.retrieve(account["id"])


def test_p4_race_of_many_platforms_for_one_account(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    platforms = [junction.application("platform") for _ in range(10)]
    results = []

    def attempt(app):
        results.append(junction.authorize(app, user, account=account["id"], scope="read_write")[0])

    threads = [threading.Thread(target=attempt, args=(app,)) for app in platforms]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == [200] + [400] * 9
    status, listed = junction.control("GET", f"/_junction/accounts/{account['id']}/authorized_applications")
    assert [e["kind"] for e in listed["data"]] == ["platform"]


def test_p5_extensions_are_outside_the_policy(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    junction.connect(junction.application("platform"), user, account["id"])
    for _ in range(3):
        junction.connect(junction.application("extension"), user, account["id"])
    status, listed = junction.control("GET", f"/_junction/accounts/{account['id']}/authorized_applications")
    assert sorted(e["kind"] for e in listed["data"]) == ["extension"] * 3 + ["platform"]


def test_p6_legacy_connections_keep_working_until_dropped_then_p4_applies(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    a, b, c = (junction.application("platform") for _ in range(3))
    for app in (a, b):
        status, entry = junction.control("POST", "/_junction/legacy_connections",
                                         {"account": account["id"], "client_id": app["id"], "scope": "read_write"})
        assert status == 200 and entry["legacy"] is True
        assert junction.client(app["secret_key"]).accounts.retrieve_current(
            options={"stripe_account": account["id"]}).id == account["id"]
    status, body = junction.authorize(c, user, account=account["id"], scope="read_write")
    assert status == 400 and body["error"] == "account_unavailable"
    status, _ = junction.control("POST", f"/_junction/accounts/{account['id']}/authorized_applications/{a['id']}/revoke")
    assert status == 200
    with pytest.raises(stripe.PermissionError):
        junction.client(a["secret_key"]).accounts.retrieve_current(options={"stripe_account": account["id"]})
    assert junction.authorize(c, user, account=account["id"], scope="read_write")[1]["error"] == "account_unavailable"
    junction.control("POST", f"/_junction/accounts/{account['id']}/authorized_applications/{b['id']}/revoke")
    assert junction.connect(c, user, account["id"]).stripe_user_id == account["id"]


def test_p7_reauthorizing_gives_a_new_code_and_keeps_the_connection(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    first = junction.connect(app, user, account["id"])
    second = junction.connect(app, user, account["id"])
    assert first.access_token != second.access_token
    for token in (first, second):
        assert junction.client(token.access_token).accounts.retrieve_current().id == account["id"]
    status, listed = junction.control("GET", f"/_junction/accounts/{account['id']}/authorized_applications")
    assert len(listed["data"]) == 1


def test_p8_create_a_new_account_sharing_the_business(junction):
    user = junction.user()
    existing, _ = junction.user_account(user, business_name="Bakery Ltd", country="FR")
    taken = junction.application("platform")
    junction.connect(taken, user, existing["id"])
    app = junction.application("platform")
    status, offered = junction.control("GET", f"/_junction/oauth/accounts?client_id={app['id']}&user={user['id']}")
    assert offered["data"] == []
    token = junction.connect(app, user, create_account=True, share_business_with=existing["id"])
    created = junction.client(app["secret_key"]).accounts.retrieve(token.stripe_user_id)
    assert created.id != existing["id"]
    assert created.controller.type == "application" and created.controller.is_controller is True  # C8
    assert created.type == "standard" and created.controller.stripe_dashboard.type == "full"
    assert created.business_profile.name == "Bakery Ltd" and created.country == "FR"
    status, mine = junction.control("GET", f"/_junction/users/{user['id']}/accounts")
    assert token.stripe_user_id in [a["id"] for a in mine["data"]]


def test_p9_one_user_many_accounts_each_with_its_platform(junction):
    user = junction.user()
    platforms = [junction.application("platform") for _ in range(3)]
    for app in platforms:
        junction.connect(app, user, create_account=True)
    status, mine = junction.control("GET", f"/_junction/users/{user['id']}/accounts")
    assert len(mine["data"]) == 3
    for app in platforms:
        listed = junction.client(app["secret_key"]).accounts.list()
        assert len(listed.data) == 1 and listed.data[0].id in [a["id"] for a in mine["data"]]


def test_p10_a_connected_platform_that_does_not_control_updates_metadata_only(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    junction.connect(app, user, account["id"])
    client = junction.client(app["secret_key"])
    seen = client.accounts.retrieve(account["id"])
    assert seen.controller.type == "account" and getattr(seen.controller, "is_controller", None) is None
    assert client.accounts.update(account["id"], {"metadata": {"crm": "7"}}).metadata["crm"] == "7"
    for change in ({"business_profile": {"name": "x"}}, {"settings": {"payouts": {"schedule": {"interval": "weekly"}}}}):
        with pytest.raises(stripe.PermissionError) as raised:
            client.accounts.update(account["id"], change)
        assert raised.value.error.param == next(iter(change))


def test_p10_an_extension_updates_nothing(junction):
    ext, user = junction.application("extension"), junction.user()
    account, _ = junction.user_account(user)
    token = junction.connect(ext, user, account["id"], scope="read_write")
    with pytest.raises(stripe.PermissionError):
        junction.client(token.access_token).accounts.update(account["id"], {"metadata": {"x": "y"}})


def test_p11_revocation_by_the_user(junction):
    user = junction.user()
    ext = junction.application("extension")
    controller = junction.application("platform")
    token = junction.connect(controller, user, create_account=True)
    account_id = token.stripe_user_id
    junction.connect(ext, user, account_id)
    status, listed = junction.control("GET", f"/_junction/accounts/{account_id}/authorized_applications")
    entries = {e["application"]["id"]: e for e in listed["data"]}
    assert entries[controller["id"]]["controls_account"] is True and entries[controller["id"]]["revocable"] is False
    assert entries[ext["id"]]["revocable"] is True
    status, body = junction.control("POST", f"/_junction/accounts/{account_id}/authorized_applications/{controller['id']}/revoke")
    assert status == 400 and body["error"]["code"] == "platform_controlled"
    status, ended = junction.control("POST", f"/_junction/accounts/{account_id}/authorized_applications/{ext['id']}/revoke")
    assert status == 200 and ended["ended_at"]
    # A platform that does not control the account can be revoked.
    user2 = junction.user()
    direct, _ = junction.user_account(user2)
    platform = junction.application("platform")
    junction.connect(platform, user2, direct["id"])
    status, _ = junction.control("POST", f"/_junction/accounts/{direct['id']}/authorized_applications/{platform['id']}/revoke")
    assert status == 200


def test_p12_deauthorize_full_dashboard_account_becomes_direct(junction):
    app, user = junction.application("platform"), junction.user()
    token = junction.connect(app, user, create_account=True)
    client = junction.stripe(app["secret_key"], client_id=app["id"])
    result = client.oauth.deauthorize({"stripe_user_id": token.stripe_user_id})
    assert result.stripe_user_id == token.stripe_user_id
    status, mine = junction.control("GET", f"/_junction/users/{user['id']}/accounts")
    account = next(a for a in mine["data"] if a["id"] == token.stripe_user_id)
    assert account["controller"]["type"] == "account"


def test_p12_express_and_none_accounts_cannot_be_deauthorized(junction, platform):
    app, client = platform
    for params in ({"type": "express"}, {"type": "custom", "country": "US",
                                          "capabilities": {"transfers": {"requested": True}}}):
        account = client.accounts.create(params)
        with pytest.raises(oauth_error.InvalidRequestError) as raised:
            junction.stripe(app["secret_key"], client_id=app["id"]).oauth.deauthorize({"stripe_user_id": account.id})
        assert raised.value.http_status == 400
        assert client.accounts.retrieve(account.id).controller.is_controller is True


def test_p13_after_the_connection_ends_keys_and_tokens_stop_working(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    token = junction.connect(app, user, account["id"])
    junction.stripe(app["secret_key"], client_id=app["id"]).oauth.deauthorize({"stripe_user_id": account["id"]})
    with pytest.raises(stripe.PermissionError):
        junction.client(app["secret_key"]).accounts.retrieve_current(options={"stripe_account": account["id"]})
    with pytest.raises(stripe.AuthenticationError):
        junction.client(token.access_token).accounts.retrieve_current()
    with pytest.raises(oauth_error.InvalidGrantError):
        junction.stripe(app["secret_key"]).oauth.token({"grant_type": "refresh_token", "refresh_token": token.refresh_token})
    with pytest.raises(oauth_error.InvalidClientError) as raised:
        junction.stripe(app["secret_key"], client_id=app["id"]).oauth.deauthorize({"stripe_user_id": account["id"]})
    assert raised.value.http_status == 401


def test_p14_after_revocation_another_platform_may_connect(junction):
    user = junction.user()
    account, _ = junction.user_account(user)
    first, second = junction.application("platform"), junction.application("platform")
    junction.connect(first, user, account["id"])
    junction.control("POST", f"/_junction/accounts/{account['id']}/authorized_applications/{first['id']}/revoke")
    assert junction.connect(second, user, account["id"]).stripe_user_id == account["id"]
    third = junction.application("platform")
    assert junction.authorize(third, user, account=account["id"], scope="read_write")[1]["error"] == "account_unavailable"


def test_p15_codes_are_single_use_and_reuse_revokes_the_tokens(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, body = junction.authorize(app, user, account=account["id"], scope="read_write", state="xyz 123")
    url = query(body["redirect_url"])
    assert url["state"] == "xyz 123" and url["scope"] == "read_write" and url["code"].startswith("ac_")
    assert body["redirect_url"].startswith("http://127.0.0.1:9/callback?")
    oauth = junction.stripe(app["secret_key"]).oauth
    token = oauth.token({"grant_type": "authorization_code", "code": url["code"]})
    with pytest.raises(oauth_error.InvalidGrantError):
        oauth.token({"grant_type": "authorization_code", "code": url["code"]})
    with pytest.raises(stripe.AuthenticationError):
        junction.client(token.access_token).accounts.retrieve_current()


def test_p15_codes_expire_after_five_minutes(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, body = junction.authorize(app, user, account=account["id"], scope="read_write")
    status, clock = junction.control("POST", "/_junction/clock/advance", {"seconds": 301})
    assert status == 200 and clock["now"] > 0
    with pytest.raises(oauth_error.InvalidGrantError):
        junction.stripe(app["secret_key"]).oauth.token(
            {"grant_type": "authorization_code", "code": query(body["redirect_url"])["code"]})


def test_p15_redirect_uri_must_be_registered_and_deny_redirects_with_access_denied(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, body = junction.authorize(app, user, account=account["id"], scope="read_write",
                                      redirect_uri="https://evil.example/cb")
    assert status == 400 and body["error"] == "invalid_redirect_uri"
    status, body = junction.authorize(app, user, account=account["id"], scope="read_write", decision="deny", state="s1")
    url = query(body["redirect_url"])
    assert url == {"error": "access_denied", "error_description": "The user denied your request", "state": "s1"}


def test_codes_belong_to_their_application(junction):
    app, other, user = junction.application("platform"), junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    status, body = junction.authorize(app, user, account=account["id"], scope="read_write")
    with pytest.raises(oauth_error.InvalidGrantError):
        junction.stripe(other["secret_key"]).oauth.token(
            {"grant_type": "authorization_code", "code": query(body["redirect_url"])["code"]})


def test_refresh_keeps_the_connection_and_may_narrow_the_scope(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    token = junction.connect(app, user, account["id"])
    oauth = junction.stripe(app["secret_key"]).oauth
    narrowed = oauth.token({"grant_type": "refresh_token", "refresh_token": token.refresh_token, "scope": "read_only"})
    assert narrowed.scope == "read_only" and narrowed.stripe_user_id == account["id"]
    reader = junction.client(narrowed.access_token)
    assert reader.accounts.retrieve_current().id == account["id"]
    with pytest.raises(stripe.PermissionError):
        reader.accounts.update(account["id"], {"metadata": {"a": "b"}})
    same = oauth.token({"grant_type": "refresh_token", "refresh_token": token.refresh_token})
    assert same.scope == "read_write"
    assert junction.client(token.access_token).accounts.retrieve_current().id == account["id"]


def test_oauth_errors_the_sdk_knows(junction):
    app = junction.application("platform")
    oauth = junction.stripe(app["secret_key"]).oauth
    with pytest.raises(oauth_error.UnsupportedGrantTypeError):
        oauth.token({"grant_type": "password", "code": "x"})
    with pytest.raises(oauth_error.InvalidGrantError):
        oauth.token({"grant_type": "authorization_code", "code": "ac_doesnotexist"})
    with pytest.raises(oauth_error.InvalidRequestError):
        oauth.token({"grant_type": "authorization_code"})
    with pytest.raises(oauth_error.InvalidClientError):
        junction.stripe("sk_test_notakey000000000000").oauth.token({"grant_type": "authorization_code", "code": "x"})


def test_express_oauth_is_retired(junction):
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(junction.base + "/express/oauth/authorize?client_id=ca_x", timeout=10)
    assert raised.value.code == 400 and b"retired" in raised.value.read()


def test_e1_authorization_and_deauthorization_are_events_about_the_application(junction):
    app, user = junction.application("platform"), junction.user()
    account, _ = junction.user_account(user)
    junction.connect(app, user, account["id"])
    client = junction.client(app["secret_key"])
    authorized = client.events.list({"type": "account.application.authorized"})
    assert len(authorized.data) == 1
    event = authorized.data[0]
    assert event.account == account["id"] and event.data.object.id == app["id"]
    assert event.data.object.object == "application" and event.data.object.name == app["name"]
    assert event.request.id.startswith("req_") and event.api_version == "2026-10-28.endive"
    junction.stripe(app["secret_key"], client_id=app["id"]).oauth.deauthorize({"stripe_user_id": account["id"]})
    deauthorized = client.events.list({"types": ["account.application.deauthorized"]}).data
    assert [e.account for e in deauthorized] == [account["id"]]
    # Visible to the platform after the connection is gone, and to the account itself.
    assert client.events.retrieve(deauthorized[0].id).type == "account.application.deauthorized"
    _, other_key = junction.user_account(junction.user())
    with pytest.raises(stripe.InvalidRequestError) as raised:
        junction.client(other_key).events.retrieve(deauthorized[0].id)
    assert raised.value.http_status == 404


def test_e1_revocation_by_the_user_emits_deauthorized(junction):
    ext, user = junction.application("extension"), junction.user()
    account, account_key = junction.user_account(user)
    junction.connect(ext, user, account["id"])
    junction.control("POST", f"/_junction/accounts/{account['id']}/authorized_applications/{ext['id']}/revoke")
    seen_by_account = junction.client(account_key).events.list().data
    assert [e.type for e in seen_by_account] == ["account.application.deauthorized", "account.application.authorized"]
    assert getattr(seen_by_account[0], "account", None) is None  # its own event, not a connected account's
    assert [e.type for e in junction.client(ext["secret_key"]).events.list().data][0] == "account.application.deauthorized"
