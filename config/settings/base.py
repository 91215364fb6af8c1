"""Settings shared by every environment; values come from the environment (django-environ)."""

from pathlib import Path

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

# --- Applications -------------------------------------------------------------------------------------------
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework",
    "simple_history",
]
LOCAL_APPS = [
    # The project itself: its system checks (config/checks.py), registered from config/apps.py.
    "config.apps.ProjectConfig",
    "accounts",
    "core",
    "suppliers",
    "orders",
    "audits",
    "communications",
    "payments",
    "scorecards",
    "portal",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header and its per-request nonce (see "Security headers" below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Permissions-Policy everywhere; Cache-Control: no-store on signed-in pages and the API (config/middleware.py)
    "config.middleware.SecurityHeadersMiddleware",
    # An htmx request whose session ended loads the sign-in page as a whole page (HX-Redirect), not in a table.
    "accounts.middleware.HtmxSignInRedirectMiddleware",
    # Deny by default: every page needs a login unless its view is marked with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Managers and administrators use nothing but the enrolment pages until they have a second factor.
    "accounts.middleware.MFARequiredMiddleware",
    "accounts.middleware.UserPreferencesMiddleware",
    # Factory contacts live in /portal/, staff everywhere else; each side gets 404 on the other's pages.
    "accounts.middleware.AreaSeparationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a session idle for 8 hours or older than 7 days (views and the sign-in checks run after this).
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                # {{ csp_nonce }}: the only way an inline <script> runs (see "Security headers" below).
                "django.template.context_processors.csp",
                "communications.context_processors.notifications",
            ],
        },
    },
]
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Database -----------------------------------------------------------------------------------------------
# The embedded default is a SQLite file; set DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'forgeline.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A persistent connection is checked before a request reuses it, so the first request after a database restart
# opens a fresh one instead of answering 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and the Celery worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-allauth: sign-in by email, password reset, the second factor (TOTP + recovery codes) and the list of
# one's sessions. Accounts are made by administrators (and portal invitations), never by signing up.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"  # an administrator typed the address in
ACCOUNT_PREVENT_ENUMERATION = True
# An unknown address gets an email too ("no account uses this address"): the reset answers alike either way.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Forgeline: "
# The user is emailed when their password or second factor changes (in their own language).
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False  # the session cookie ends with the browser (and after the limits below)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_FORMS = {
    "change_password": "accounts.forms.PasswordChangeForm",
}
# Per IP and per account (the email, lower-cased). django-axes below locks a (username, IP) pair after 5
# failures; the per-account limit here slows a spread-out guess at one account without locking it for long.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "20/m/ip,10/15m/key",
    "reset_password": "20/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Forgeline"
MFA_ALLOW_UNVERIFIED_EMAIL = True  # see ACCOUNT_EMAIL_VERIFICATION
# Roles that cannot use the app without a second factor (accounts.middleware.MFARequiredMiddleware).
FORGELINE_MFA_REQUIRED_ROLES = ["manager", "admin"]
USERSESSIONS_TRACK_ACTIVITY = False  # a row per sign-in is enough to list and end sessions
# X-Forwarded-For is believed only for this many proxies of ours; axes and the rate limits key on that address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("FORGELINE_TRUSTED_PROXY_COUNT", default=0)

# Sessions: 8 hours without a request, or 7 days after signing in, whichever comes first.
SESSION_COOKIE_AGE = 8 * 60 * 60
FORGELINE_SESSION_IDLE_SECONDS = SESSION_COOKIE_AGE
FORGELINE_SESSION_ABSOLUTE_SECONDS = 7 * 24 * 60 * 60

# Rate limits, used TOTP codes and the like live in the cache: Redis when there is one (shared by every web
# process), else the process's memory (`make run` has one web process).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "fl",
        }
        if env("REDIS_URL", default="")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# django-axes: lock a (username, IP) pair, never a whole IP, so one bad actor behind an office's NAT
