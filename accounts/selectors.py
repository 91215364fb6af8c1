"""Reads on a user's own account: API tokens and second factors."""

from django.db.models import QuerySet

from .models import ApiToken, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return the user's API tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.visible_to(user).order_by("revoked_at", "-created_at", "-id")


def user_has_mfa(*, user: User) -> bool:
    """Return whether the user has a second factor (an authenticator app) to sign in with."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
