"""The bench's raw-SQL red-flag scan (bench/rawsql.py) mirrors the visit_due rule: the same flags as the app's,
the same self-resolution once a visit is performed, and no notice to the factory."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection, transaction

from audits.models import Audit, VisitCadence
from bench import rawsql
from communications.models import Notification
from scorecards import alerts
from scorecards.models import RedFlag, RedFlagNote
from suppliers.models import Stage
from tests.factories import AuditFactory, PortalUserFactory, SupplierFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's raw SQL is PostgreSQL's"),
]

FIELDS = (
    "supplier_id",
    "rule",
    "period",
    "severity",
    "observed",
    "target",
    "recommended_action",
    "url",
    "state",
    "resolved_at",
)
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _flags():
    return set(RedFlag.objects.filter(rule=RedFlag.Rule.VISIT_DUE).values_list(*FIELDS))


def _raw(today, now):
    with connection.cursor() as cursor:
        rawsql.flags_scan(cursor, rawsql.flags_params(today=today, now=now))


def test_the_raw_sql_scan_raises_and_resolves_the_same_visit_due_flags(buyer):
    with time_machine.travel(datetime(2025, 1, 31, 9, 0, tzinfo=UTC), tick=False):
        never = SupplierFactory(name="Never visited", owner=buyer, stage=Stage.APPROVED)
        visited = SupplierFactory(name="Visited", owner=buyer, stage=Stage.STRATEGIC)
        recent = SupplierFactory(name="Recently visited", owner=buyer, stage=Stage.APPROVED)
    PortalUserFactory(supplier=visited)
    for supplier, months in [(never, 13), (visited, 1), (recent, 12)]:
        VisitCadence.objects.create(supplier=supplier, every_months=months)
    AuditFactory(
        supplier=visited, status=Audit.Status.PERFORMED, performed_on=date(2026, 1, 31), result="pass"
    )
    AuditFactory(supplier=recent, status=Audit.Status.PERFORMED, performed_on=date(2025, 6, 1), result="pass")
    today = NOW.date()

    app, raw = _both(lambda: alerts.flags_evaluate(today=today, now=NOW), lambda: _raw(today, NOW))
    assert raw == app
    # 31 Jan + 1 month is 28 Feb (the month's last day, on both sides); 31 Jan 2025 + 13 months is 28 Feb 2026.
    assert {(row[0], row[2]) for row in app[0]} == {
        (never.pk, "visit-never"),
        (visited.pk, "visit-after-2026-01-31"),
    }
    assert app[2] == 0  # the factory is told of no visit due

    # The app's flags stand; a visit is performed: both sides resolve that flag, with the same note.
    alerts.flags_evaluate(today=today, now=NOW)
    AuditFactory(supplier=never, status=Audit.Status.PERFORMED, performed_on=date(2026, 3, 1), result="pass")
    app, raw = _both(lambda: alerts.flags_evaluate(today=today, now=NOW), lambda: _raw(today, NOW))
    assert raw == app
    states = {row[0]: row[-1] for row in app[0]}
    assert states == {never.pk: NOW, visited.pk: None}
    assert app[1] == {(never.pk, "resolved", str(alerts.VISIT_DONE_NOTE))}


def _state():
    notes = set(RedFlagNote.objects.values_list("flag__supplier_id", "kind", "text"))
    return _flags(), notes, Notification.objects.count()


def _both(app_scan, raw_scan):
    """Run each scan from the same starting rows; return what each left."""
    savepoint = transaction.savepoint()
    app_scan()
    app = _state()
    transaction.savepoint_rollback(savepoint)
    raw_scan()
    raw = _state()
    transaction.savepoint_rollback(savepoint)
    return app, raw
