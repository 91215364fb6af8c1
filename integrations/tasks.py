"""Queued and periodic jobs of the integrations app: thin, id-based and safe to run twice (rows are claimed)."""

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.queue import BROKER_ERRORS

RETRY = {
    "autoretry_for": (OperationalError, *BROKER_ERRORS),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
# Each POST takes at most about 10 s (5 s to connect, 5 s to read); a batch stays far below the 10-minute lease
# of each row, which is claimed just before its own POST.
SEND_LIMITS = {"soft_time_limit": 480, "time_limit": 540}
CHUNK = 25


@shared_task(**RETRY)
def webhook_events_prune_task() -> int:
    """Delete the events (and their delivery log) older than 90 days that have nothing left to deliver."""
    from . import services

    return services.events_prune(now=timezone.now())


@shared_task(**RETRY, **SEND_LIMITS)
def webhook_deliveries_send_task(delivery_ids: list[int]) -> int:
    """POST the given deliveries that are due; return how many were delivered."""
    from . import services

    return services.deliveries_send(delivery_ids=delivery_ids)


@shared_task(**RETRY)
def webhook_deliveries_sweep_task() -> int:
    """Send the deliveries due for a retry (or whose queue message or worker was lost), in one task."""
    from . import services

    ids = services.deliveries_due(now=timezone.now())
    # Queued in chunks, each well within a task's time limit even when every POST times out.
    for start in range(0, len(ids), CHUNK):
        webhook_deliveries_send_task.delay(ids[start : start + CHUNK])
    return len(ids)
