"""Periodic and queued jobs of the communications app; thin, id-based and safe to run twice.

Each task imports the services it calls inside its body: the services queue these tasks and import them at module
level (HackSoft's direction), so the two modules never import each other at load time.
"""

from datetime import time

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.periods import Due, period_run
from core.queue import BROKER_ERRORS

# Database and broker connection errors are retried with a growing wait (the declared retries do happen); the
# work itself is guarded by its rows, so a retry never doubles anything.
RETRY = {
    "autoretry_for": (OperationalError, *BROKER_ERRORS),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
# When the daily check-in generation falls due (UTC); beat ticks it hourly (config/celery_app.py).
CHECKINS_DUE = Due(at=time(4, 0))
# A send of one claimed row takes seconds (EMAIL_TIMEOUT per SMTP step); the limit stays far below the lease.
SEND_LIMITS = {"soft_time_limit": 240, "time_limit": 300}


@shared_task(**RETRY, **SEND_LIMITS)
def notification_email_task(notification_id: int) -> bool:
    """Email one notification (exactly once, guarded by a conditional update)."""
    from . import services

    return services.notification_send_email(notification_id=notification_id)


@shared_task(**RETRY)
def notification_emails_task(notification_ids: list[int]) -> int:
    """Email a batch of notifications, each exactly once; return how many this run sent."""
    from . import services

    return services.notifications_send_emails(notification_ids=notification_ids)


@shared_task(**RETRY)
def checkins_generate_task(catch_up: bool = False) -> int | None:
    """Generate the coming weeks' check-ins for every active schedule (with catch_up, once a day)."""
    from . import services
    from .models import CheckInSchedule

    def generate(_period) -> int:
        today = timezone.localdate()
        return sum(
            services.checkins_generate(schedule=schedule, today=today)
            for schedule in CheckInSchedule.objects.filter(is_active=True).select_related("supplier")
        )

    return period_run(
        job="checkins-generate", due=CHECKINS_DUE, now=timezone.now(), catch_up=catch_up, work=generate
    )


@shared_task(**RETRY)
def checkins_mark_missed_task() -> int:
    """Mark check-ins with no minutes a day after they were due as missed."""
    from . import services

    return services.checkins_mark_missed(now=timezone.now())


@shared_task(**RETRY)
def issues_escalate_task() -> int:
    """Escalate unanswered issues at 1× and 2× the response target."""
    from . import services

    return services.issues_escalate(now=timezone.now())


@shared_task(**RETRY)
def notifications_resend_pending_task() -> int:
    """Queue again, as one task, the emails still unsent: a lost queue message, or a failed send's retry."""
    from . import services

    ids = services.notifications_due_for_retry(now=timezone.now())
    if ids:
        notification_emails_task.delay(ids)
    return len(ids)


@shared_task(**RETRY)
def daily_digests_task() -> int:
    """Create the daily digests that are due (hourly: each user's digest hour comes in their own timezone)."""
    from .services.digests import digests_send_due

    return digests_send_due(now=timezone.now())
