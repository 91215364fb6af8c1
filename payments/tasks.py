"""Periodic jobs of the payments app (scheduled in config/celery_app.py)."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def payment_reminders_task() -> int:
    """Remind owners of invoices due within 3 days or overdue (safe to run twice)."""
    return services.payment_reminders_send(today=timezone.localdate())


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def payment_reminders_resend_task() -> int:
    """The sweep: email reminders that failed or whose worker died, once their back-off or lease is over."""
    return services.payment_reminders_deliver(now=timezone.now())
