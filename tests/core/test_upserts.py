"""The upsert that keeps the newest row (core.upserts), on the stored KPI rows: batched like bulk_create, values
prepared by their fields (JSON, decimals, datetimes, SQL NULL), and a row older than the stored one skipped and not
counted."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.upserts import upsert_keeping_newest
from scorecards.models import CurrentKpi
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
FIELDS = ["start", "end", "today", "as_of", "figures", "score", "misses_target", "forecasting"]


def rows(suppliers, *, as_of, score="71.5"):
    return [
        CurrentKpi(
            supplier=supplier,
            period="2026-12",
            start=date(2026, 12, 1),
            end=date(2026, 12, 31),
            today=date(2026, 12, 3),
            as_of=as_of,
            figures={"on_time_delivery": {"numerator": 4, "denominator": 5, "median_hours": "1.5"}},
            score=Decimal(score),
            misses_target=True,
            forecasting=None,
        )
        for supplier in suppliers
    ]


def upsert(objs, **kwargs):
    return upsert_keeping_newest(
        CurrentKpi,
        objs,
        unique_fields=["supplier", "period"],
        update_fields=FIELDS,
        newest_by="as_of",
        **kwargs,
    )


def test_rows_are_written_in_batches_with_their_values_prepared_by_their_fields():
    suppliers = SupplierFactory.create_batch(5)
    with CaptureQueriesContext(connection) as statements:
        assert upsert(rows(suppliers, as_of=NOON), batch_size=2) == 5
    assert len(statements) == 3
    stored = CurrentKpi.objects.get(supplier=suppliers[0])
    assert stored.figures == {"on_time_delivery": {"numerator": 4, "denominator": 5, "median_hours": "1.5"}}
    assert (stored.score, stored.as_of, stored.forecasting) == (Decimal("71.5"), NOON, None)
    assert CurrentKpi.objects.filter(forecasting__isnull=True).count() == 5  # SQL NULL, not JSON null


def test_an_older_row_is_skipped_and_not_counted_while_newer_and_equal_ones_overwrite():
    old, same, new = SupplierFactory.create_batch(3)
    upsert(rows([old, same, new], as_of=NOON))
    incoming = [
        *rows([old], as_of=NOON - timedelta(microseconds=1), score="10.0"),
        *rows([same], as_of=NOON, score="20.0"),
        *rows([new], as_of=NOON + timedelta(microseconds=1), score="30.0"),
    ]
    assert upsert(incoming, batch_size=2) == 2
    stored = {row.supplier_id: (row.score, row.as_of) for row in CurrentKpi.objects.all()}
    assert stored == {
        old.pk: (Decimal("71.5"), NOON),
        same.pk: (Decimal("20.0"), NOON),
        new.pk: (Decimal("30.0"), NOON + timedelta(microseconds=1)),
    }


def test_nothing_to_write_runs_no_query():
    with CaptureQueriesContext(connection) as statements:
        assert upsert([]) == 0
    assert len(statements) == 0
