"""The worker heartbeat (scheduled every minute in config/celery_app.py)."""

from celery import shared_task
from django.utils import timezone

HEARTBEAT_TASK = "core.tasks.heartbeat_task"


@shared_task(name=HEARTBEAT_TASK, ignore_result=True, expires=120)
def heartbeat_task() -> str:
    """Do nothing but run: its TaskRun row (written by core.task_runs) says that beat and a worker are alive."""
    return timezone.now().isoformat()
