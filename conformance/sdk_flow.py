"""The whole Connect flow in the idiom every stripe-python since 2.x shares (module-level
resources, `stripe.api_key`, `stripe_account=`), run by each pinned SDK's own Python against a
running Junction. test_sdk_versions.py runs it once per SDK, with and without a pinned
`api_version`, and reads its exit status: every check is an assert with its reason.

    python sdk_flow.py <base> <platform secret key> <client id> <oauth code> <connected acct> <pin or ""> \
        <the platform's default version>
"""

import http.server
import json
import sys
import threading
import time

import stripe

import recording

recording.install()

base, key, client_id, code, oauth_account, pin, account_default = sys.argv[1:8]
stripe.api_key = key
stripe.api_base = base
stripe.connect_api_base = base
# stripe-python 2.x reads the OAuth base into its oauth module at import: point that one too.
oauth_module = getattr(stripe, "oauth", None)
if oauth_module is not None and hasattr(oauth_module, "connect_api_base"):
    oauth_module.connect_api_base = base
stripe.max_network_retries = 0
if pin:
    stripe.api_version = pin

try:
    from stripe import version as _version

    SDK = _version.VERSION
except ImportError:  # newer SDKs
    SDK = stripe.VERSION
CardError = getattr(stripe, "CardError", None) or stripe.error.CardError
SignatureError = getattr(stripe, "SignatureVerificationError", None) or stripe.error.SignatureVerificationError
PermissionError_ = getattr(stripe, "PermissionError", None) or stripe.error.PermissionError


def served_version(obj):
    """The version Junction rendered a response at (its Stripe-Version header)."""
    response = obj.last_response
    headers = response.headers if response is not None else {}
    return headers.get("Stripe-Version") or headers.get("stripe-version")


class Receiver:
    def __init__(self):
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers["Stripe-Signature"], body))
                recording.record(json.loads(body).get("api_version"), body)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def events(self, secret, type_, timeout=15):
        deadline = time.time() + timeout
        while time.time() < deadline:
            events = [stripe.Webhook.construct_event(body, signature, secret) for signature, body in self.received]
            found = [e for e in events if e.type == type_]
            if found:
                return found
            time.sleep(0.05)
        raise AssertionError(f"{SDK}: no {type_} webhook arrived")


receiver = Receiver()
# As dj-stripe does, the endpoint asks for the version this SDK speaks (if it pins one).
endpoint_version = pin or stripe.api_version
endpoint = stripe.WebhookEndpoint.create(url=receiver.url, enabled_events=["*"], connect=True,
                                         **({"api_version": endpoint_version} if endpoint_version else {}))
assert endpoint.secret.startswith("whsec_"), endpoint

# Accounts: with `type` (booleans as this SDK encodes them), and with controller properties.
express = stripe.Account.create(
    type="express", country="US", email="express@example.com",
    capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}})
assert express.type == "express" and express.controller.type == "application", express
# Card charges need card_payments active: the platform provides what the requirements ask.
stripe.Account.modify(
    express.id, business_type="individual", business_profile={"mcc": "5734", "url": "https://shop.example"},
    individual={"first_name": "Jane", "last_name": "Doe", "email": "jane@example.com", "phone": "+15555550100",
                "dob": {"day": 1, "month": 2, "year": 1990},
                "address": {"line1": "1 Main St", "city": "Springfield", "postal_code": "12345"}},
    tos_acceptance={"date": 1700000000, "ip": "127.0.0.1"})
version = served_version(express)
assert version == (pin or stripe.api_version or version), (version, pin, stripe.api_version)
custom = stripe.Account.create(
    country="US", controller={"stripe_dashboard": {"type": "none"}, "fees": {"payer": "application"},
                              "losses": {"payments": "application"}, "requirement_collection": "application"},
    capabilities={"card_payments": {"requested": True}, "transfers": {"requested": True}})
assert custom.type == "none" and custom.controller.is_controller is True, custom  # C4
link = stripe.Account.create_login_link(express.id)
assert link.url.startswith(base), link
assert [a.id for a in stripe.Account.list(limit=1).auto_paging_iter()][:2] == [custom.id, express.id]

