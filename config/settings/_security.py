"""Security headers, cookies and logging. Included by base.py."""

from django.utils.csp import CSP

from ._env import env

# --- Security headers ---------------------------------------------------------------------------------------
# The rule for every template, ours and any app's we render (the admin, the API pages, sign-in and MFA pages):
# no inline <script>, no on*= handler attribute, no style="..." attribute and no <style> block. JavaScript lives
# in static files (static/js/); an inline script that cannot be avoided carries nonce="{{ csp_nonce }}"; styles
# are classes in static CSS. tests/test_security_headers.py reads every page for these, and the browser journeys
# fail on any "Content Security Policy" message in the console.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # Bootstrap draws its navbar toggler and form icons as data: SVG images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page uses are switched off for every page and anything it might embed. A phone's camera
# still works for uploads: <input type="file" capture> hands over to the camera app and needs no permission.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
    # Passkeys (WebAuthn) are used on our own sign-in pages only.
    "publickey-credentials-get": ["self"],
    "publickey-credentials-create": ["self"],
}
# Paths (below any SCRIPT_NAME) whose every response is private, whoever asks: an API call with a token has
# no session user.
FORGELINE_NO_STORE_PATH_PREFIXES = ("/api/",)
# Cookies: never readable from JavaScript (htmx, the API page and Swagger UI take the CSRF token from the page,
# not the cookie) and not sent on cross-site subrequests. Production adds Secure and the __Host- prefix.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Flash messages live in the server-side session: one cookie fewer, and their text never travels in a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# Swagger UI would send the schema's URL to validator.swagger.io for a badge: no third party sees it.
# seed_demo writes demo users with a published password: local and test settings allow it, production never.
FORGELINE_DEMO_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.log_format.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # JSON lines in production (DJANGO_LOG_FORMAT=json there), plain text elsewhere.
            "formatter": env("DJANGO_LOG_FORMAT", default="plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
