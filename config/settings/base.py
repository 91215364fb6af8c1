"""Settings shared by every environment; values come from the environment (django-environ)."""

from ._env import BASE_DIR, VAR_DIR, env

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
    "pricing",
    "planning",
    "orders",
    "audits",
    "communications",
    "payments",
    "partnership",
    "scorecards",
    "imports",
    "integrations",
    "portal",
    "demo",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every request gets an id (X-Request-ID), in its log lines and in the tasks it queues.
    "core.request_id.RequestIdMiddleware",
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
                # {{ waiting_total }}: what waits for the user, on the navbar (one query, only when rendered).
                "core.waiting.waiting_context",
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
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: a page's queries are short, and the planner's cost estimate for a correlated subquery
    # over every supplier (the portfolio's open flags) crosses the JIT threshold. At 2,000 suppliers compiling
    # took 2.1 s of the portfolio query's 2.45 s; without it the query runs in 0.3 s (bench/README.md).
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if "jit" not in _options.get("options", ""):
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

from ._accounts import *  # noqa: E402, F403

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

from ._celery import *  # noqa: E402, F403

# --- REST API -----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so that an anonymous call gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.EstimatedPageNumberPagination",  # count estimated past 10k
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
        "ImportKindEnum": "imports.models.ImportKind",
        "ContestRowKindEnum": "scorecards.contests.models.RowContest.Kind",
        "ContestStatusEnum": "scorecards.contests.models.RowContest.Status",
        "ContestOutcomeEnum": "scorecards.contests.models.RowContest.Outcome",
        "ChargeKindEnum": "orders.models.ChargeKind",
        "CapacityAnswerStatusEnum": "planning.models.CapacityAnswer.Status",
        "PlaybookActionKindEnum": "scorecards.playbooks.models.PlaybookAction.Kind",
        "PlaybookOutcomeEnum": "scorecards.playbooks.models.PlaybookAction.Outcome",
        "CertificationStandardEnum": "suppliers.models.CertificationStandard",
        "InspectedSeverityEnum": "audits.models.inspections.INSPECTED_SEVERITIES",
        "InspectionSeverityEnum": "audits.models.Severity",
        "SeveritySwitchRuleEnum": "audits.models.SwitchRule",
        "PartnershipSideEnum": "partnership.models.ideas.Side",
        "IdeaStatusEnum": "partnership.models.ImprovementIdea.Status",
        "TrainingStatusEnum": "partnership.models.Training.Status",
        "InviteeStatusEnum": "partnership.models.Invitee.Status",
    },
}

# --- Forgeline ----------------------------------------------------------------------------------------------
FORGELINE_CERT_EXPIRY_WARNING_DAYS = 30
# Response target for issues raised with a supplier (and by a supplier with us), in hours.
FORGELINE_RESPONSE_TARGET_HOURS = env.int("FORGELINE_RESPONSE_TARGET_HOURS", default=24)
# Weeks after a red-flag playbook action when the flag records whether its KPI recovered.
FORGELINE_PLAYBOOK_REVIEW_WEEKS = env.int("FORGELINE_PLAYBOOK_REVIEW_WEEKS", default=8)
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
# Spreadsheet imports (imports/): the largest file and the most rows accepted, and from how many rows the uploader
# is emailed when the preview is ready and when the import is done.
FORGELINE_IMPORT_MAX_BYTES = env.int("FORGELINE_IMPORT_MAX_BYTES", default=FILE_UPLOAD_MAX_BYTES)
FORGELINE_IMPORT_MAX_ROWS = env.int("FORGELINE_IMPORT_MAX_ROWS", default=50_000)
FORGELINE_IMPORT_NOTIFY_MIN_ROWS = env.int("FORGELINE_IMPORT_NOTIFY_MIN_ROWS", default=1_000)
# Outgoing webhooks and chat channels may not point to this server, private networks, link-local or cloud
# metadata addresses (integrations/netguard.py) unless this is on: set it only where the receivers sit on your
# own network and nothing there trusts a request for coming from inside.
FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env.bool(
    "FORGELINE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", default=False
)

from ._security import *  # noqa: E402, F403

# Swagger UI would send the schema's URL to validator.swagger.io for a badge: no third party sees it.
SPECTACULAR_SETTINGS["SWAGGER_UI_SETTINGS"] = {"deepLinking": True, "validatorUrl": None}
