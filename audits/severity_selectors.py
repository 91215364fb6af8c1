"""Reads of inspection severity: the stream a lot belongs to, the severity in force for it (for the inspection
form and its sampling plan), and the lists of states and their switches."""

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import User
from core.filters import exact_filters
from orders.models import ProductionLot, PurchaseOrder
from suppliers.models import ProductCategory, Supplier

from .models import InspectionSeverity, Severity, SeveritySwitch


def inspection_stream(
    *, supplier: Supplier, order: PurchaseOrder | None, lot: ProductionLot | None
) -> tuple[str, ProductCategory | None]:
    """Return the (SKU, category) stream a lot belongs to: its order line's SKU, the order's only SKU, else the
    supplier's only product category, else neither (all its products)."""
    if lot is not None:
        return lot.line.sku, None
    if order is not None:
        skus = set(order.lines.values_list("sku", flat=True).distinct()[:2])
        if len(skus) == 1:
            return skus.pop(), None
    categories = list(supplier.categories.all()[:2])
    if len(categories) == 1:
        return "", categories[0]
    return "", None


def severity_in_force(
    *, supplier: Supplier, order: PurchaseOrder | None = None, lot_number: str = ""
) -> InspectionSeverity:
    """Return the severity state of the stream the next lot of this order (and lot number) belongs to: the stored
    one, or an unsaved normal one when the stream has no lot yet."""
    number = " ".join((lot_number or "").split())
    lot = (
        ProductionLot.objects.filter(order=order, number=number).select_related("line").first()
        if order is not None and number
        else None
    )
    sku, category = inspection_stream(supplier=supplier, order=order, lot=lot)
    keys = {"sku": "" if category else sku, "category": category}
    state = InspectionSeverity.objects.filter(supplier=supplier, **keys).select_related("category").first()
    return state or InspectionSeverity(supplier=supplier, **keys)


def severity_list(*, user: User, filters: dict | None = None) -> QuerySet[InspectionSeverity]:
    """Return the severity states the user may see, those not on normal first, filtered by supplier or severity."""
    queryset = InspectionSeverity.objects.visible_to(user).select_related("supplier", "category")
    queryset = queryset.filter(**exact_filters(InspectionSeverity, filters, ("supplier", "severity")))
    rank = Case(
        When(severity=Severity.DISCONTINUED, then=Value(0)),
        When(severity=Severity.TIGHTENED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return queryset.order_by(rank, "supplier__name", "sku", "pk")


def severity_get(*, user: User, pk: int) -> InspectionSeverity:
    """Return one severity state the user may see, with its switches newest first, or 404."""
    switches = SeveritySwitch.objects.select_related("by", "inspection").order_by("-at", "-pk")
    return get_object_or_404(
        InspectionSeverity.objects.visible_to(user)
        .select_related("supplier", "category")
        .prefetch_related(Prefetch("switches", queryset=switches)),
        pk=pk,
    )


def severity_by_stream(*, supplier_id: int, streams) -> dict[tuple, InspectionSeverity]:
    """Return the states of a supplier's streams keyed by (sku, category id), in one query (the portal's list)."""
    states = InspectionSeverity.objects.filter(supplier_id=supplier_id).select_related("category")
    wanted = set(streams)
    return {(s.sku, s.category_id): s for s in states if (s.sku, s.category_id) in wanted}


def severity_switching_score(state) -> int:
    """Return a stream's ISO 2859-1 switching score (0 unless on normal inspection): 30 allows reduced."""
    from .services.severity import severity_score

    return severity_score(state)
