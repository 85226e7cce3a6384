"""Rules C1–C7 and C9 through the official SDK."""

import itertools

import pytest
import stripe

VALID = {
    # (dashboard, requirement_collection, losses, fees)
    ("full", "stripe", "stripe", "account"),
    ("express", "stripe", "application", "application"),
    ("none", "application", "application", "application"),
    ("none", "stripe", "stripe", "account"),
    ("none", "stripe", "stripe", "application"),
}
COMBINATIONS = list(itertools.product(["full", "express", "none"], ["stripe", "application"],
                                      ["stripe", "application"], ["account", "application"]))


def controller_params(dashboard, collection, losses, fees):
    params = {
        "controller": {
            "stripe_dashboard": {"type": dashboard},
            "requirement_collection": collection,
            "losses": {"payments": losses},
            "fees": {"payer": fees},
        }
    }
    if dashboard == "none":  # C7: needed for every no-dashboard account, valid or not
        params["country"] = "US"
        params["capabilities"] = {"card_payments": {"requested": True}, "transfers": {"requested": True}}
    return params


def test_c6_there_are_24_combinations_and_5_valid():
    assert len(COMBINATIONS) == 24
    assert len([c for c in COMBINATIONS if c in VALID]) == 5


@pytest.mark.parametrize("combination", COMBINATIONS, ids=["/".join(c) for c in COMBINATIONS])
def test_c4_c6_each_controller_combination_and_its_reported_type(platform, combination):
    _, client = platform
    dashboard, collection, losses, fees = combination
    if combination in VALID:
        account = client.accounts.create(controller_params(*combination))
        c = account.controller
        assert c.stripe_dashboard.type == dashboard
        assert c.requirement_collection == collection
        assert c.losses.payments == losses
        assert c.fees.payer == fees  # C4: never the _express/_custom values
        assert c.type == "application" and c.is_controller is True  # C8
        # C4: standard only for the Standard row
        assert account.type == ("standard" if combination == ("full", "stripe", "stripe", "account") else "none")
    else:
        with pytest.raises(stripe.InvalidRequestError) as raised:
            client.accounts.create(controller_params(*combination))
        assert raised.value.http_status == 400
        assert raised.value.param.startswith("controller[")
        assert raised.value.error.type == "invalid_request_error"


@pytest.mark.parametrize("account_type,expected", [
    ("standard", ("stripe", "account", "stripe", "full")),
    ("express", ("application", "application_express", "stripe", "express")),
    ("custom", ("application", "application_custom", "application", "none")),
])
def test_c3_c4_types_map_to_controller_values_and_report_their_type(platform, account_type, expected):
    _, client = platform
    params = {"type": account_type}
    if account_type == "custom":
        params.update(country="US", capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}})
    account = client.accounts.create(params)
    c = account.controller
    assert (c.losses.payments, c.fees.payer, c.requirement_collection, c.stripe_dashboard.type) == expected
    assert account.type == account_type  # C4


def test_c2_no_parameters_gives_a_standard_account(platform):
    _, client = platform
    account = client.accounts.create()
    assert account.type == "standard"
    c = account.controller
    assert (c.losses.payments, c.fees.payer, c.requirement_collection, c.stripe_dashboard.type) == \
        ("stripe", "account", "stripe", "full")


def test_c2_left_out_properties_take_defaults(platform):
    _, client = platform
    account = client.accounts.create({"controller": {"stripe_dashboard": {"type": "none"}}, "country": "GB",
                                      "capabilities": {"transfers": {"requested": True}}})
    c = account.controller
    assert (c.losses.payments, c.fees.payer, c.requirement_collection) == ("stripe", "account", "stripe")
    assert account.type == "none"
    assert account.default_currency == "gbp"


def test_c5_type_and_controller_together_are_refused(platform):
    _, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"type": "express", "controller": {"fees": {"payer": "application"}}})
    assert raised.value.param == "type"


def test_c5_type_none_is_refused(platform):
    _, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"type": "none"})
    assert raised.value.param == "type"


@pytest.mark.parametrize("param,value", [
    ("controller[fees][payer]", {"fees": {"payer": "application_express"}}),
    ("controller[fees][payer]", {"fees": {"payer": "platform"}}),
    ("controller[losses][payments]", {"losses": {"payments": "account"}}),
    ("controller[requirement_collection]", {"requirement_collection": "platform"}),
    ("controller[stripe_dashboard][type]", {"stripe_dashboard": {"type": "custom"}}),
])
def test_c1_other_values_are_refused_with_the_bracketed_param(platform, param, value):
    _, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"controller": value})
    assert raised.value.http_status == 400
    assert raised.value.param == param


def test_c7_no_dashboard_accounts_need_country_and_capabilities(platform):
    _, client = platform
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"type": "custom", "capabilities": {"transfers": {"requested": True}}})
    assert raised.value.param == "country"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"type": "custom", "country": "US"})
    assert raised.value.param == "capabilities"
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.create({"type": "custom", "country": "US", "capabilities": {"card_payments": {"requested": True}}})
    assert "transfers" in raised.value.param


@pytest.mark.parametrize("update", [
    {"controller": {"fees": {"payer": "application"}}},
    {"type": "custom"},
])
def test_c9_controller_and_type_are_immutable(platform, update):
    _, client = platform
    account = client.accounts.create()
    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.accounts.update(account.id, update)
    assert raised.value.code == "parameter_unknown"
    assert raised.value.param == next(iter(update))
    again = client.accounts.retrieve(account.id)
    assert again.type == "standard" and again.controller.fees.payer == "account"
