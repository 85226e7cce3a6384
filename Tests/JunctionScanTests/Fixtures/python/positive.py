import stripe
from enum import Enum


def create_express(email):
    return stripe.Account.create(type="express", country="US", email=email)  # expect: creation express


def create_custom(client):
    return client.accounts.create(
        params={
            "type": "custom",  # expect: creation custom
            "country": "US",
            "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
        }
    )


def create_any(kind):
    return stripe.Account.create(type=kind, country="US")  # expect: creation standard,express,custom


ACCOUNT_PARAMS = {"type": "standard", "email": "a@example.com", "business_type": "company"}  # expect: creation standard


def payout(account):
    if account.type == "express":  # expect: condition express
        return stripe.Account.create_login_link(account.id)
    if account["type"] != "custom":  # expect: condition custom
        return None
    if account.type in ("express", "custom"):  # expect: condition express,custom
        application_fee = 100
        return application_fee


def handle(acct_id):
    acct = stripe.Account.retrieve(acct_id)
    match acct.type:
        case "custom":  # expect: condition custom
            collect_requirements(acct)
        case "express" | "standard":  # expect: condition standard,express
            pass
    if user.stripe_account_type == "standard":  # expect: condition standard
        return True


class AccountType(str, Enum):
    STANDARD = "standard"  # expect: data standard
    EXPRESS = "express"  # expect: data express


FIXTURE = {"id": "acct_123", "object": "account", "type": "express"}  # expect: data express


def create_from_params():
    params = {"country": "US"}
    params["type"] = "custom"  # expect: creation custom
    return stripe.Account.create(**params)


FAKE_ACCOUNT = {"id": "acct_1", "object": "account", "business_profile": {}, "type": "custom"}  # expect: data custom
for account_type in ("custom", "express"):  # expect: data express,custom
    print(account_type)
