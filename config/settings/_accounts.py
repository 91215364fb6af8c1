"""Settings of accounts and sessions: sign-in (django-allauth), second factor, sessions, the cache the rate
limits use, and the lock-out (django-axes). Included by base.py."""

from ._env import env

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
