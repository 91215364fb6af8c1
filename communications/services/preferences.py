"""Each user's choice, per family of notifications, of when the email comes: at once, in the daily digest, or not."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from ..notices import Family, NotificationPreference, Timing, default_timing


def timings_for(*, users, family: str) -> dict[int, str]:
    """Return {user id: timing} of one family for the given users (one query), defaults where none was chosen."""
    users = [user for user in users if user is not None]
    chosen = dict(
        NotificationPreference.objects.filter(user__in=[u.pk for u in users], family=family).values_list(
            "user_id", "timing"
        )
    )
    return {user.pk: chosen.get(user.pk) or default_timing(user=user, family=family) for user in users}


def timings_by_family(*, users_by_family: dict[str, list]) -> dict[str, dict[int, str]]:
    """Return {family: {user id: timing}} for several families at once (one query), defaults where none was chosen:
    timings_for() of each family, read together."""
    wanted = {
        family: [user for user in users if user is not None] for family, users in users_by_family.items()
    }
    ids = {user.pk for users in wanted.values() for user in users}
    chosen = {
        (user_id, family): timing
        for user_id, family, timing in NotificationPreference.objects.filter(
            user__in=list(ids), family__in=list(wanted)
        ).values_list("user_id", "family", "timing")
    }
    return {
        family: {
            user.pk: chosen.get((user.pk, family)) or default_timing(user=user, family=family)
            for user in users
        }
        for family, users in wanted.items()
    }


def preferences_for(*, user: User) -> list[tuple[str, str, str]]:
    """Return (family, its label, the user's timing) for every family, in the order of Family."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("family", "timing"))
    return [
        (family.value, family.label, chosen.get(family.value) or default_timing(user=user, family=family))
        for family in Family
    ]


@transaction.atomic
def preferences_save(*, user: User, timings: dict[str, str]) -> None:
    """Save a user's timing per family (only the families given); an unknown family or timing changes nothing."""
    errors = {
        family: _("Choose at once, daily digest or off.")
        for family, timing in timings.items()
        if family not in Family.values or timing not in Timing.values
    }
    if errors:
        raise ValidationError(errors)
    for family, timing in timings.items():
        NotificationPreference.objects.update_or_create(user=user, family=family, defaults={"timing": timing})
