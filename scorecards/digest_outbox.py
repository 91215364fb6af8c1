"""When the weekly digest is due, and how it goes out once per manager and ISO week, never lost.

The WeeklyDigest row is the outbox entry. It is inserted under its unique (manager, iso_week) constraint, then
claimed by a conditional UPDATE that records who claimed it and when (core.leases): of any number of runs (two
beats, a redelivered message, the hourly catch-up) exactly one sends. A worker that dies after the claim leaves
the row "sending"; after the lease the next hourly run takes it again. A failed send is marked "failed" with its
error and retried after a back-off that doubles, up to core.leases.MAX_ATTEMPTS. Every attempt carries the same
Message-ID, so the rare duplicate (the server accepted, the worker died before marking) is recognisable.

Idempotent by period, not by tick: a manager is due from Monday 07:00 (their local time) until their digest for
that ISO week is sent, so a late worker or a lost message costs an hour, not the week.
"""

import logging
from datetime import datetime, time

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from core.leases import LEASE, MAX_ATTEMPTS, retry_due, worker_name
from core.mail import message_id

from .digest import (
    SEND_HOUR,
    digest_message,
    digest_recipients,
    manager_timezone,
    week_monday,
)
from .models import WeeklyDigest
from .periods import iso_week

logger = logging.getLogger(__name__)
OPEN_STATES = (WeeklyDigest.State.PENDING, WeeklyDigest.State.SENDING, WeeklyDigest.State.FAILED)


def digest_claimable(row: WeeklyDigest | dict, *, now: datetime) -> bool:
    """Tell whether a digest row may be claimed now: to send, stuck sending past the lease, or failed and due."""
    state, attempts, claimed_at = (
        (row["state"], row["attempts"], row["claimed_at"])
        if isinstance(row, dict)
        else (row.state, row.attempts, row.claimed_at)
    )
    if state == WeeklyDigest.State.PENDING:
        return attempts < MAX_ATTEMPTS
    if state == WeeklyDigest.State.SENDING:
        return attempts < MAX_ATTEMPTS and (claimed_at is None or claimed_at <= now - LEASE)
    if state == WeeklyDigest.State.FAILED:
        return retry_due(attempts=attempts, claimed_at=claimed_at, now=now)
    return False


def digests_due(*, now: datetime) -> list[tuple[int, str]]:
    """Return (manager id, local ISO week) for every recipient whose digest for this week is due and not sent.

    Due from Monday 07:00 in the manager's own timezone until the end of that ISO week: a run that was missed
    (late worker, lost message, a second beat) is made up by the next hourly run, and a sent one is never due.
    """
    if timezone.is_naive(now):
        raise ValueError("now must be an aware datetime")
    candidates = []
    for manager in digest_recipients().only("pk", "timezone"):
        zone = manager_timezone(manager)
        local = now.astimezone(zone)
        week = iso_week(local.date())
        if local >= datetime.combine(week_monday(week), time(SEND_HOUR), tzinfo=zone):
            candidates.append((manager.pk, week))
    rows = {
        (row["manager_id"], row["iso_week"]): row
        for row in WeeklyDigest.objects.filter(
            manager_id__in=[pk for pk, _week in candidates], iso_week__in={week for _pk, week in candidates}
        ).values("manager_id", "iso_week", "state", "attempts", "claimed_at")
    }
    return [key for key in candidates if key not in rows or digest_claimable(rows[key], now=now)]


def _claim(*, manager_id: int, iso_week: str, now: datetime) -> WeeklyDigest | None:
    """Claim the row by a conditional UPDATE on what it was read as; return it when this call won."""
    row = WeeklyDigest.objects.filter(manager_id=manager_id, iso_week=iso_week).first()
    if row is None or not digest_claimable(row, now=now):
        return None
    won = WeeklyDigest.objects.filter(
        pk=row.pk, state=row.state, attempts=row.attempts, claimed_at=row.claimed_at
    ).update(
        state=WeeklyDigest.State.SENDING, claimed_by=worker_name(), claimed_at=now, attempts=row.attempts + 1
    )
    return row if won else None


def digest_send(*, manager_id: int, iso_week: str, now: datetime | None = None) -> bool:
    """Send a manager's weekly digest for an ISO week once; return whether this call sent it.

    1. Insert the WeeklyDigest row (pending) in its own transaction; the unique constraint refuses a second.
    2. Claim it (see _claim): a pending row, one stuck "sending" past the lease, or a failed one whose back-off
       is over. 3. Build and send the email; 4. mark it sent. An error marks it failed with the message (retried
       by a later run) and is raised.
    """
    week_monday(iso_week)  # refuse a malformed week before writing anything
    now = now or timezone.now()
    if not digest_recipients().filter(pk=manager_id).exists():
        return False  # opted out or no longer a manager since the task was queued
    try:
        with transaction.atomic():
            WeeklyDigest.objects.create(manager_id=manager_id, iso_week=iso_week)
    except IntegrityError:
        pass  # another run wrote it first; the claim below decides whether anything is left to send
    row = _claim(manager_id=manager_id, iso_week=iso_week, now=now)
    if row is None:
        return False
    claimed = WeeklyDigest.objects.filter(pk=row.pk, state=WeeklyDigest.State.SENDING, claimed_at=now)
    try:
        message = digest_message(manager=User.objects.get(pk=manager_id), iso_week=iso_week)
        message.extra_headers["Message-ID"] = message_id("digest", row.pk)
        message.send()
    except (
        Exception
    ) as exc:  # also the soft time limit (SoftTimeLimitExceeded), so the row says why it stopped
        logger.warning("Weekly digest %s (attempt %s) failed: %r", row.pk, row.attempts + 1, exc)
        claimed.update(state=WeeklyDigest.State.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    claimed.update(state=WeeklyDigest.State.SENT, sent_at=timezone.now(), error="")
    return True


def digests_send_again(*, ids) -> int:
    """Give digests that gave up (or stuck ones an operator checked) a fresh set of attempts."""
    return (
        WeeklyDigest.objects.filter(pk__in=ids)
        .exclude(state=WeeklyDigest.State.SENT)
        .update(state=WeeklyDigest.State.PENDING, attempts=0, claimed_at=None, claimed_by="")
    )
