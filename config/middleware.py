"""Response headers Django has no setting for.

Django itself sends Content-Security-Policy (SECURE_CSP), HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy and X-Frame-Options; this adds the two it does not.
"""

from django.conf import settings


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """Render {"camera": [], "usb": [], "publickey-credentials-get": ["self"]} as a header value.

    The result reads 'camera=(), usb=(), publickey-credentials-get=(self)'.
    """
    return ", ".join(f"{feature}=({' '.join(origins)})" for feature, origins in policy.items())


class SecurityHeadersMiddleware:
    """Send Permissions-Policy on every response and Cache-Control: no-store on every private one.

    Private means: the request came from a signed-in user (pages, PDFs, file downloads), or it asked the API
    (token callers have no session user here). A view that sets its own Cache-Control keeps it; static files are
    served by whitenoise before this runs, and keep their long cache lifetime.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)
        self.no_store_prefixes = tuple(settings.FORGELINE_NO_STORE_PATH_PREFIXES)

    def __call__(self, request):
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if "Cache-Control" not in response and self.is_private(request):
            # no-store, not no-cache: neither the browser's disk cache nor a shared proxy keeps a copy, so a
            # signed-out browser's back button or a shared computer shows nothing of the last user's pages.
            response["Cache-Control"] = "no-store"
        return response

    def is_private(self, request) -> bool:
        """Tell whether the response may hold something only this caller may see."""
        if request.path_info.startswith(self.no_store_prefixes):  # without a SCRIPT_NAME prefix
            return True
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
