"""Red flags, snapshots and the weekly digest on Celery: thin tasks that take ids and are safe to run twice.

Each task imports what it calls inside its body (HackSoft's direction: services may import tasks at module level
to queue them; tasks never make services import them back).
"""

from datetime import datetime, time, timedelta

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from core.clock import business_today
from core.periods import Due, period_run
from core.queue import BROKER_ERRORS, task_publish

# Database and broker connection errors are retried with a growing wait, so the declared retries happen (a
# PostgreSQL restart mid-scan costs minutes, not the night); every task here is safe to run again.
RETRY = {
    "autoretry_for": (OperationalError, *BROKER_ERRORS),
    "retry_backoff": True,
    "retry_backoff_max": 600,
}


# When the nightly scan and the weekly snapshots fall due (UTC); beat ticks them hourly (config/celery_app.py).
SCAN_DUE = Due(at=time(2, 0))
SNAPSHOTS_DUE = Due(at=time(0, 30), weekday=0)


# Idempotent (unique rows), so a task lost with its worker is simply delivered again.
@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, **RETRY)
def red_flags_check_supplier_task(supplier_id: int) -> int:
    """Evaluate the red-flag rules for one supplier after a relevant write."""
    from . import alerts, services

    today, now = business_today(), timezone.now()
    # The supplier's stored KPI rows first: the portfolio and the API read them.
    services.current_kpis_refresh(today=today, now=now, supplier_ids=[supplier_id])
    return len(alerts.flags_evaluate(today=today, now=now, supplier_ids=[supplier_id]))


@shared_task(
    acks_late=True, reject_on_worker_lost=True, max_retries=3, time_limit=1800, soft_time_limit=1700, **RETRY
)
def red_flags_scan_task(catch_up: bool = False) -> int | None:
    """The nightly scan: every active supplier's stored KPI rows, then every rule for every active supplier (with
    catch_up, once per night: core.periods)."""
    from . import alerts, services

    def scan(_period) -> int:
        today, now = business_today(), timezone.now()
        services.current_kpis_refresh(today=today, now=now)
        return len(alerts.flags_evaluate(today=today, now=now))

    return period_run(job="red-flags-scan", due=SCAN_DUE, now=timezone.now(), catch_up=catch_up, work=scan)


# Idempotent (an upsert of the same rows); queued when a KPI target changes.
@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, time_limit=1800, **RETRY)
def current_kpis_refresh_task() -> int:
    """Recompute every active supplier's stored KPI rows (their scores were made against the old targets)."""
    from . import services

    return services.current_kpis_refresh_all()


@shared_task(
    acks_late=True, reject_on_worker_lost=True, max_retries=3, time_limit=1800, soft_time_limit=1700, **RETRY
)
def snapshots_write_task(catch_up: bool = False) -> int | None:
    """Write last week's KPI snapshots for every supplier (an upsert: running it again changes nothing).

    "Last week" is the week before the Monday the run fell due, so a run caught up late writes the right week.
    """
    from . import services

    return period_run(
        job="snapshots-write",
        due=SNAPSHOTS_DUE,
        now=timezone.now(),
        catch_up=catch_up,
        work=lambda period: services.snapshots_write(
            week_start=services.week_start_of(period.date()) - timedelta(days=7)
        ),
    )


# --- The weekly manager digest ----------------------------------------------------------------------------------


# Idempotent (it only queues sends, and each send happens once per manager and week), so acks_late is safe. It is
# also the digests' sweep: every hourly run queues again whatever of this week is not sent (see digest_outbox).
@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, **RETRY)
def weekly_digests_due_task(now: str | None = None) -> int:
    """Queue the weekly digest of every manager due this week and not yet sent (`now`: ISO time, for tests)."""
    from . import digest_outbox

    moment = datetime.fromisoformat(now) if now else timezone.now()
    due = digest_outbox.digests_due(now=moment)
    for manager_id, week in due:
        task_publish(weekly_digest_send_task, manager_id, week)
    return len(due)


# Idempotent through the WeeklyDigest row and its lease: a message redelivered while another worker holds the row
# returns at once, so redelivery cannot loop. Retries (capped) cover a database error before the claim; the time
# limits (below the lease) stop a PDF render that hangs (the soft one marks the row failed, retried later).
@shared_task(
    acks_late=True, reject_on_worker_lost=True, max_retries=3, soft_time_limit=240, time_limit=300, **RETRY
)
def weekly_digest_send_task(manager_id: int, iso_week: str) -> bool:
    """Send one manager's weekly scorecard email with its PDF for one ISO week (exactly once)."""
    from . import digest_outbox

    return digest_outbox.digest_send(manager_id=manager_id, iso_week=iso_week)


# Safe to run twice: only a pending action is written (a conditional UPDATE), so a redelivered task changes nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, **RETRY)
def playbook_reviews_task(action_ids: list[int] | None = None) -> int:
    """Record whether the KPI recovered for the playbook actions due today (or those ids)."""
    from .playbooks.services import playbook_reviews_evaluate

    return playbook_reviews_evaluate(today=business_today(), action_ids=action_ids)


# Send-once through the GeneralManagerCopy row and its lease: a second run (or a redelivered message) sends nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, **RETRY)
def general_manager_copy_email_task(copy_id: int) -> bool:
    """Email one copy of a contact change to the factory's general manager (at most once)."""
    from .playbooks import services

    return services.general_manager_copies_send(ids=[copy_id]) == 1


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3, **RETRY)
def general_manager_copies_resend_task() -> int:
    """The sweep: general-manager copies whose email failed or whose worker died, after the back-off or lease."""
    from .playbooks import services

    return services.general_manager_copies_send(now=timezone.now())
