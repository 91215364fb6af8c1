"""Recording each periodic task's last run (Celery signals → core.TaskRun), for the health page.

Only the tasks of the beat schedule are recorded, and only on a worker (not when a test runs a task in-process),
so the per-message tasks (one email) cost nothing. The heartbeat task, every minute, tells that a worker and
beat are alive.
"""

import logging

from celery.signals import task_failure, task_prerun, task_success
from django.db import DatabaseError
from django.utils import timezone

from .leases import worker_name

logger = logging.getLogger(__name__)


def periodic_task_names(app) -> set[str]:
    """Return the names of the tasks beat schedules."""
    return {entry["task"] for entry in (app.conf.beat_schedule or {}).values()}


def _recorded(sender) -> bool:
    return (
        sender is not None
        and not getattr(sender.request, "is_eager", False)
        and sender.name in periodic_task_names(sender.app)
    )


def task_run_record(*, task: str, **fields) -> None:
    """Upsert the TaskRun row of a task; a database that is down is logged, never raised (the task goes on)."""
    from .models import TaskRun

    try:
        TaskRun.objects.update_or_create(task=task, defaults={"worker": worker_name(), **fields})
    except DatabaseError as exc:
        logger.warning("Could not record the run of %s: %r", task, exc)


def _started(sender=None, **kwargs):
    if _recorded(sender):
        task_run_record(task=sender.name, last_started_at=timezone.now())


def _succeeded(sender=None, **kwargs):
    if _recorded(sender):
        task_run_record(task=sender.name, last_succeeded_at=timezone.now(), last_error="")


def _failed(sender=None, exception=None, **kwargs):
    if _recorded(sender):
        task_run_record(
            task=sender.name,
            last_failed_at=timezone.now(),
            last_error=f"{type(exception).__name__}: {exception}"[:2000],
        )


def connect() -> None:
    """Connect the recorders (called from CoreConfig.ready)."""
    task_prerun.connect(_started, dispatch_uid="core-task-run-started")
    task_success.connect(_succeeded, dispatch_uid="core-task-run-succeeded")
    task_failure.connect(_failed, dispatch_uid="core-task-run-failed")
