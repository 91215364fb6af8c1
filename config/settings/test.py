"""Test settings: fast hasher, in-memory email, tasks run in-process."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="forgeline-test-key-with-enough-length-for-checks-0123456789")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
# Django's live server (browser tests) serves MEDIA_URL from MEDIA_ROOT and needs it to be a path; nothing links
# to this one (uploads go out only through the permission-checked /files/ view).
MEDIA_URL = "/__media-never-linked__/"
# Each test starts with an empty cache (tests/conftest.py), so rate limits never leak from one test to the next.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Plain storage so tests need no collectstatic.
STORAGES = {
    "default": {"BACKEND": "core.uploads.ProtectedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# seed_demo may load the demo here (never under production settings).
FORGELINE_DEMO_ALLOWED = True
