"""Periodic jobs of the payments app (scheduled in config/celery_app.py)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def payment_reminders_task() -> int:
    """Remind owners of invoices due within 3 days or overdue (safe to run twice)."""
    return services.payment_reminders_send(today=timezone.localdate())
