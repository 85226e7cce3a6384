"""Records every successful answer a stripe-python client parses, with the version it was rendered
at, as one JSON line in the file named by JUNCTION_RECORD: the suite's own SDK, every SDK of the
matrix (sdk_flow.py) and dj-stripe's all write there, and conftest.py checks each answer against
the shape of its version at the end of the session (shapes.py). Works with every stripe-python
since 2.x: the method that turns a response into an object moved and changed its signature."""

import json
import os
import threading

_lock = threading.Lock()


def record(version, body, path=None):
    """Appends one answer (text or bytes) rendered at `version` to the record."""
    path = path or os.environ.get("JUNCTION_RECORD")
    if not path:
        return
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    with _lock, open(path, "a") as out:
        out.write(json.dumps({"version": version, "body": body}) + "\n")


def install():
    """Wraps the SDK's response interpreter so that every 2xx answer is recorded."""
    if not os.environ.get("JUNCTION_RECORD"):
        return
    import importlib

    owner = name = None
    for module_name, class_name in (("stripe._api_requestor", "_APIRequestor"), ("stripe._api_requestor", "APIRequestor"),
                                    ("stripe.api_requestor", "APIRequestor")):
        try:
            owner = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        name = "_interpret_response" if hasattr(owner, "_interpret_response") else "interpret_response"
        break
    original = getattr(owner, name)

    def recording(self, rbody, rcode, rheaders, *rest):
        if 200 <= rcode < 300:
            headers = {k.lower(): v for k, v in dict(rheaders or {}).items()}
            record(headers.get("stripe-version"), rbody)
        return original(self, rbody, rcode, rheaders, *rest)

    setattr(owner, name, recording)


def read(path):
    """[(version, body text)] recorded in `path`."""
    if not os.path.exists(path):
        return []
    with open(path) as recorded:
        return [(entry["version"], entry["body"]) for entry in map(json.loads, recorded)]
