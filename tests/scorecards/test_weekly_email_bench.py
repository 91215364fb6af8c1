"""The bench's weekly-email step (bench/weekly_email.py) leaves the database as it found it: the flags and
notifications its nightly scan inserted are deleted, and what the scan changed of the flags that were already there
(a flag resolved by itself, with its note) is put back, so `--weekly-email-only` can run on a database that holds
flags."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from audits.models import Audit, VisitCadence
from bench import weekly_email
from communications.models import Notification
from scorecards import alerts
from scorecards.models import RedFlag, RedFlagNote
from suppliers.models import Stage
from tests.factories import AuditFactory, SupplierFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
FIGURES = {
    "runs_s": [1.0],
    "runs_cpu_s": [1.0],
    "context_s": 0.5,
    "pdf_kb": 10,
    "suppliers_in_digest": 2,
    "peak_rss_mb": 100.0,
    "baseline_rss_mb": 80.0,
}


def _columns(flag_id):
    return RedFlag.objects.filter(pk=flag_id).values().get()


def test_the_scans_changes_to_older_flags_are_undone_and_its_new_flags_deleted(buyer, manager, monkeypatch):
    with time_machine.travel(datetime(2025, 1, 31, 9, 0, tzinfo=UTC), tick=False):
        never = SupplierFactory(name="Never visited", owner=buyer, stage=Stage.APPROVED)
        later = SupplierFactory(name="Visited a while ago", owner=buyer, stage=Stage.APPROVED)
    VisitCadence.objects.create(supplier=never, every_months=13)
    alerts.flags_evaluate(today=NOW.date(), now=NOW)  # an earlier night's flag, still open
    older = RedFlag.objects.get(supplier=never, rule=RedFlag.Rule.VISIT_DUE)
    before = _columns(older.pk)
    notes, notifications = RedFlagNote.objects.count(), Notification.objects.count()
    # Since then: a visit is performed (the scan resolves the older flag), another supplier falls due (a new flag).
    AuditFactory(supplier=never, status=Audit.Status.PERFORMED, performed_on=date(2026, 3, 1), result="pass")
    AuditFactory(supplier=later, status=Audit.Status.PERFORMED, performed_on=date(2026, 1, 31), result="pass")
    VisitCadence.objects.create(supplier=later, every_months=1)

    seen = {}

    def child(**_kwargs):  # the email is built while the scan's rows stand
        seen["older"] = RedFlag.objects.get(pk=older.pk).state
        seen["new"] = RedFlag.objects.filter(supplier=later).count()
        return FIGURES

    monkeypatch.setattr(weekly_email, "_child", child)
    results = weekly_email.bench_weekly_email(size=None, manager=manager, today=NOW.date(), now=NOW)

    assert seen == {"older": RedFlag.State.RESOLVED, "new": 1}
    assert results["flags_raised"] == 1 and results["older_flags_restored"] == 1
    assert _columns(older.pk) == before
    assert RedFlag.objects.count() == 1 and not RedFlag.objects.filter(supplier=later).exists()
    assert (RedFlagNote.objects.count(), Notification.objects.count()) == (notes, notifications)
