"""API authentication by a hashed, named, expiring, revocable token (accounts.ApiToken)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from . import services


class ApiTokenAuthentication(TokenAuthentication):
    """Read `Authorization: Token <key>`; refuse an unknown, revoked or expired key with 401.

    DRF's header parsing and its `WWW-Authenticate: Token` challenge are kept; only the lookup differs: by the
    key's SHA-256 hash, never by the key.
    """

    keyword = "Token"

    def authenticate_credentials(self, key):
        token = services.api_token_authenticate(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return (token.user, token)