# cannot lock out everybody else in that office. The username is the email stripped and lower-cased, so
# that QC@... and qc@... count as one.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "accounts.throttling.axes_username"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Internationalisation -----------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Only languages with a catalogue in locale/ (the portal and the sign-in pages are translated in full); a user
# whose language is no longer offered gets English (accounts.languages.offered_language). Each is named in its
# own language, so that someone who opens the profile page in a language they cannot read still finds theirs.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("vi", "Tiếng Việt"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the page's language; English keeps ISO dates (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads are never served by URL: MEDIA_ROOT sits outside every static path and files go out only
# through views that check permission (see suppliers/uploads.py).
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "core.uploads.ProtectedFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_BYTES = env.int("FILE_UPLOAD_MAX_BYTES", default=15 * 1024 * 1024)
# Uploads go to a temporary file that stops growing at the cap (core.uploads.CappedUploadHandler).
FILE_UPLOAD_HANDLERS = ["core.uploads.CappedUploadHandler"]
DATA_UPLOAD_MAX_MEMORY_SIZE = FILE_UPLOAD_MAX_BYTES + 1024 * 1024

# --- Email --------------------------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
# Seconds an SMTP call may block: a hanging mail server delays email (the outbox retries), never a worker forever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Forgeline <forgeline@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -------------------------------------------------------------------------------------------------
# With REDIS_URL the broker is Redis; without it, kombu's filesystem transport, which needs no server.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 7200}  # above the 30-minute task time limit
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Long tasks (scans, PDFs) take one message at a time. With Redis, a task that opted into acks_late (only the
# idempotent ones) and whose worker died is handed out again after the visibility timeout, above the longest task.
# The filesystem broker of `make run` cannot do that: a killed scan waits for the next nightly run.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_TASK_TIME_LIMIT = 1800
CELERY_TASK_SOFT_TIME_LIMIT = 1700
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- REST API -----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an anonymous call gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # Every model choice of a filter form comes from visible_to(request.user) (core/api.py).
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.VisibleChoicesFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    # The browsable HTML API (with its forms) for staff only; anyone else gets JSON.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "core.api.StaffBrowsableContentNegotiation",
    "EXCEPTION_HANDLER": "config.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Forgeline API",
    "DESCRIPTION": "Suppliers, contacts and certifications; a supplier token sees only its own company.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set that several fields share, so the schema (and check --deploy) stays clean.
    "ENUM_NAME_OVERRIDES": {
        "AqlEnum": "audits.models.AQL_CHOICES",
        "InspectionResultEnum": "audits.models.QCInspection.Result",
        "AuditResultEnum": "audits.models.Audit.Result",
        "SideEnum": "communications.models.Side",
    },
}

# --- Forgeline ----------------------------------------------------------------------------------------------
FORGELINE_CERT_EXPIRY_WARNING_DAYS = 30
# Response target for issues raised with a supplier (and by a supplier with us), in hours.
FORGELINE_RESPONSE_TARGET_HOURS = env.int("FORGELINE_RESPONSE_TARGET_HOURS", default=24)
# The business calendar KPI windows are cut on, for every page, email, PDF and scan (core/clock.py): the
# timezone where the buyer's team works.
FORGELINE_BUSINESS_TIMEZONE = env("FORGELINE_BUSINESS_TIMEZONE", default=TIME_ZONE)
# Links in emails point here.
FORGELINE_BASE_URL = env("FORGELINE_BASE_URL", default="http://127.0.0.1:8000")
# The buyer's company as purchase orders (the PO PDF) name it, and the prefix of generated PO numbers
# (PO-2026-00042: the prefix, the order's year, a number counted per year).
FORGELINE_COMPANY_NAME = env("FORGELINE_COMPANY_NAME", default="Forgeline Trading Ltd.")
FORGELINE_COMPANY_ADDRESS = env("FORGELINE_COMPANY_ADDRESS", default="12 Harbour Road, Hong Kong")
FORGELINE_PO_PREFIX = env("FORGELINE_PO_PREFIX", default="PO")

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
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}
# seed_demo writes demo users with a published password: local and test settings allow it, production never.
FORGELINE_DEMO_ALLOWED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
