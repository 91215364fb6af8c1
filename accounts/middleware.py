"""Per-request user preferences, session limits, the second factor some roles need, and the wall between the
staff pages and the supplier portal."""

import time
import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .languages import offered_language

# URL namespaces a factory contact may reach; every other page answers 404, as if it did not exist.
PORTAL_USER_NAMESPACES = frozenset({"portal", "api", "accounts", "files"})
# URL names outside those namespaces a factory contact may reach (home redirects to the portal; the calendar
# feed and a reference letter's verification page answer by their token alone, whoever's browser opens them).
PORTAL_USER_URL_NAMES = frozenset({"home", "set_language", "calendar_feed", "letter_verify"})
# django-allauth's pages (sign-in, second factor, password reset, sessions) live under /accounts/ without a
# namespace; these prefixes of their URL names are part of the `accounts` area.
ACCOUNT_URL_NAME_PREFIXES = ("account_", "mfa_", "usersessions_")

# Session keys (seconds since the epoch): when the user signed in, and when the session was last seen.
SESSION_SIGNED_IN_AT = "_forgeline_signed_in_at"
SESSION_SEEN_AT = "_forgeline_seen_at"
# The last-seen time is written at most this often, so that a session is not saved on every request.
SEEN_AT_RESOLUTION_SECONDS = 60


def is_account_page(match) -> bool:
    """Return whether a resolved URL is one of the user's own account pages (ours or allauth's)."""
    return "accounts" in match.namespaces or (match.url_name or "").startswith(ACCOUNT_URL_NAME_PREFIXES)


def stamp_session_on_login(sender, request, user, **kwargs) -> None:
    """Note when a session signed in (connected to user_logged_in in accounts.apps)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SESSION_SIGNED_IN_AT] = now
        request.session[SESSION_SEEN_AT] = now


class SessionLifetimeMiddleware:
    """End a session idle for FORGELINE_SESSION_IDLE_SECONDS or signed in FORGELINE_SESSION_ABSOLUTE_SECONDS ago.

    The request then goes on as anonymous: a page sends to the sign-in form, the API answers 401/403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request) -> None:
        session, now = request.session, int(time.time())
        signed_in_at = session.get(SESSION_SIGNED_IN_AT)
        seen_at = session.get(SESSION_SEEN_AT)
        if signed_in_at is None or seen_at is None:
            # A session from before these limits: it starts counting now.
            session[SESSION_SIGNED_IN_AT] = signed_in_at or now
            session[SESSION_SEEN_AT] = now
            return
        idle = now - seen_at > settings.FORGELINE_SESSION_IDLE_SECONDS
        too_old = now - signed_in_at > settings.FORGELINE_SESSION_ABSOLUTE_SECONDS
        if idle or too_old:
            logout(request)  # flushes the session: nothing of it can be used again
            messages.info(request, _("Your session has ended. Please sign in again."))
            return
        if now - seen_at >= SEEN_AT_RESOLUTION_SECONDS:
            session[SESSION_SEEN_AT] = now  # also renews the cookie and the stored session's expiry


class HtmxSignInRedirectMiddleware:
    """Send an htmx request whose session has ended to the sign-in page as a whole page, and back afterwards.

    htmx follows a redirect inside its request and would swap the sign-in page into the table or form it was
    updating. Such a request answers 401 with `HX-Redirect: <sign-in>?next=<the page the browser shows>`
    (HX-Current-URL), which htmx obeys by loading that address in the window.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.headers.get("HX-Request") != "true" or response.status_code not in (301, 302, 303):
            return response
        user = getattr(request, "user", None)
        login_url = resolve_url(settings.LOGIN_URL)
        if (user is not None and user.is_authenticated) or not response.get("Location", "").startswith(
            login_url
        ):
            return response
        answer = HttpResponse(status=401)
        answer["HX-Redirect"] = f"{login_url}?{urlencode({'next': self.page_path(request)})}"
        return answer

    @staticmethod
    def page_path(request) -> str:
        """Return the path (and query) of the page the browser shows, if it is one of ours; else home."""
        current = request.headers.get("HX-Current-URL", "")
        if not current or not url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        parts = urlsplit(current)
        return parts.path + (f"?{parts.query}" if parts.query else "") or "/"


class MFARequiredMiddleware:
    """Send a manager or administrator without a second factor to set one up; nothing else opens until then.

    The enrolment pages, the re-authentication allauth asks for before it, signing out and switching the
    language stay open; an API call in such a session answers 403.
    """

    OPEN_URL_NAMES = frozenset({"account_logout", "logout", "account_reauthenticate", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None or not user.mfa_required:
            return None
        name = match.url_name or ""
        if name in self.OPEN_URL_NAMES or name.startswith("mfa_"):
            return None
        from .selectors import request_user_has_mfa

        if request_user_has_mfa(request):
            return None
        message = _("Your role requires two-factor authentication. Set up an authenticator app to continue.")
        if "api" in match.namespaces:
            return JsonResponse({"detail": message}, status=403)
        messages.warning(request, message)
        return redirect("mfa_activate_totp")


class UserPreferencesMiddleware:
    """Show dates in the user's timezone and pages in the user's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if user.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                language = offered_language(user.language)
                translation.activate(language)
                request.LANGUAGE_CODE = language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class AreaSeparationMiddleware:
    """Keep factory contacts inside /portal/ (and the API) and staff out of the portal.

    Deny by default: a new staff page is closed to factory contacts without anyone remembering to close it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return None
        namespaces = set(match.namespaces)
        if user.is_portal_user:
            allowed = (
                namespaces & PORTAL_USER_NAMESPACES
                or match.url_name in PORTAL_USER_URL_NAMES
                or is_account_page(match)
            )
            if not allowed:
                raise Http404
        elif "portal" in namespaces:
            raise PermissionDenied(_("The supplier portal is for factory contacts. Use the staff pages."))
        return None
