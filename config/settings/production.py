"""Production settings: PostgreSQL, Redis, SMTP; everything secret comes from the environment."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)  # noqa: F405

# --- Security headers ---------------------------------------------------------------------------------------
# Behind a proxy that terminates TLS and sets X-Forwarded-Proto (it must overwrite, never pass on, the client's).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The container health probe asks gunicorn directly, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every cookie is Secure, HttpOnly and SameSite=Lax (base.py), and named __Host-...: the browser then accepts it
# only from this host over HTTPS with Path=/, so a sibling subdomain cannot plant a session or CSRF cookie.
# Renaming them signs everybody out once, on the first deploy with these names.
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_NAME = "__Host-language"
# django-allauth's "trust this browser" cookie (MFA) takes Secure, HttpOnly and SameSite from the session cookie.
MFA_TRUST_COOKIE_NAME = "__Host-mfa_trusted"
# seed_demo refuses to run here (it would create logins with the README's password).
FORGELINE_DEMO_ALLOWED = False

STORAGES = {
    "default": {"BACKEND": "core.uploads.ProtectedFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
