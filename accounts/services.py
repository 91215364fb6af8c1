"""Writes on users, their API tokens and their sessions."""

import hashlib
import secrets
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken, CalendarFeed, User

# New keys start with this, so that a key pasted into a chat or a repository is recognisable (and scannable).
API_KEY_PREFIX = "flt_"
# A token's last use is written at most this often: the API's hot path does not write on every call.
API_TOKEN_LAST_USED_EVERY = timedelta(minutes=1)
API_TOKEN_LONGEST_LIFE = timedelta(days=3 * 366)


def api_key_hash(key: str) -> str:
    """Return the SHA-256 hex digest of an API key, the only form in which a key is stored."""
    return hashlib.sha256(key.encode()).hexdigest()


def utc_today() -> date:
    """Return today's date in UTC, the calendar token expiry dates use."""
    return timezone.now().date()


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, timezone: str, language: str) -> User:
    """Save a user's own name, timezone and language."""
    user.full_name, user.timezone, user.language = full_name, timezone, language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "timezone", "language"])
    return user


def user_set_language(*, user: User, language: str) -> User:
    """Keep the language a user switched to as their preference (emails and the next sign-in use it)."""
    if user.language != language:
        user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_on: date | None = None) -> tuple[ApiToken, str]:
    """Issue a named API token and return it with its key: the key is not stored and cannot be shown again."""
    today = utc_today()
    if expires_on is not None and expires_on < today:
        raise ValidationError({"expires_on": _("The expiry date cannot be in the past.")})
    if expires_on is not None and expires_on > today + API_TOKEN_LONGEST_LIFE:
        raise ValidationError({"expires_on": _("A token can last three years at most.")})
    key = API_KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), key_hash=api_key_hash(key), prefix=key[:8], expires_on=expires_on
    )
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, by: User) -> ApiToken:
    """Revoke one of the user's own tokens at once; revoking it again changes nothing."""
    if token.user_id != by.pk:
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db(fields=["revoked_at"])
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of a user that is not revoked yet; return how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """Return the usable token a key belongs to (with its user), noting its use at most once a minute."""
    token = (
        ApiToken.objects.select_related("user")
        .usable(today=utc_today())
        .filter(key_hash=api_key_hash(key))
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or token.last_used_at <= now - API_TOKEN_LAST_USED_EVERY:
        # Conditional, so that concurrent calls write once; the row count does not matter to the caller.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - API_TOKEN_LAST_USED_EVERY)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_sessions_end_others(*, user: User, current_session_key: str | None) -> int:
    """End every signed-in session of a user except the current one; return how many were ended."""
    from allauth.usersessions.models import UserSession

    others = UserSession.objects.filter(user=user).exclude(session_key=current_session_key or "")
    count = 0
    for user_session in others:
        user_session.end()  # deletes the session itself, not only the row that lists it
        count += 1
    return count


@transaction.atomic
def user_password_changed(
    *, user: User, current_session_key: str | None, keep_api_tokens: bool
) -> dict[str, int]:
    """End the user's other sessions and, unless they keep them, revoke their API tokens."""
    ended = user_sessions_end_others(user=user, current_session_key=current_session_key)
    revoked = 0 if keep_api_tokens else api_tokens_revoke_all(user=user)
    return {"sessions_ended": ended, "tokens_revoked": revoked}


# --- Calendar feeds -------------------------------------------------------------------------------------------


def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """Give the user a new private calendar feed address; the previous one, if any, stops working at once."""
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": token})
    if not created:
        feed.token, feed.created_at = token, timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def calendar_feed_revoke(*, user: User) -> bool:
    """Switch the user's calendar feed off (its address answers 404); return whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)
