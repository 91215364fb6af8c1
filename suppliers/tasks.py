"""Periodic jobs of the suppliers app (scheduled in config/celery_app.py)."""

from datetime import time

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.periods import Due, period_run

from . import services

# When the daily certificate reminders fall due (UTC); beat ticks them hourly (config/celery_app.py).
REMINDERS_DUE = Due(at=time(5, 30))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def certification_expiry_reminders_task(catch_up: bool = False) -> int | None:
    """Email owners about certificates crossing an expiry threshold (safe to run twice; with catch_up, daily)."""
    return period_run(
        job="certification-reminders",
        due=REMINDERS_DUE,
        now=timezone.now(),
        catch_up=catch_up,
        work=lambda _period: services.certification_reminders_send(today=timezone.localdate()),
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def certification_reminders_resend_task() -> int:
    """The sweep: email reminders that failed or whose worker died, once their back-off or lease is over."""
    return services.certification_reminders_deliver(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def invitation_email_task(invitation_id: int) -> bool:
    """Email one portal invitation (at most once: the row is claimed with a lease first)."""
    from . import invitations

    return invitations.invitation_send_email(invitation_id=invitation_id)


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def invitations_resend_pending_task() -> int:
    """The sweep: invitation emails that failed or whose worker died, once their back-off or lease is over."""
    from . import invitations

    return invitations.invitations_send_emails(now=timezone.now())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def registration_email_task(email_id: int) -> bool:
    """Email one registration invitation or request for changes (at most once: claimed with a lease first)."""
    from . import registrations

    return registrations.registration_emails_send(ids=[email_id]) == 1


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def registration_emails_resend_task() -> int:
    """The sweep: registration emails that failed or whose worker died, once their back-off or lease is over."""
    from . import registrations

    return registrations.registration_emails_send(now=timezone.now())
