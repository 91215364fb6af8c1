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


def seed_playbook_action(*, buyer: User) -> None:
    """Take one playbook step, as a buyer would from the flag page: a production review for an on-time flag."""
    from datetime import time, timedelta

    from django.utils import timezone

    from communications.calendar import next_working_day
    from scorecards.playbooks.models import PlaybookAction
    from scorecards.playbooks.services import playbook_action_take

    flag = (
        RedFlag.objects.exclude(state=RedFlag.State.RESOLVED)
        .filter(rule=RedFlag.Rule.ON_TIME_DELIVERY, playbook_actions__isnull=True)
        .order_by("raised_at", "pk")
        .first()
    )
    if flag is None:
        return
    playbook_action_take(
        flag=flag,
        by=buyer,
        kind=PlaybookAction.Kind.PRODUCTION_REVIEW,
        day=next_working_day(flag.supplier, timezone.localdate() + timedelta(days=3))[0],
        at=time(10),
        note="Walk through the late deliveries and the next four weeks of the production plan.",
    )
