"""The shape of each Stripe object at each API version, and a check that an answer has it.

A version's shape comes from the nearest source at or after it:
- the fields each stripe-python of the matrix (7.x and later declare them) declares on its
  classes, at the version that SDK pins (shape_dump.py, run in the SDK's own venv);
- Stripe's OpenAPI schema of 2023-08-16 (`../shared/reference/`, derived into
  openapi_2023_08_16_fields.json), its required and nullable properties.
From that source down to the version asked, Stripe's breaking changes in between (BREAKING,
from Stripe's changelog) are undone: a field a change added is not asked for, one it removed is.
Fields Stripe adds without a breaking change reach every version, so a newer source is right
about them.

Never asked for: fields Stripe leaves out unless expanded ("This field is not included by
default"), `deleted`, and fields the OpenAPI schema neither marks required nor lets be null:
Stripe leaves those out where they do not apply (an account's `individual` when it is a
company). A nullable field is always sent, null when there is nothing to say."""

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OPENAPI_VERSION = "2023-08-16"

# Includable fields whose SDK docstring does not say so (Stripe's API reference does).
INCLUDABLE = {("invoice", "confirmation_secret"), ("customer", "cash_balance"), ("charge", "refunds")}
# A payment method's fields that are not the hash of one payment method type.
PAYMENT_METHOD_COMMON = {"id", "object", "allow_redisplay", "billing_details", "created", "customer",
                         "customer_account", "livemode", "metadata", "radar_options", "type"}

# Stripe's breaking changes to the objects Junction serves, newest last, as (version, object,
# fields the change added, fields it removed). From https://docs.stripe.com/changelog.
BREAKING = [
    ("2020-08-27", "customer", set(), {"subscriptions", "sources", "tax_ids"}),
    ("2022-08-01", "customer", set(), {"default_currency"}),
    ("2022-11-15", "payment_intent", set(), {"charges"}),
    ("2022-11-15", "charge", set(), {"refunds"}),
    ("2024-04-10", "invoice", set(), {"rendering_options"}),
    ("2025-03-31", "payment_intent", set(), {"invoice"}),
    ("2025-03-31", "charge", set(), {"invoice"}),
    ("2025-03-31", "subscription", set(), {"current_period_start", "current_period_end", "discount"}),
    ("2025-03-31", "subscription_item", {"current_period_start", "current_period_end"}, set()),
    ("2025-03-31", "invoice", {"parent", "payments", "total_taxes"},
     {"subscription", "subscription_details", "paid", "paid_out_of_band", "charge", "payment_intent",
      "application_fee_amount", "discount", "quote", "transfer_data", "total_tax_amounts", "tax"}),
    ("2025-03-31", "line_item", {"pricing", "parent", "taxes"},
     {"price", "plan", "subscription_item", "invoice_item", "type", "proration", "proration_details", "tax_amounts",
      "tax_rates", "amount_excluding_tax", "unit_amount_excluding_tax"}),
    ("2025-03-31", "plan", set(), {"aggregate_usage"}),
]

def _date(version):
    return (version or "")[:10]


def _openapi_fields():
    """{object type: {field: always sent?}} of Stripe's OpenAPI schema of 2023-08-16, as derived into
    openapi_2023_08_16_fields.json (the repository must not need ../shared). Derived by: for each
    schema not named `deleted_*` whose `object` enum has one value, each property is "always sent"
    when the schema marks it required or nullable."""
    with open(os.path.join(HERE, "openapi_2023_08_16_fields.json")) as derived:
        fields = json.load(derived)
    fields.pop("_", None)
    return fields


_openapi = _openapi_fields()
# {object type: fields Stripe may leave out}: neither required nor nullable in the schema.
_optional = {object_type: {name for name, always in fields.items() if not always}
             for object_type, fields in _openapi.items()}


class Shapes:
    """The sources, read once: {version: {object type: {field: required?}}}."""

    def __init__(self, pythons):
        self.sources = {}
        for python in pythons:
            dump = subprocess.run([python, os.path.join(HERE, "shape_dump.py")], capture_output=True, text=True,
                                  timeout=300, check=True)
            found = json.loads(dump.stdout)
            if found["pin"] and found["fields"]:
                # Two SDKs pinning one version: the newer declares more of what Stripe sends.
                self.sources[found["pin"]] = found["fields"]
        self.sources.setdefault(OPENAPI_VERSION, _openapi)

    def shape(self, version):
        """{object type: set of fields always present} at `version`, or None without a source."""
        later = sorted((v for v in self.sources if _date(v) >= _date(version)), key=_date)
        if not later:
            return None
        source = later[0]
        shape = {}
        for object_type, fields in self.sources[source].items():
            shape[object_type] = {f for f, required in fields.items()
                                  if required and f not in _optional.get(object_type, ())
                                  and (object_type, f) not in INCLUDABLE}
        for changed, object_type, added, removed in reversed(BREAKING):
            if _date(version) < changed <= _date(source) and object_type in shape:
                shape[object_type] = (shape[object_type] - added) | removed
        return shape

    def missing(self, value, version, path="$"):
        """[(path, object type, field)] of the fields of `version` absent from `value`, at any depth."""
        shape = self.shape(version)
        return [] if shape is None else _missing(value, shape, path)


def _missing(value, shape, path):
    found = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += _missing(item, shape, f"{path}[{i}]")
    elif isinstance(value, dict):
        object_type = value.get("object")
        fields = shape.get(object_type) if isinstance(object_type, str) and not value.get("deleted") else None
        if fields:
            # A payment method carries the details of its own type only (`card` for a card).
            if object_type == "payment_method":
                fields = {f for f in fields if f in PAYMENT_METHOD_COMMON or f == value.get("type")}
            found += [(path, object_type, f) for f in sorted(fields) if f not in value]
        for key, child in value.items():
            found += _missing(child, shape, f"{path}.{key}")
    return found


def sdk_pythons():
    """The Pythons of the SDK matrix (each stripe-python in its venv) and this suite's own."""
    venvs = os.environ.get("JUNCTION_SDK_VENVS", os.path.join(ROOT, ".venv-sdk"))
    pythons = [sys.executable]
    if os.path.isdir(venvs):
        for name in sorted(os.listdir(venvs)):
            python = os.path.join(venvs, name, "bin", "python")
            if os.path.exists(python):
                pythons.append(python)
    return pythons
