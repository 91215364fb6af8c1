"""Queries compiled once per shape: the same rows as the queryset for every value, one query per call, and a
refusal of a query that computes on its values."""

from datetime import timedelta

import pytest
from django.db.models import Count, QuerySet

from core.compiled import CompiledQuery
from orders.models import Delivery
from tests.factories import DeliveryFactory, PurchaseOrderFactory, SupplierFactory
from tests.orders.builders import days

pytestmark = pytest.mark.django_db


def deliveries_per_supplier(*, start, end, supplier_ids) -> QuerySet:
    rows = Delivery.objects.filter(promised_on__gte=start, promised_on__lte=end)
    if supplier_ids is not None:
        rows = rows.filter(supplier_id__in=supplier_ids)
    return rows.order_by("supplier_id").values_list("supplier_id").annotate(n=Count("pk"))


@pytest.fixture
def suppliers():
    made = [SupplierFactory() for _n in range(3)]
    for count, supplier in enumerate(made, start=1):
        order = PurchaseOrderFactory(supplier=supplier)
        for n in range(count):
            DeliveryFactory(order=order, promised_on=days(-n * 10))
    return made


def test_the_rows_are_the_querysets_for_every_value_and_shape(suppliers, django_assert_num_queries):
    compiled = CompiledQuery(deliveries_per_supplier)
    ids = [s.pk for s in suppliers]
    cases = [
        {"start": days(-30), "end": days(0), "supplier_ids": ids},
        {"start": days(-5), "end": days(0), "supplier_ids": ids},  # same shape, other values
        {"start": days(-30), "end": days(0), "supplier_ids": ids[1:]},
        {"start": days(-30), "end": days(-15), "supplier_ids": None},
        {"start": days(-30), "end": days(0), "supplier_ids": []},
    ]
    for values in cases:
        with django_assert_num_queries(0 if values["supplier_ids"] == [] else 1):
            rows = [tuple(row) for row in compiled.rows(**values)]
        assert rows == list(deliveries_per_supplier(**values)), values


def test_a_query_that_computes_on_a_value_is_refused():
    def shifted(*, start):
        return Delivery.objects.filter(promised_on__gte=start + timedelta(days=1)).values_list("pk")

    with pytest.raises(ValueError, match="start"):
        list(CompiledQuery(shifted).rows(start=days(0)))


def test_a_query_that_uses_a_value_both_as_it_is_and_computed_on_is_refused():
    """The value reaches the SQL unchanged once, so only the second compilation shows the computed constant."""

    def both(*, start):
        return Delivery.objects.filter(
            promised_on__gte=start, received_on__lte=start + timedelta(days=7)
        ).values_list("pk")

    with pytest.raises(ValueError, match="constant follows"):
        list(CompiledQuery(both).rows(start=days(0)))


def test_a_string_and_a_date_are_different_shapes():
    seen = []

    def kinds(*, value):
        seen.append(value)
        rows = (
            Delivery.objects.all() if isinstance(value, str) else Delivery.objects.filter(promised_on=value)
        )
        return rows.values_list("pk")

    compiled = CompiledQuery(kinds)
    list(compiled.rows(value="date"))
    list(compiled.rows(value=days(0)))
    assert "date" in seen and any(v != "date" for v in seen)  # compiled for each, not shared
