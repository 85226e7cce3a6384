"""The fields the official SDK (the one this suite runs, 16.1.0) declares on each Stripe object,
and a check that a response has them all. Not required: fields Stripe leaves out unless
expanded ("This field is not included by default"), `deleted`, and fields Stripe's OpenAPI
schema (2023-08-16, openapi_optional_fields.json) does not mark required, which Stripe sends
only in some cases. Fields newer than that schema are required: Stripe sends them, null or not."""

import ast
import importlib
import inspect
import json
import os
import textwrap

from stripe._object_classes import OBJECT_CLASSES

_cache = {}
# Includable fields whose SDK docstring does not say so (Stripe's API reference does).
INCLUDABLE = {("invoice", "confirmation_secret")}
# A payment method's fields that are not the hash of one payment method type.
PAYMENT_METHOD_COMMON = {"id", "object", "allow_redisplay", "billing_details", "created", "customer",
                         "customer_account", "livemode", "metadata", "radar_options", "type"}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "openapi_optional_fields.json")) as f:
    _optional = json.load(f)


def declared(object_type):
    """{field: required?} of the SDK class for `object_type`, or None for an unknown type."""
    if object_type in _cache:
        return _cache[object_type]
    entry = OBJECT_CLASSES.get(object_type)
    if entry is None:
        _cache[object_type] = None
        return None
    cls = getattr(importlib.import_module(entry[0]), entry[1]) if isinstance(entry, tuple) else entry
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body
    fields = {}
    for index, node in enumerate(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            if name.isupper() or name.startswith("_"):
                continue
            doc = ""
            following = body[index + 1] if index + 1 < len(body) else None
            if isinstance(following, ast.Expr) and isinstance(getattr(following, "value", None), ast.Constant):
                doc = str(following.value.value)
            fields[name] = (
                "not included by default" not in doc and name != "deleted"
                and name not in _optional.get(object_type, []))
    _cache[object_type] = fields
    return fields


def missing(value, path="$"):
    """[(path, object type, field)] of declared fields absent from `value`, at any depth."""
    found = []
    if isinstance(value, list):
        for i, item in enumerate(value):
            found += missing(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        object_type = value.get("object")
        fields = declared(object_type) if isinstance(object_type, str) and not value.get("deleted") else None
        if fields:
            # A payment method carries the details of its own type only (`card` for a card).
            if object_type == "payment_method":
                fields = {f: r for f, r in fields.items() if f in PAYMENT_METHOD_COMMON or f == value.get("type")}
            found += [(path, object_type, f) for f, required in fields.items()
                      if required and f not in value and (object_type, f) not in INCLUDABLE]
        for key, child in value.items():
            found += missing(child, f"{path}.{key}")
    return found
