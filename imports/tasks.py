"""Queued work of the imports app: the dry run behind a preview and the import itself; thin and id-based.

Each task imports the services inside its body: the services queue these tasks, so the two modules never
import each other at load time. Running one twice changes nothing more: a job's status guards it, and rows are
matched on their natural keys, so an import run again skips what it already created.
"""

from contextlib import contextmanager

from celery import shared_task
from django.db import OperationalError

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 3}


@shared_task(bind=True, **RETRY)
def import_preview_task(self, job_id: int) -> None:
    """Check every row of an uploaded file without keeping anything (the preview)."""
    from . import services

    with _ended_when_retries_run_out(self, job_id):
        services.import_job_preview(job_id=job_id)


@shared_task(bind=True, **RETRY)
def import_run_task(self, job_id: int) -> None:
    """Import the rows of a confirmed job."""
    from . import services

    with _ended_when_retries_run_out(self, job_id):
        services.import_job_run(job_id=job_id)


@contextmanager
def _ended_when_retries_run_out(task, job_id: int):
    """Let the database's failures be retried; after the last retry, end the job (still running) as failed."""
    from . import services

    try:
        yield
    except OperationalError:
        if task.request.retries >= task.max_retries:
            services.import_job_abandon(job_id=job_id)
        raise
