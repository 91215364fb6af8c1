"""Periodic jobs of the payments app (scheduled in config/celery_app.py)."""

from datetime import time

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.periods import Due, period_run

from . import services

# When the daily reminders fall due (UTC); beat ticks them hourly (config/celery_app.py).
REMINDERS_DUE = Due(at=time(6, 0))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def payment_reminders_task(catch_up: bool = False) -> int | None:
    """Remind owners of invoices due within 3 days or overdue (safe to run twice; with catch_up, once a day)."""
    return period_run(
        job="payment-reminders",
        due=REMINDERS_DUE,
        now=timezone.now(),
        catch_up=catch_up,
        work=lambda _period: services.payment_reminders_send(today=timezone.localdate()),
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def payment_reminders_resend_task() -> int:
    """The sweep: email reminders that failed or whose worker died, once their back-off or lease is over."""
    return services.payment_reminders_deliver(now=timezone.now())
