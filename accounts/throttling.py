"""What django-axes counts sign-in failures by: the email as the user model stores it, and the client's address."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied


def normalise_login(value) -> str:
    """Return a login as it is stored (stripped, lower-cased), so that every letter case counts as one."""
    return str(value or "").strip().lower()


def axes_username(request, credentials) -> str:
    """Return the normalised email of a sign-in attempt (axes' AXES_USERNAME_CALLABLE).

    allauth authenticates with `email=`, Django's admin form and axes' own bookkeeping with `username=`; a
    request without credentials (axes' middleware) carries the form field `login`.
    """
    if credentials:
        value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("username")
    return normalise_login(value)


def client_ip(request) -> str | None:
    """Return the client's address as allauth's rate limits see it (behind ALLAUTH_TRUSTED_PROXY_COUNT proxies)."""
    try:
        return get_adapter().get_client_ip(request)
    except PermissionDenied:  # no address at all (a test request without REMOTE_ADDR)
        return None
