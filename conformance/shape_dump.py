"""Prints, as JSON, the fields the installed stripe-python declares on each Stripe object and the
API version it pins: {"sdk", "pin", "fields": {object type: {field: always present?}}}. Run with
each SDK's own Python (shapes.py does), since one process holds one stripe-python. A field is not
always present when its docstring says Stripe leaves it out unless expanded, or it is `deleted`.
SDKs before 7.x declare no fields and print none."""

import ast
import importlib
import inspect
import json
import textwrap

import stripe


def pinned():
    for module_name in ("stripe._api_version", "stripe.api_version"):
        try:
            return importlib.import_module(module_name)._ApiVersion.CURRENT
        except (ImportError, AttributeError):
            continue
    return None


def object_classes():
    for module_name in ("stripe._object_classes", "stripe.object_classes", "stripe.util"):
        try:
            return importlib.import_module(module_name).OBJECT_CLASSES
        except (ImportError, AttributeError):
            continue
    return {}


def declared(cls):
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    except (OSError, TypeError):
        return {}
    body = tree.body[0].body
    fields = {}
    for index, node in enumerate(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            if name.isupper() or name.startswith("_"):
                continue
            following = body[index + 1] if index + 1 < len(body) else None
            doc = ""
            if isinstance(following, ast.Expr) and isinstance(getattr(following, "value", None), ast.Constant):
                doc = str(following.value.value)
            fields[name] = "not included by default" not in doc and name != "deleted"
    return fields


fields = {}
for object_type, entry in object_classes().items():
    if isinstance(entry, tuple):
        entry = getattr(importlib.import_module(entry[0]), entry[1])
    found = declared(entry)
    if found:
        fields[object_type] = found
version = getattr(stripe, "VERSION", None)
if version is None:
    from stripe import version as module

    version = module.VERSION
print(json.dumps({"sdk": version, "pin": pinned(), "fields": fields}))
