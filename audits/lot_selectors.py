"""Lot-over-lot consistency of one SKU at one supplier: per production lot, the defects inspections found and
the lab results reported, oldest lot first, so a drift shows as a trend and not as one bad number."""

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from orders.models import OrderLine, ProductionLog, ProductionLot

from .models import BatchTest, QCInspection


def _per_lot(queryset, aggregate):
    """A subquery of one figure over a lot's rows of another table: no join, so two tables never multiply."""
    return Coalesce(
        Subquery(
            queryset.filter(lot=OuterRef("pk"))
            .order_by()
            .values("lot")
            .annotate(total=aggregate)
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def sku_lot_consistency(*, line: OrderLine, limit: int = 200) -> list[ProductionLot]:
    """Return the lots of a line's SKU at its supplier (every order), oldest first, with their quality figures.

    One query. Each lot carries: inspections, sampled and defective units (defect_rate in %, None when no
    inspection sampled it), lab reports passed and failed, and the days its log entries span.
    """
    logs = ProductionLog.objects.filter(lots=OuterRef("pk")).order_by()
    lots = (
        ProductionLot.objects.filter(supplier_id=line.order.supplier_id, line__sku=line.sku)
        .select_related("order", "line")
        .annotate(
            inspections_count=_per_lot(QCInspection.objects.all(), Count("pk")),
            sampled=_per_lot(QCInspection.objects.all(), Sum("sample_size")),
            defective=_per_lot(QCInspection.objects.all(), Sum("defective_units")),
            tests_passed=_per_lot(BatchTest.objects.filter(outcome=BatchTest.Outcome.PASS), Count("pk")),
            tests_failed=_per_lot(BatchTest.objects.filter(outcome=BatchTest.Outcome.FAIL), Count("pk")),
            first_produced=Subquery(logs.values("lots").annotate(d=Min("produced_on")).values("d")[:1]),
            last_produced=Subquery(logs.values("lots").annotate(d=Max("produced_on")).values("d")[:1]),
        )
        .order_by("created_at", "pk")[:limit]
    )
    rows = list(lots)
    for lot in rows:
        lot.defect_rate = round(100 * lot.defective / lot.sampled, 2) if lot.sampled else None
    return rows
