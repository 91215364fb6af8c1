"""Queued work of the imports app: the dry run behind a preview and the import itself; thin and id-based.

Each task imports the services inside its body: the services queue these tasks, so the two modules never
import each other at load time. Running one twice changes nothing more: a job's status guards it, and rows are
matched on their natural keys, so an import run again skips what it already created.
"""

from celery import shared_task
from django.db import OperationalError

RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 3}


@shared_task(**RETRY)
def import_preview_task(job_id: int) -> None:
    """Check every row of an uploaded file without keeping anything (the preview)."""
    from . import services

    services.import_job_preview(job_id=job_id)


@shared_task(**RETRY)
def import_run_task(job_id: int) -> None:
    """Import the rows of a confirmed job."""
    from . import services

    services.import_job_run(job_id=job_id)
