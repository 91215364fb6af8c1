"""The health page, /health/: what an operator or a monitor needs to know, as JSON, with no secrets.

    database   answers a query
    broker     Redis answers a PING (or the embedded filesystem broker's folder is writable)
    worker     the heartbeat task ran within the last few minutes (so beat and a worker are alive)
    beat       each periodic task's last start, success and failure, and whether it is overdue
    outbox     emails waiting, failed (gave up), and the age of the oldest waiting one
    disk       free space where uploaded files live

200 when every check that gates health passes (database, broker, worker, disk), 503 otherwise; the outbox and an
overdue task are reported, not gating (a mail server that is down delays email, it does not make the app down).
`?only=database,broker` evaluates only the named checks (the web container's probe: the web process itself).
"""

import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

HEARTBEAT_MAX_AGE = timedelta(minutes=5)
# An overdue periodic task: its next run after the last one is this much in the past.
OVERDUE_GRACE = timedelta(minutes=30)
GATING = ("database", "broker", "worker", "disk")
CHECKS = (*GATING, "beat", "outbox")


def _error(exc: Exception) -> str:
    """Name an error without its message (a message may hold a host name or a URL with a password)."""
    return type(exc).__name__


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"ok": False, "error": _error(exc)}
    return {"ok": True, "vendor": connection.vendor}


def check_broker() -> dict:
    redis_url = getattr(settings, "REDIS_URL", "")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2, socket_timeout=2).ping()
        except Exception as exc:  # any client error means the broker cannot take a task now
            return {"ok": False, "kind": "redis", "error": _error(exc)}
        return {"ok": True, "kind": "redis"}
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("data_folder_in", "")
    try:
        import os

        os.makedirs(folder, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError as exc:
        return {"ok": False, "kind": "filesystem", "error": _error(exc)}
    return {"ok": writable, "kind": "filesystem"}


def _iso(moment):
    return moment.isoformat() if moment else None


def check_worker(runs: dict, now) -> dict:
    from core.tasks import HEARTBEAT_TASK

    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return {"ok": True, "note": "tasks run in-process"}
    beat = runs.get(HEARTBEAT_TASK)
    last = beat.last_succeeded_at if beat else None
    return {
        "ok": last is not None and now - last <= HEARTBEAT_MAX_AGE,
        "last_heartbeat": _iso(last),
        "age_seconds": int((now - last).total_seconds()) if last else None,
    }


def check_beat(runs: dict, now) -> dict:
    from config.celery_app import app

    tasks = {}
    for name, entry in sorted(app.conf.beat_schedule.items()):
        run = runs.get(entry["task"])
        started = run.last_started_at if run else None
        schedule = entry["schedule"]
        overdue = None
        if started is not None and hasattr(schedule, "remaining_estimate"):
            overdue = started + schedule.remaining_estimate(started) + OVERDUE_GRACE < now
        tasks[name] = {
            "task": entry["task"],
            "last_started": _iso(started),
            "last_succeeded": _iso(run.last_succeeded_at if run else None),
            "last_failed": _iso(run.last_failed_at if run else None),
            "overdue": overdue,
        }
    return {"ok": not any(task["overdue"] for task in tasks.values()), "tasks": tasks}


def check_outbox(now) -> dict:
    from django.db.models import Min

    from communications.models import Notification
    from payments.models import PaymentReminder
    from scorecards.models import WeeklyDigest
    from suppliers.models import CertificationReminder

    waiting = Notification.objects.filter(email__in=[Notification.Email.PENDING, Notification.Email.SENDING])
    oldest = waiting.aggregate(oldest=Min("created_at"))["oldest"]
    unsent_digests = WeeklyDigest.objects.exclude(state=WeeklyDigest.State.SENT).count()
    unsent_reminders = (
        CertificationReminder.objects.filter(sent_at__isnull=True).count()
        + PaymentReminder.objects.filter(sent_at__isnull=True).count()
    )
    return {
        "ok": oldest is None or now - oldest < timedelta(hours=1),
        "pending_emails": waiting.count(),
        "failed_emails": Notification.objects.filter(email=Notification.Email.FAILED).count(),
        "oldest_pending_email": _iso(oldest),
        "oldest_pending_age_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "unsent_digests": unsent_digests,
        "unsent_reminders": unsent_reminders,
    }


def check_disk() -> dict:
    minimum = settings.FORGELINE_HEALTH_MIN_FREE_MB * 1024 * 1024
    folder = Path(settings.MEDIA_ROOT)
    while not folder.exists() and folder != folder.parent:  # before the first upload: the disk it will be on
        folder = folder.parent
    try:
        usage = shutil.disk_usage(folder)
    except OSError as exc:
        return {"ok": False, "error": _error(exc)}
    return {
        "ok": usage.free >= minimum,
        "free_bytes": usage.free,
        "free_percent": round(100 * usage.free / usage.total, 1) if usage.total else None,
    }


def health_report(*, only: set[str] | None = None) -> tuple[bool, dict]:
    """Run the checks (all, or `only` those named); return (healthy, report)."""
    now = timezone.now()
    wanted = only or set(CHECKS)
    report: dict = {"checked_at": now.isoformat()}
    if "database" in wanted:
        report["database"] = check_database()
    if "broker" in wanted:
        report["broker"] = check_broker()
    database_up = report.get("database", {"ok": True})["ok"]
    if database_up and wanted & {"worker", "beat", "outbox"}:
        try:
            from core.models import TaskRun

            runs = {run.task: run for run in TaskRun.objects.all()}
            if "worker" in wanted:
                report["worker"] = check_worker(runs, now)
            if "beat" in wanted:
                report["beat"] = check_beat(runs, now)
            if "outbox" in wanted:
                report["outbox"] = check_outbox(now)
        except DatabaseError as exc:
            report["database"] = {"ok": False, "error": _error(exc)}
    if "disk" in wanted:
        report["disk"] = check_disk()
    healthy = all(report[name]["ok"] for name in GATING if name in report) and (
        database_up or "database" not in wanted
    )
    report["status"] = "ok" if healthy else "unhealthy"
    return healthy, report
