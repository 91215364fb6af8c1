"""Per-request user preferences and the wall between the staff pages and the supplier portal."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .languages import offered_language

# URL namespaces a factory contact may reach; every other page answers 404, as if it did not exist.
PORTAL_USER_NAMESPACES = frozenset({"portal", "api", "accounts", "files"})
# URL names outside those namespaces a factory contact may reach (home redirects to the portal).
PORTAL_USER_URL_NAMES = frozenset({"home", "set_language"})


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
            if not (namespaces & PORTAL_USER_NAMESPACES) and match.url_name not in PORTAL_USER_URL_NAMES:
                raise Http404
        elif "portal" in namespaces:
            raise PermissionDenied(_("The supplier portal is for factory contacts. Use the staff pages."))
        return None
