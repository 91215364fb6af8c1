"""Settings for the real Celery worker that tests/test_celery_worker.py starts as a subprocess.

The test settings, plus what the test process hands over in the environment:

- ``FORGELINE_WORKER_DB_NAME``: the database the test wrote its data to (pytest-django's PostgreSQL test
  database, or the SQLite file the test made); the rest of the connection comes from DATABASE_URL as usual.
- ``FORGELINE_WORKER_QUEUE``: the test's private queue, also the default queue for anything the worker sends.
- ``FORGELINE_WORKER_BROKER_OPTIONS``: JSON broker transport options (private folders for the filesystem
  transport; a short visibility timeout and private unacked keys for Redis).
- ``FORGELINE_WORKER_EVENTS``: a file the worker appends one JSON line to when it is ready, and when a task
  starts and ends, so the test need not parse log output.
- ``FORGELINE_WORKER_PAUSE``: ``task_start`` or ``flag_insert``, and ``FORGELINE_WORKER_PAUSE_SECONDS``: a pause
  when a task starts, or after each committed INSERT into the red-flag table, so that the test can kill the worker
  at that point of a scan (test-only instrumentation; the app code is unchanged, and the SQL hook does not care
  whether flags are inserted one by one or in bulk).
- ``FORGELINE_WORKER_SMTP_PORT``: when set, email goes over SMTP to the test's server on that local port.
"""

import json
import logging
import os
import re
import time

from celery.signals import task_postrun, task_prerun, worker_ready

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["FORGELINE_WORKER_DB_NAME"]}}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["FORGELINE_WORKER_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = json.loads(os.environ["FORGELINE_WORKER_BROKER_OPTIONS"])
# No pidbox: nothing outside the test can reach this worker, and it leaves nothing behind in the broker.
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False

if _SMTP_PORT := os.environ.get("FORGELINE_WORKER_SMTP_PORT"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, EMAIL_USE_SSL = "127.0.0.1", int(_SMTP_PORT), False, False
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
    EMAIL_TIMEOUT = 120  # a stalled test server holds the worker until the test kills it

_EVENTS = os.environ["FORGELINE_WORKER_EVENTS"]
_PAUSE = os.environ.get("FORGELINE_WORKER_PAUSE", "")
_PAUSE_SECONDS = float(os.environ.get("FORGELINE_WORKER_PAUSE_SECONDS") or 0)
_log = logging.getLogger("tests.worker_settings")


def _event(**fields) -> None:
    """Append one JSON line (a single small write, so a SIGKILL never leaves half a line)."""
    with open(_EVENTS, "a", encoding="utf-8") as events:
        events.write(json.dumps({"pid": os.getpid(), "at": time.time(), **fields}) + "\n")


def _pause(where: str) -> None:
    _log.info("pausing %s s %s", _PAUSE_SECONDS, where)
    _event(event="paused", where=where)
    time.sleep(_PAUSE_SECONDS)


def _pause_after_flag_insert(execute, sql, params, many, context):
    """A database execute wrapper: once an INSERT into the red-flag table is committed, pause."""
    from django.db import transaction

    from scorecards.models import RedFlag

    result = execute(sql, params, many, context)
    # INSERT INTO, INSERT OR IGNORE INTO (SQLite's ignore_conflicts), quoted or not.
    if re.match(rf'\s*INSERT\b[\w\s]*?\bINTO\s+"?{RedFlag._meta.db_table}\b', sql, re.IGNORECASE):
        # Right away in autocommit; after the commit inside a transaction.
        transaction.on_commit(lambda: _pause("after a red flag insert"), using=context["connection"].alias)
    return result


@worker_ready.connect
def _on_worker_ready(**kwargs):
    _event(event="ready")


@task_prerun.connect
def _on_task_prerun(task_id=None, task=None, **kwargs):
    from django.db import connection

    _event(event="started", task_id=task_id, task=task.name)
    if _PAUSE == "task_start":
        _pause("at task start")
    elif _PAUSE == "flag_insert" and _pause_after_flag_insert not in connection.execute_wrappers:
        connection.execute_wrappers.append(_pause_after_flag_insert)


@task_postrun.connect
def _on_task_postrun(task_id=None, task=None, retval=None, state=None, **kwargs):
    _event(event="finished", task_id=task_id, task=task.name, state=state, retval=repr(retval))
