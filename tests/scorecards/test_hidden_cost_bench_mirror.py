"""The bench's raw-SQL red-flag scan (bench/rawsql.py) mirrors the hidden_cost rule: the same flags as the app's."""

import pytest
from django.db import connection
from django.utils import timezone

from bench import rawsql
from scorecards import alerts
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.factories import PurchaseOrderFactory
from tests.payments.factories import (
    ChargeDiscrepancyFactory,
    DiscrepancyFactory,
    InvoiceChargeFactory,
    InvoiceFactory,
    InvoiceLineFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's raw SQL is PostgreSQL's"),
]

FIELDS = (
    "supplier_id",
    "rule",
    "period",
    "observed",
    "target",
    "recommended_action",
    "url",
    "discrepancy_id",
)


def test_the_raw_sql_scan_raises_the_same_price_and_hidden_cost_flags(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    invoice = InvoiceFactory(order=PurchaseOrderFactory(supplier=supplier_a))
    DiscrepancyFactory(line=InvoiceLineFactory(invoice=invoice))
    ChargeDiscrepancyFactory(charge=InvoiceChargeFactory(invoice=invoice))
    today, now = timezone.localdate(), timezone.now()
    money = [RedFlag.Rule.PRICE_ABOVE_AGREED, RedFlag.Rule.HIDDEN_COST]

    alerts.flags_evaluate(today=today, now=now)
    app = set(RedFlag.objects.filter(rule__in=money).values_list(*FIELDS))
    RedFlag.objects.all().delete()
    with connection.cursor() as cursor:
        rawsql.flags_scan(cursor, rawsql.flags_params(today=today, now=now))
    raw = set(RedFlag.objects.filter(rule__in=money).values_list(*FIELDS))

    assert {row[1] for row in app} == set(money)
    assert raw == app
