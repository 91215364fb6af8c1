"""Daily and weekly jobs run once per period, whatever the ticks: a missed run is caught up by the next hourly tick,
a second beat or a redelivered message does nothing, and a run that failed or was killed is done again."""

import fcntl
from datetime import UTC, date, datetime, time
from time import sleep

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from config.celery_app import app
from core.models import PeriodRun
from core.periods import Due, job_lock, period_run
from scorecards.models import KpiSnapshot
from scorecards.tasks import red_flags_scan_task, snapshots_write_task
from tests.factories import DeliveryFactory

pytestmark = pytest.mark.django_db

NIGHTLY = Due(at=time(2, 0))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class Counter:
    """A job's work that counts its runs and the periods it was given."""

    def __init__(self, fail: bool = False):
        self.periods, self.fail = [], fail

    def __call__(self, period):
        self.periods.append(period)
        if self.fail:
            raise RuntimeError("the database went away")
        return 7


def test_a_daily_job_is_due_at_its_time_and_before_that_the_previous_days_run_is_the_latest():
    assert NIGHTLY.latest(at("2026-12-05T02:00:00")) == at("2026-12-05T02:00:00")
    assert NIGHTLY.latest(at("2026-12-05T23:59:00")) == at("2026-12-05T02:00:00")
    assert NIGHTLY.latest(at("2026-12-05T01:59:59")) == at("2026-12-04T02:00:00")


def test_a_weekly_job_is_due_on_its_weekday_and_time():
    monday = Due(at=time(0, 30), weekday=0)
    assert monday.latest(at("2026-12-07T00:30:00")) == at("2026-12-07T00:30:00")  # a Monday
    assert monday.latest(at("2026-12-07T00:29:00")) == at("2026-11-30T00:30:00")
    assert monday.latest(at("2026-12-05T12:00:00")) == at("2026-11-30T00:30:00")  # Saturday


def test_hourly_ticks_run_a_daily_job_once_per_day():
    work = Counter()
    results = [
        period_run(job="nightly", due=NIGHTLY, now=at(f"2026-12-05T{hour:02}:10:00"), work=work)
        for hour in range(2, 24)
    ]
    assert results == [7] + [None] * 21
    assert work.periods == [at("2026-12-05T02:00:00")]
    assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-06T01:10:00"), work=work) is None
    assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-06T02:10:00"), work=work) == 7
    assert PeriodRun.objects.filter(job="nightly").count() == 2


def test_a_missed_run_is_done_by_the_next_tick_even_after_midnight():
    work = Counter()
    # The worker was down from 01:00 on the 5th until 00:40 on the 6th: the 5th's run is still owed.
    assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-06T00:40:00"), work=work) == 7
    assert work.periods == [at("2026-12-05T02:00:00")]


def test_a_run_that_failed_is_not_recorded_and_the_next_tick_runs_it_again():
    with pytest.raises(RuntimeError):
        period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T02:10:00"), work=Counter(fail=True))
    assert not PeriodRun.objects.exists()
    work = Counter()
    assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T03:10:00"), work=work) == 7
    assert len(work.periods) == 1


def _wait_until_lock_is_free(key: int) -> None:
    """Wait for the server to end the closed session (it frees its locks a moment after the client hangs up)."""
    for _ in range(200):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                return
        sleep(0.05)
    raise AssertionError("the closed session's advisory lock was never released")


def test_a_job_running_elsewhere_makes_this_tick_do_nothing():
    """A second beat's tick while the first run holds the job's lock (another connection, or process)."""
    work = Counter()
    if connection.vendor == "postgresql":
        from core.periods import _lock_key

        other = connection.get_new_connection(connection.get_connection_params())
        try:
            other.autocommit = True
            other.execute("SELECT pg_advisory_lock(%s)", [_lock_key("nightly")])
            assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T02:10:00"), work=work) is None
        finally:
            other.close()  # a killed worker's connection closes the same way: its lock goes with it
        _wait_until_lock_is_free(_lock_key("nightly"))
    else:
        folder = settings.VAR_DIR / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "nightly.lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T02:10:00"), work=work) is None
    assert work.periods == []
    assert period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T03:10:00"), work=work) == 7


def test_the_lock_is_free_again_after_a_run():
    with job_lock("nightly") as got:
        assert got
    with job_lock("nightly") as got_again:
        assert got_again


def test_a_manual_run_works_at_once_and_records_nothing():
    work = Counter()
    assert (
        period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T01:00:00"), work=work, catch_up=False) == 7
    )
    assert (
        period_run(job="nightly", due=NIGHTLY, now=at("2026-12-05T01:00:00"), work=work, catch_up=False) == 7
    )
    assert not PeriodRun.objects.exists()


def test_every_daily_and_weekly_job_is_ticked_hourly_to_catch_up():
    caught_up = {name: entry for name, entry in app.conf.beat_schedule.items() if entry.get("kwargs")}
    assert set(caught_up) == {
        "red-flags-scan",
        "snapshots-write",
        "checkins-generate",
        "certification-expiry-reminders",
        "payment-reminders",
    }
    for entry in caught_up.values():
        assert entry["kwargs"] == {"catch_up": True}
        assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1


def test_the_nightly_scan_from_two_beats_runs_once(buyer):
    with time_machine.travel(at("2026-12-05T02:10:00"), tick=False):
        assert red_flags_scan_task(catch_up=True) is not None
        assert red_flags_scan_task(catch_up=True) is None
    assert PeriodRun.objects.get().job == "red-flags-scan"


def test_weekly_snapshots_caught_up_on_wednesday_write_the_week_before_that_monday(supplier_a):
    # A delivery that was due (and is late) in the weeks before: the on-time family has a value to snapshot.
    DeliveryFactory(order__supplier=supplier_a, promised_on=date(2026, 11, 20))
    with time_machine.travel(at("2026-12-09T10:35:00"), tick=False):  # Wednesday; Monday's run was missed
        snapshots_write_task(catch_up=True)
        assert snapshots_write_task(catch_up=True) is None
    weeks = set(KpiSnapshot.objects.values_list("week_start", flat=True))
    assert weeks == {date(2026, 11, 30)}
