"""A minimal Django project with dj-stripe, pointed at a running Junction (test_djstripe.py).
Everything comes from the environment the test sets."""

import os
import sys

# Every answer dj-stripe's stripe-python parses is recorded for the suite's shape check.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import recording  # noqa: E402

recording.install()

BASE = os.environ["JUNCTION_API_BASE"]
SECRET_KEY = "junction-conformance-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "djstripe",
]
MIDDLEWARE = []
ROOT_URLCONF = "urls"
# The webhook view (runserver) and the checks write the same SQLite file: wait for each other.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["DJSTRIPE_DB"],
        "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STRIPE_API_HOST = BASE
STRIPE_LIVE_MODE = False
STRIPE_TEST_SECRET_KEY = os.environ["STRIPE_TEST_SECRET_KEY"]
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_WEBHOOK_VALIDATION = "verify_signature"
LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"djstripe": {"handlers": ["console"], "level": "WARNING"}},
}
