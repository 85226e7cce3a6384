"""The Accounts API: visibility (C8, C10), platform controls (P10, F4), dashboards (C11),
capabilities, deletion and rejection, through the official SDK."""

import pytest
import stripe


def test_c8_controlled_account_shows_is_controller_to_its_platform_only(junction, platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    mine = client.accounts.retrieve(account.id)
    assert mine.controller.type == "application"
    assert mine.controller.is_controller is True
    assert mine.controller.requirement_collection == "stripe"


def test_c8_other_platforms_cannot_see_the_account(junction, platform):
    _, client = platform
    account = client.accounts.create()
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError) as raised:
        other.accounts.retrieve(account.id)
    assert raised.value.http_status == 403
    assert raised.value.error.code == "account_invalid"
    assert account.id in str(raised.value.user_message)
    with pytest.raises(stripe.PermissionError):
        other.accounts.update(account.id, {"metadata": {"x": "y"}})
    assert account.id not in [a.id for a in other.accounts.list().auto_paging_iter()]


def test_unknown_account_is_the_same_403(junction, platform):
    _, client = platform
    with pytest.raises(stripe.PermissionError) as raised:
        client.accounts.retrieve("acct_doesnotexist0000000000")
    assert raised.value.error.code == "account_invalid"


def test_direct_account_reports_controller_type_account(junction):
    status, user = junction.control("POST", "/_junction/users", {"email": f"{id(junction)}-{__name__}@example.com",
                                                                  "password": "correct horse"})
    assert status in (200, 409)
    if status == 409:
        pytest.skip("user exists from an earlier run")
    status, opened = junction.control("POST", f"/_junction/users/{user['id']}/accounts",
                                      {"business_name": "Corner Shop", "country": "FR"})
    assert status == 200, opened
    own = junction.client(opened["secret_key"]).accounts.retrieve_current()
    assert own.id == opened["account"]["id"]
    assert own.controller.type == "account"
    assert getattr(own.controller, "is_controller", None) is None
    assert own.business_profile.name == "Corner Shop"
    assert own.country == "FR" and own.default_currency == "eur"
    assert own.charges_enabled and own.details_submitted


def test_c10_list_pages_newest_first_with_auto_paging(junction, platform):
    _, client = platform
    created = [client.accounts.create({"metadata": {"n": str(i)}}).id for i in range(7)]
    first = client.accounts.list({"limit": 3})
    assert first.object == "list" and first.url == "/v1/accounts"
    assert [a.id for a in first.data] == created[::-1][:3]
    assert first.has_more is True
    everything = [a.id for a in client.accounts.list({"limit": 3}).auto_paging_iter()]
    assert everything == created[::-1]
    before = client.accounts.list({"limit": 2, "ending_before": created[3]})
    assert [a.id for a in before.data] == [created[5], created[4]]


def test_c10_list_limit_is_checked(platform):
    _, client = platform
    for limit in (0, 101):
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.accounts.list({"limit": limit})
        assert raised.value.param == "limit"


def test_p10_controlling_platform_manages_settings_and_profile(platform):
    _, client = platform
    account = client.accounts.create({"type": "custom", "country": "US",
                                      "capabilities": {"card_payments": {"requested": True},
                                                       "transfers": {"requested": True}}})
    updated = client.accounts.update(account.id, {
        "business_profile": {"name": "Bakery", "mcc": "5462", "url": "https://bakery.example"},
        "settings": {"payouts": {"schedule": {"interval": "weekly", "weekly_anchor": "friday"}}},
        "metadata": {"internal_id": "42"},
        "email": "owner@bakery.example",
    })
    assert updated.business_profile.name == "Bakery"
    assert updated.settings.payouts.schedule.interval == "weekly"
    assert updated.settings.payouts.schedule.weekly_anchor == "friday"
    assert updated.metadata["internal_id"] == "42"
    assert updated.email == "owner@bakery.example"
    cleared = client.accounts.update(account.id, {"metadata": {"internal_id": ""}, "email": ""})
    assert "internal_id" not in cleared.metadata.to_dict()
    assert cleared.email is None


