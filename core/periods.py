"""Periodic work done once per period, not once per clock tick.

Beat calls each daily or weekly job every hour with `catch_up=True`. The job works out the latest moment it was
due (e.g. today 02:00 UTC, or yesterday's if it is not 02:00 yet). If the run for that moment is not recorded as
finished, it runs and records it. A run that was missed (a late worker, a lost message, a worker killed mid-run)
is done by the next hourly tick. A second beat or a redelivered message finds the period finished, or another
run holding the job's lock, and does nothing.

The lock belongs to the running process, not a leased row. On PostgreSQL it is a session advisory lock; in the
embedded mode it is an flock on a file under var/. A killed worker's lock goes when its connection or process
does, so the redelivered message or the next tick takes over at once, without waiting out a lease.
"""

import fcntl
import logging
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """When a job falls due: every day at `at` (UTC), or weekly on `weekday` (0 = Monday) at `at`."""

    at: time
    weekday: int | None = None

    def latest(self, now: datetime) -> datetime:
        """Return the latest moment at or before `now` when the job was due."""
        now = now.astimezone(UTC)
        moment = datetime.combine(now.date(), self.at, tzinfo=UTC)
        if self.weekday is not None:
            moment -= timedelta(days=(now.weekday() - self.weekday) % 7)
            step = timedelta(days=7)
        else:
            step = timedelta(days=1)
        return moment if moment <= now else moment - step


def _lock_key(job: str) -> int:
    # A stable signed 64-bit key per job name for pg_try_advisory_lock (crc32 is stable across processes).
    return zlib.crc32(f"forgeline-period:{job}".encode())


@contextmanager
def job_lock(job: str) -> Iterator[bool]:
    """Hold the job's lock for the block if no one else does; yield whether this process got it."""
    if connection.vendor == "postgresql":
        key = _lock_key(job)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            got = cursor.fetchone()[0]
        try:
            yield got
        finally:
            if got:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    folder = settings.VAR_DIR / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{job}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def period_run(
    *, job: str, due: Due, now: datetime, work: Callable[[datetime], int], catch_up: bool = True
) -> int | None:
    """Run `work(period)` once for the latest period of `job` due at `now`; return its result, or None if skipped.

    `catch_up=False` (a manual run, a test) runs the work at once for the latest period, recording nothing.
    Otherwise it is skipped when that period's run is finished, or another process is running the job. `work` must itself be
    safe to run again (a killed run is redone, and what it committed must not be doubled).
    """
    from .models import PeriodRun

    period = due.latest(now)
    if not catch_up:
        return work(period)
    if PeriodRun.objects.filter(job=job, period=period).exists():
        return None
    with job_lock(job) as got:
        if not got:
            logger.info("%s for %s is running elsewhere; this tick does nothing", job, period.isoformat())
            return None
        # Checked again under the lock: a run that finished between the first check and the lock counts.
        if PeriodRun.objects.filter(job=job, period=period).exists():
            return None
        result = work(period)
        try:
            with transaction.atomic():
                PeriodRun.objects.create(job=job, period=period, result=result or 0)
        except IntegrityError:  # only if the lock was bypassed (a manual row); the work was idempotent anyway
            pass
        return result
