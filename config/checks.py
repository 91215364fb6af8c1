"""Deployment checks: what a production server needs before it sends its first email.

Tagged `deploy`, so `manage.py check --deploy` reports them as errors; the compose file's one-shot `migrate`
service runs that command, so a stack without them does not start.
"""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register

# Email backends that deliver nothing to anyone: right for `make run` and the tests, wrong for a server.
NON_DELIVERING_EMAIL_BACKENDS = frozenset(
    {
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
    }
)


def is_local_host(host: str) -> bool:
    """Tell whether a host name only ever means the machine it is read on."""
    host = host.lower().rstrip(".")
    return (
        host in {"", "localhost", "0.0.0.0", "::1", "::"}
        or host.endswith(".localhost")
        or host.startswith("127.")
        # A bare name ("web", "forgeline") resolves nowhere outside the server's own network.
        or ("." not in host and ":" not in host)
    )


@register(Tags.security, deploy=True)
def base_url_check(app_configs, **kwargs):
    """Refuse a base URL for email links that no recipient can open, or that is not HTTPS."""
    url = settings.FORGELINE_BASE_URL
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname and not is_local_host(parts.hostname):
        return []
    return [
        Error(
            f"FORGELINE_BASE_URL is {url!r}: links in emails would point where recipients cannot follow them.",
            hint="Set FORGELINE_BASE_URL to the https:// address people open, e.g. https://srm.example.com.",
            id="forgeline.E001",
        )
    ]


@register(Tags.security, deploy=True)
def sender_address_check(app_configs, **kwargs):
    """Refuse the development sender address (forgeline@localhost) or one without a real domain."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    local_part, at, domain = address.rpartition("@")
    if local_part and at and not is_local_host(domain):
        return []
    return [
        Error(
            f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL!r}: mail servers reject or bury that sender.",
            hint="Set DJANGO_DEFAULT_FROM_EMAIL to an address of your own domain, e.g. srm@example.com.",
            id="forgeline.E002",
        )
    ]


@register(Tags.security, deploy=True)
def email_backend_check(app_configs, **kwargs):
    """Refuse an email backend that delivers nothing (console, memory, files)."""
    if settings.EMAIL_BACKEND not in NON_DELIVERING_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}: notifications, reminders and password resets would "
            "never reach anyone.",
            hint="Set EMAIL_URL to your SMTP server, e.g. smtp+tls://user:password@smtp.example.com:587.",
            id="forgeline.E003",
        )
    ]