def test_requirements_and_capabilities_follow_what_the_platform_provides(platform):
    _, client = platform
    account = client.accounts.create({"type": "custom", "country": "US",
                                      "capabilities": {"card_payments": {"requested": True},
                                                       "transfers": {"requested": True}}})
    assert "business_type" in account.requirements.currently_due
    assert account.capabilities.card_payments == "inactive"
    assert account.charges_enabled is False
    account = client.accounts.update(account.id, {
        "business_type": "individual",
        "business_profile": {"mcc": "5734", "url": "https://shop.example"},
        "individual": {"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com",
                       "phone": "+15555550100", "dob": {"day": 1, "month": 2, "year": 1990},
                       "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"}},
        "tos_acceptance": {"date": 1700000000, "ip": "127.0.0.1"},
    })
    assert account.requirements.currently_due == ["external_account"]
    assert account.capabilities.card_payments == "active"
    assert account.charges_enabled is True
    capability = client.accounts.capabilities.retrieve(account.id, "card_payments")
    assert capability.object == "capability" and capability.status == "active" and capability.requested is True


def test_capabilities_list_retrieve_and_request(platform):
    _, client = platform
    account = client.accounts.create({"type": "express", "capabilities": {"transfers": {"requested": True}}})
    listed = client.accounts.capabilities.list(account.id)
    assert [c.id for c in listed.data] == ["transfers"]
    requested = client.accounts.capabilities.update(account.id, "card_payments", {"requested": True})
    assert requested.requested is True and requested.account == account.id
    assert client.accounts.retrieve(account.id).capabilities.card_payments in ("active", "inactive", "pending")
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.capabilities.retrieve(account.id, "teleportation_payments")
    assert raised.value.http_status == 404


def test_c11_login_links_only_for_express_accounts_by_their_controller(junction, platform):
    _, client = platform
    express = client.accounts.create({"type": "express"})
    link = client.accounts.login_links.create(express.id)
    assert link.object == "login_link" and link.url.startswith("http")
    standard = client.accounts.create()
    with pytest.raises(stripe.InvalidRequestError):
        client.accounts.login_links.create(standard.id)
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError):
        other.accounts.login_links.create(express.id)


