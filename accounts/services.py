"""Writes on users."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from .models import User


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, timezone: str, language: str) -> User:
    """Save a user's own name, timezone and language."""
    user.full_name, user.timezone, user.language = full_name, timezone, language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "timezone", "language"])
    return user


@transaction.atomic
def user_rotate_api_token(*, user: User) -> Token:
    """Replace the user's API token with a new one; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
