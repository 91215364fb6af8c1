"""Demo red-flag workflow: a few flags acknowledged and one resolved, so the flag pages show a history of notes."""

from accounts.models import User
from scorecards import services
from scorecards.models import RedFlag


def seed_flag_notes(*, buyer: User, quality: User) -> None:
    """Acknowledge the two oldest open flags and resolve one of them, each with a note, as staff would."""
    oldest = list(RedFlag.objects.filter(state=RedFlag.State.OPEN).order_by("raised_at", "pk")[:2])
    for flag in oldest:
        services.flag_acknowledge(flag=flag, by=buyer, note="Called the plant manager; waiting for a plan.")
    if oldest:
        services.flag_resolve(
            flag=oldest[0], by=quality, note="Plan received and checked on site; closing the flag."
        )