def test_account_links_for_controlled_accounts(platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    link = client.account_links.create({"account": account.id, "type": "account_onboarding",
                                        "refresh_url": "https://p.example/refresh",
                                        "return_url": "https://p.example/return"})
    assert link.object == "account_link" and link.expires_at > link.created
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.account_links.create({"account": account.id})
    assert raised.value.param == "type"


def test_delete_by_the_controller_then_the_account_is_gone(junction, platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    other = junction.client(junction.application("platform")["secret_key"])
    with pytest.raises(stripe.PermissionError):
        other.accounts.delete(account.id)
    deleted = client.accounts.delete(account.id)
    assert deleted.deleted is True and deleted.id == account.id
    with pytest.raises(stripe.PermissionError):
        client.accounts.retrieve(account.id)
    assert account.id not in [a.id for a in client.accounts.list().auto_paging_iter()]


def test_p10_reject_by_the_controller(platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    rejected = client.accounts.reject(account.id, {"reason": "fraud_other"})
    assert rejected.requirements.disabled_reason == "rejected.fraud"
    assert rejected.charges_enabled is False and rejected.payouts_enabled is False
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.reject(account.id, {"reason": "because"})
    assert raised.value.param == "reason"
    restored = client.accounts.unreject(account.id)
    assert restored.requirements.disabled_reason != "rejected.fraud"


def test_only_platforms_create_accounts(junction):
    extension = junction.application("extension")
    with pytest.raises(stripe.InvalidRequestError):
        junction.client(extension["secret_key"]).accounts.create()


def test_retrieve_current_with_stripe_account_header(platform):
    _, client = platform
    account = client.accounts.create({"type": "express"})
    acting = client.accounts.retrieve_current(options={"stripe_account": account.id})
    assert acting.id == account.id
    with pytest.raises(stripe.PermissionError):
        client.accounts.retrieve_current(options={"stripe_account": "acct_notconnected000000000"})


class _Browser:
    """Just enough of a browser for a form: cookies, no redirects followed, the page's CSRF token."""

    def __init__(self):
        import http.cookiejar
        import urllib.request

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)
        self.csrf = ""

    def fetch(self, url, form=None):
        """GET, or POST `form` (a dict) with the CSRF token of the last page: (status, headers, text)."""
        import re
        import urllib.error
        import urllib.parse
        import urllib.request
        data = urllib.parse.urlencode({"csrf_token": self.csrf, **form}).encode() if form is not None else None
        try:
            with self.opener.open(urllib.request.Request(url, data=data), timeout=30) as r:
                status, headers, text = r.status, dict(r.headers), r.read().decode()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, dict(error.headers), error.read().decode()
        found = re.search(r'name="csrf_token" value="([^"]+)"', text)
        if found:
            self.csrf = found.group(1)
        return status, headers, text


def _fetch(url, data=None):
    return _Browser().fetch(url)


def test_account_link_onboarding_page_completes_onboarding_once(platform):
    _, client = platform
    account = client.accounts.create({"type": "express", "capabilities": {"card_payments": {"requested": True},
                                                                          "transfers": {"requested": True}}})
    assert account.details_submitted is False and account.charges_enabled is False
    link = client.account_links.create({"account": account.id, "type": "account_onboarding",
                                        "refresh_url": "https://platform.example/refresh",
                                        "return_url": "https://platform.example/return"})
    browser = _Browser()
    status, headers, page = browser.fetch(link.url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert account.id in page and "<form" in page and 'name="business_name"' in page
    # Without the page's CSRF token the form is refused.
    assert _Browser().fetch(link.url, {"business_name": "Forged"})[0] == 403
    status, headers, _ = browser.fetch(link.url, {"business_name": "Kiosk & Co", "email": "kiosk@example.com"})
    assert status == 303 and headers["Location"] == "https://platform.example/return"
    onboarded = client.accounts.retrieve(account.id)
    assert onboarded.details_submitted is True and onboarded.charges_enabled is True
    assert onboarded.payouts_enabled is True and onboarded.requirements.currently_due == []
    assert onboarded.business_profile.name == "Kiosk & Co" and onboarded.email == "kiosk@example.com"
    assert onboarded.capabilities.card_payments == "active"
    # Single use: the link now sends the person to the platform's refresh_url.
    status, headers, _ = browser.fetch(link.url)
    assert status == 302 and headers["Location"] == "https://platform.example/refresh"
    status, headers, _ = browser.fetch(link.url, {"business_name": "Again"})
    assert status == 302


def test_unknown_onboarding_link_is_404(junction):
    status, _, page = _fetch(junction.base + "/connect/onboarding/doesnotexist")
    assert status == 404 and "not" in page.lower()


def test_a2_stripe_account_header_needs_a_connection_on_every_endpoint(junction, platform):
    _, client = platform
    other = junction.client(junction.application("platform")["secret_key"])
    foreign = other.accounts.create({"type": "express"})
    for call in (lambda o: client.accounts.list(options=o), lambda o: client.accounts.create(options=o),
                 lambda o: client.accounts.retrieve_current(options=o)):
        with pytest.raises(stripe.PermissionError) as raised:
            call({"stripe_account": foreign.id})
        assert raised.value.error.code == "account_invalid"


def test_control_api_share_business_with_copies_the_business_of_the_same_user(junction):
    import uuid as _uuid
    status, user = junction.control("POST", "/_junction/users",
                                    {"email": f"owner-{_uuid.uuid4().hex[:8]}@example.com", "password": "long enough"})
    assert status == 200 and user["object"] == "user" and user["id"].startswith("usr_")
    status, first = junction.control("POST", f"/_junction/users/{user['id']}/accounts",
                                     {"business_name": "Bakery Ltd", "country": "GB"})
    assert status == 200
    status, second = junction.control("POST", f"/_junction/users/{user['id']}/accounts",
                                      {"share_business_with": first["account"]["id"]})
    assert status == 200, second
    assert second["account"]["business_profile"]["name"] == "Bakery Ltd"
    assert second["account"]["country"] == "GB" and second["account"]["id"] != first["account"]["id"]
    status, listed = junction.control("GET", f"/_junction/users/{user['id']}/accounts")
    assert [a["id"] for a in listed["data"]] == [second["account"]["id"], first["account"]["id"]]
    # Another user's account cannot be shared.
    status, stranger = junction.control("POST", "/_junction/users",
                                        {"email": f"other-{_uuid.uuid4().hex[:8]}@example.com", "password": "long enough"})
    status, refused = junction.control("POST", f"/_junction/users/{stranger['id']}/accounts",
                                       {"share_business_with": first["account"]["id"]})
    assert status == 400 and refused["error"]["param"] == "share_business_with"
    status, duplicate = junction.control("POST", "/_junction/users", {"email": user["email"], "password": "long enough"})
    assert status == 409


def test_c10_list_filters_on_created(platform):
    _, client = platform
    account = client.accounts.create()
    assert [a.id for a in client.accounts.list({"created": {"gte": account.created}}).data] == [account.id]
    assert client.accounts.list({"created": {"lt": account.created}}).data == []
    assert [a.id for a in client.accounts.list({"created": account.created}).data] == [account.id]
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.list({"created": {"after": 1}})
    assert raised.value.param == "created[after]"
