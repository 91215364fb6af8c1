"""Reads on a user's own account: API tokens and second factors."""

from django.db.models import QuerySet

from .models import ApiToken, CalendarFeed, User


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return the user's API tokens, newest first, revoked ones included (they show as revoked)."""
    return ApiToken.objects.visible_to(user).order_by("revoked_at", "-created_at", "-id")


def user_has_mfa(*, user: User) -> bool:
    """Return whether the user has a second factor (an authenticator app) to sign in with."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user_id=user.pk, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def request_user_has_mfa(request) -> bool:
    """Return whether the signed-in user has a second factor, asked once per request and kept on it.

    The MFA middleware and the home pages' prompt both ask; a factor set up during a request is on the next one.
    """
    cached = getattr(request, "_user_has_mfa", None)
    if cached is None:
        cached = request._user_has_mfa = user_has_mfa(user=request.user)
    return cached


def calendar_feed_of(*, user: User) -> CalendarFeed | None:
    """Return the user's calendar feed, or None when they have not switched it on."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_by_token(*, token: str) -> CalendarFeed | None:
    """Return the feed a token opens (with its active user), or None for an unknown token or an inactive user."""
    if not token or len(token) > 64:
        return None
    return CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
