"""Settings of the load test's gunicorn: the production settings on the bench database, over plain HTTP.

What differs from a real deployment, and why: gunicorn is reached directly (no TLS proxy), so no HTTPS redirect;
static files are served from the source folders (no `collectstatic` manifest to build first). Everything else is
production: DEBUG off, the session and MFA middleware, the JSON logs (sent to the bench's log file).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "bench-load-test-only")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("FORGELINE_BASE_URL", "http://127.0.0.1")
os.environ.setdefault("DJANGO_DEFAULT_FROM_EMAIL", "bench@example.com")
os.environ.setdefault("EMAIL_URL", "consolemail://")

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
STORAGES = {
    "default": {"BACKEND": "core.uploads.ProtectedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = "memory://localhost/"
