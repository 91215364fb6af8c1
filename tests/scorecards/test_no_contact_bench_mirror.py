"""The bench's raw-SQL red-flag scan (bench/rawsql.py) mirrors the no_contact rule as the app has it: only schedules
already running count, and a supplier never in touch is flagged only once its schedule is older than the gap."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.db import connection, transaction

from audits.models import Audit
from bench import rawsql
from communications.models import CheckInSchedule
from scorecards import alerts
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.factories import AuditFactory, SupplierFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's raw SQL is PostgreSQL's"),
]

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


def _flags():
    return set(
        RedFlag.objects.filter(rule=RedFlag.Rule.NO_CONTACT).values_list(
            "supplier_id", "period", "observed", "target", "severity"
        )
    )


def _both():
    """Run each scan from the same starting rows; return the no-contact flags each left."""
    savepoint = transaction.savepoint()
    alerts.flags_evaluate(today=TODAY, now=NOW)
    app = _flags()
    transaction.savepoint_rollback(savepoint)
    with connection.cursor() as cursor:
        rawsql.flags_scan(cursor, rawsql.flags_params(today=TODAY, now=NOW))
    raw = _flags()
    transaction.savepoint_rollback(savepoint)
    return app, raw


def test_the_raw_sql_scan_raises_the_same_no_contact_flags(buyer):
    suppliers = {}
    # (name, the schedule's first day, the last contact: a visit on that day, or none)
    for name, starts_on, visited_on in [
        ("Never, schedule old", TODAY - timedelta(days=60), None),
        ("Never, schedule new", TODAY - timedelta(days=5), None),
        ("Schedule not started", TODAY + timedelta(days=3), None),
        ("Seen long ago", TODAY - timedelta(days=90), TODAY - timedelta(days=30)),
        ("Seen lately", TODAY - timedelta(days=90), TODAY - timedelta(days=2)),
    ]:
        supplier = SupplierFactory(name=name, owner=buyer, stage=Stage.APPROVED)
        CheckInSchedule.objects.create(
            supplier=supplier, cadence=CheckInSchedule.Cadence.WEEKLY, weekday=1, local_time=time(9, 0),
            starts_on=starts_on, created_by=buyer,
        )  # fmt: skip
        if visited_on:
            AuditFactory(
                supplier=supplier, status=Audit.Status.PERFORMED, performed_on=visited_on,
                planned_on=visited_on, result="pass",
            )  # fmt: skip
        suppliers[name] = supplier.pk

    app, raw = _both()

    assert raw == app
    assert {row[0] for row in app} == {suppliers["Never, schedule old"], suppliers["Seen long ago"]}
    assert date(2026, 3, 2).isocalendar().week == int(next(iter(app))[1].split("W")[1])
