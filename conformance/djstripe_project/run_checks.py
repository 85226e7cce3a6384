"""dj-stripe 2.11 against a running Junction, as a Django project uses it: migrations, a webhook
endpoint created the way dj-stripe's admin creates it, objects made through dj-stripe's model
methods and through the SDK, webhooks delivered by Junction and processed by dj-stripe's view,
and `djstripe_sync_models` for every model whose objects Junction serves. Run by
test_djstripe.py with dj-stripe's own venv; every check is an assert with its reason.

    python run_checks.py <junction base> <platform secret key> <django port>
"""

import io
import os
import socket
import subprocess
import sys
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
base, key, port = sys.argv[1:4]
os.environ.update({"JUNCTION_API_BASE": base, "STRIPE_TEST_SECRET_KEY": key, "DJANGO_SETTINGS_MODULE": "settings"})
os.environ.setdefault("DJSTRIPE_DB", f"/tmp/djstripe-{uuid.uuid4().hex[:8]}.sqlite3")
sys.path.insert(0, HERE)

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)

import stripe  # noqa: E402
from djstripe import models  # noqa: E402
from djstripe.settings import djstripe_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

stripe.api_key = key
server = subprocess.Popen(
    [sys.executable, os.path.join(HERE, "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
    env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
try:
    # Events go out as soon as they happen, and a refused delivery waits for its retry on
    # Junction's clock (as on Stripe's): dj-stripe's server must be listening first.
    listening_by = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
            break
        except OSError:
            assert time.time() < listening_by and server.poll() is None, "dj-stripe's server did not start"
            time.sleep(0.1)
    # The webhook endpoint, created as dj-stripe's admin form creates one, at the API version
    # the form proposes (the form only refuses non-public URLs, which a test on 127.0.0.1 uses).
    endpoint_uuid = uuid.uuid4()
    url = f"http://127.0.0.1:{port}" + reverse("djstripe:djstripe_webhook_by_uuid", kwargs={"uuid": endpoint_uuid})
    data = models.WebhookEndpoint._api_create(
        url=url, api_version=djstripe_settings.STRIPE_API_VERSION, enabled_events=["*"], metadata={"djstripe_uuid": str(endpoint_uuid)},
        connect=False)
    endpoint = models.WebhookEndpoint.sync_from_stripe_data(data)
    assert str(endpoint.djstripe_uuid) == str(endpoint_uuid) and endpoint.secret.startswith("whsec_"), endpoint

    # Objects through dj-stripe's model methods, and through the SDK.
    stripe_customer = stripe.Customer.create(email="django@example.com", name="Django Reinhardt")
    customer = models.Customer.sync_from_stripe_data(stripe_customer)
    customer.add_payment_method("pm_card_visa")
    price = stripe.Price.create(currency="usd", unit_amount=1500, recurring={"interval": "month"},
                                product_data={"name": "Gypsy jazz"})
    subscription = customer.subscribe(price=price.id)
    assert subscription.status == "active", subscription.status
    intent = stripe.PaymentIntent.create(amount=3000, currency="usd", payment_method="pm_card_visa", confirm=True,
                                         customer=customer.id)
    stripe.Refund.create(payment_intent=intent.id, amount=500)
    subscription.cancel()
    assert models.Subscription.objects.get(id=subscription.id).status == "canceled"

    # Every event Junction delivered, processed by dj-stripe's webhook view without an error.
    event_ids = {event.id for event in stripe.Event.list(
        limit=100, created={"gte": data["created"]}).auto_paging_iter()}
    assert len(event_ids) >= 10, event_ids
    deadline = time.time() + 30
    while time.time() < deadline:
        triggers = [t for t in models.WebhookEventTrigger.objects.all() if not t.event_id or t.event.id in event_ids]
        delivered = {t.event.id for t in triggers if t.event_id}
        if event_ids <= delivered:
            break
        time.sleep(0.2)
    failed = [(t.event.type if t.event_id else None, t.exception, t.traceback[-800:]) for t in triggers
              if not (t.valid and t.processed)]
    assert not failed, f"webhooks dj-stripe could not process: {failed}"
    assert event_ids <= delivered, f"not delivered to dj-stripe: {sorted(event_ids - delivered)}"

    # djstripe_sync_models, for every model whose objects Junction serves.
    served = ["Customer", "PaymentMethod", "Product", "Price", "Coupon", "Invoice", "LineItem", "Subscription",
              "SubscriptionItem", "PaymentIntent", "Charge", "Refund", "BalanceTransaction", "ApplicationFee",
              "ApplicationFeeRefund", "Event", "WebhookEndpoint"]
    out = io.StringIO()
    call_command("djstripe_sync_models", *served, stdout=out, stderr=out)
    report = out.getvalue()
    errors = [line for line in report.splitlines() if "Error" in line or "failed" in line.lower()]
    assert not errors, "djstripe_sync_models:\n" + "\n".join(errors)
    print(report)
finally:
    server.terminate()
    server.wait(timeout=10)