# OAuth: the code the person's consent produced, exchanged with this SDK.
token = stripe.OAuth.token(grant_type="authorization_code", code=code)
assert token["stripe_user_id"] == oauth_account and token["scope"] == "read_write", token  # a dict in 2.x

# Payments on the connected account, with an application fee; a decline; refunds.
intent = stripe.PaymentIntent.create(
    amount=2000, currency="usd", payment_method="pm_card_visa", confirm=True, application_fee_amount=300,
    stripe_account=express.id)
assert intent.status == "succeeded" and intent.amount_received == 2000, intent
served = served_version(intent)
if served < "2022-11-15":
    # Before 2022-11-15 a payment intent lists its charges.
    assert [c.id for c in intent.charges.data] == [intent.charges.data[0].id] and intent.charges.data[0].paid
    charge_id = intent.charges.data[0].id
else:
    assert "charges" not in intent, f"{served}: charges is gone since 2022-11-15"
    charge_id = intent.latest_charge
charge = stripe.Charge.retrieve(charge_id, stripe_account=express.id)
assert charge.application_fee_amount == 300 and charge.payment_intent == intent.id, charge
try:
    stripe.PaymentIntent.create(amount=1500, currency="usd", payment_method="pm_card_chargeDeclined", confirm=True,
                                stripe_account=express.id)
    raise AssertionError("a declined card must raise CardError")
except CardError as error:
    assert error.code == "card_declined" and error.http_status == 402, error
refund = stripe.Refund.create(payment_intent=intent.id, amount=500, refund_application_fee=True,
                              stripe_account=express.id)
assert refund.status == "succeeded" and refund.amount == 500, refund
fees = list(stripe.ApplicationFee.list(limit=1).auto_paging_iter())
assert any(fee.charge == charge_id and fee.amount_refunded == 75 for fee in fees), fees

# Subscriptions and invoices, in the shape of the version served.
price = stripe.Price.create(currency="usd", unit_amount=900, recurring={"interval": "month"},
                            product_data={"name": "Plan"}, stripe_account=express.id)
customer = stripe.Customer.create(email="buyer@example.com", stripe_account=express.id)
sub = stripe.Subscription.create(customer=customer.id, items=[{"price": price.id}],
                                 default_payment_method="pm_card_visa", expand=["latest_invoice"],
                                 stripe_account=express.id)
invoice = sub.latest_invoice
assert sub.status == "active" and invoice.status == "paid", sub
if served_version(sub) < "2025-03-31":
    assert sub.current_period_end > sub.current_period_start and invoice.subscription == sub.id
    assert invoice.paid is True and invoice.lines.data[0].price.id == price.id
else:
    assert sub["items"].data[0].current_period_end and invoice.parent.subscription_details.subscription == sub.id
    assert "paid" not in invoice and invoice.lines.data[0].pricing.price_details.price == price.id

# Events, page by page, and the same events as webhooks verified by this SDK.
events = list(stripe.Event.list(limit=2, stripe_account=express.id).auto_paging_iter())
assert len(events) == len({event.id for event in events}) >= 15, [event.type for event in events]
assert intent.id in [e.data.object.id for e in events if e.type == "payment_intent.succeeded"]
assert "customer.subscription.created" in [event.type for event in events]
succeeded = receiver.events(endpoint.secret, "payment_intent.succeeded")[0]
assert succeeded.account == express.id and succeeded.data.object.id == intent.id, succeeded
assert succeeded.api_version == (endpoint_version or account_default), (succeeded.api_version, endpoint_version)
try:
    stripe.Webhook.construct_event(receiver.received[0][1], receiver.received[0][0], "whsec_wrong")
    raise AssertionError("a wrong secret must not verify")
except SignatureError:
    pass

# The person's account disconnects from the platform (P12).
stripe.OAuth.deauthorize(client_id=client_id, stripe_user_id=oauth_account)
try:
    stripe.Customer.list(stripe_account=oauth_account)
    raise AssertionError("after deauthorization the platform's key no longer reaches the account (P13)")
except PermissionError_:
    pass

print(json.dumps({"sdk": SDK, "served": served_version(sub), "pin": pin}))
