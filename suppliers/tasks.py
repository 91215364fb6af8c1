"""Periodic jobs of the suppliers app (scheduled in config/celery_app.py)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def certification_expiry_reminders_task() -> int:
    """Email owners about certificates crossing an expiry threshold (safe to run twice)."""
    return services.certification_reminders_send(today=timezone.localdate())
