"""Reads of orders and deliveries for staff pages, the portal and the API; all start from visible_to(user)."""

from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from core.filters import exact_filters, field_accepts, search_text
from core.inputs import is_id
from suppliers.models import Contract, Supplier
from suppliers.selectors import filter_by_supplier

from .models import DateProposal, Delivery, Disruption, OrderChange, OrderLine, PilotProgram, PurchaseOrder


def order_list(*, user: User, filters: dict | None = None) -> QuerySet[PurchaseOrder]:
    """Return the orders a user may see, with supplier, line count and the next promised date.

    The per-row figures are correlated subqueries, not an aggregate over orders joined to their lines and
    deliveries: with no GROUP BY, the database walks the (ordered_on, id) index, stops at the page's LIMIT and
    computes the figures for those rows only; the paginator's COUNT leaves the unused subqueries out.
    """
    filters = filters or {}
    # COUNT as a plain function: one scalar per order, no GROUP BY inside or outside.
    line_count = (
        OrderLine.objects.filter(order_id=OuterRef("pk"))
        .order_by()
        .annotate(count=Func(F("pk"), function="COUNT"))
        .values("count")
    )
    next_promised = (
        Delivery.objects.filter(order_id=OuterRef("pk"), status=Delivery.Status.PLANNED)
        .order_by("promised_on")
        .values("promised_on")[:1]
    )
    queryset = (
        PurchaseOrder.objects.visible_to(user)
        .select_related("supplier", "buyer")
        .annotate(
            line_count=Subquery(line_count, output_field=IntegerField()),
            next_promised=Subquery(next_promised),
        )
        .order_by("-ordered_on", "-pk")
    )
    queryset = filter_by_supplier(queryset, filters.get("supplier"))
    queryset = queryset.filter(**exact_filters(PurchaseOrder, filters, ("status",)))
    if filters.get("pilot") in ("1", "true", True):
        queryset = queryset.filter(pilot=True)
    if search := search_text(filters.get("q")):
        queryset = queryset.filter(Q(number__icontains=search) | Q(lines__sku__icontains=search)).distinct()
    return queryset


def delivery_list(*, user: User, filters: dict | None = None) -> QuerySet[Delivery]:
    """Return the deliveries a user may see, soonest promised first, by supplier, status, PO number and due dates.

    Ordered by (promised_on, id), the delivery_promised_id_idx index: a page, or an export of a million rows
    read through a cursor, walks the index instead of sorting the table."""
    filters = filters or {}
    queryset = (
        Delivery.objects.visible_to(user).select_related("order", "supplier").order_by("promised_on", "pk")
    )
    queryset = filter_by_supplier(queryset, filters.get("supplier"))
    queryset = queryset.filter(**exact_filters(Delivery, filters, ("status",)))
    promised_on = Delivery._meta.get_field("promised_on")
    if (value := filters.get("due_from")) and field_accepts(promised_on, value):
        queryset = queryset.filter(promised_on__gte=value)
    if (value := filters.get("due_to")) and field_accepts(promised_on, value):
        queryset = queryset.filter(promised_on__lte=value)
    if search := search_text(filters.get("q")):
        queryset = queryset.filter(order__number__icontains=search)
    return queryset


def order_get(*, user: User, pk: int) -> PurchaseOrder:
    """Return one order the user may see, with everything its page shows, or answer 404."""
    queryset = PurchaseOrder.objects.visible_to(user).select_related(
        "supplier", "buyer", "pilot_program", "acknowledged_by"
    )
    order = get_object_or_404(queryset, pk=pk)
    return order


def order_deliveries(*, order: PurchaseOrder) -> list[Delivery]:
    """Return an order's deliveries with their date proposals (two queries)."""
    return list(
        order.deliveries.select_related("received_by", "excused_by", "excuse_disruption").prefetch_related(
            Prefetch(
                "date_proposals", queryset=DateProposal.objects.select_related("proposed_by", "decided_by")
            )
        )
    )


def delivery_lines(*, delivery: Delivery) -> list[OrderLine]:
    """Return the order lines a delivery carries (those due on its original date), each with `outstanding`.

    `outstanding` is the line's quantity less what was accepted (received and not rejected) against it so far.
    """
    lines = list(
        OrderLine.objects.filter(order_id=delivery.order_id, required_on=delivery.original_promised_on)
        .annotate(
            accepted=Coalesce(Sum("receipt_lines__quantity_received"), 0)
            - Coalesce(Sum("receipt_lines__quantity_rejected"), 0)
        )
        .order_by("pk")
    )
    for line in lines:
        line.outstanding = max(0, line.quantity - line.accepted)
    return lines


def order_changes(*, order: PurchaseOrder) -> QuerySet[OrderChange]:
    """Return the changes of a sent order, proposed by either side, open or answered, newest first."""
    return order.changes.select_related("changed_by", "line", "answered_by")


def order_changes_applied(*, order: PurchaseOrder) -> QuerySet[OrderChange]:
    """Return the changes that apply to an order (accepted, agreed, or a counter accepted), oldest first."""
    return (
        order.changes.filter(
            status__in=[*OrderChange.APPLIED_AS_PROPOSED, OrderChange.Status.COUNTER_ACCEPTED]
        )
        .exclude(kind=OrderChange.Kind.CANCELLATION, status=OrderChange.Status.COUNTER_ACCEPTED)
        .select_related("line")
        .order_by("changed_at", "pk")
    )


def order_totals(*, order: PurchaseOrder) -> dict:
    """Return the order's quantity and value (one query)."""
    return order.lines.aggregate(
        total_quantity=Sum("quantity"), total_amount=Sum(F("quantity") * F("unit_price"))
    )


def deliveries_awaiting_decision(*, user: User) -> QuerySet[DateProposal]:
    """Return supplier date proposals waiting for the buyer's answer, oldest first."""
    return (
        DateProposal.objects.filter(
            delivery__in=Delivery.objects.visible_to(user), status=DateProposal.Status.PENDING
        )
        .select_related("delivery__order", "delivery__supplier", "proposed_by")
        .order_by("proposed_at")
    )


def pilot_list(*, user: User) -> QuerySet[PilotProgram]:
    """Return pilot programmes, running (and extended) ones first."""
    running_first = Case(
        When(status__in=[PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED], then=Value(0)),
        default=Value(1),
    )
    return (
        PilotProgram.objects.visible_to(user)
        .select_related("supplier")
        .annotate(order_count=Count("orders"), running_first=running_first)
        .order_by("running_first", "-starts_on")
    )


def supplier_contract(*, supplier: Supplier, today: date) -> Contract | None:
    """Return the supplier's contract in force today, else its latest one (lead time, Incoterm, payment terms)."""
    contracts = list(Contract.objects.filter(supplier=supplier).order_by("-valid_from", "-pk")[:10])
    in_force = [contract for contract in contracts if contract.is_in_force_on(today)]
    return (in_force or contracts or [None])[0]


def supplier_order_hints(*, user: User, supplier_id, today: date) -> dict | None:
    """Return what the order form suggests for a supplier: SKUs ordered from it before, and its lead time.

    None when the user may not see the supplier. `earliest_required` is today plus the lead time: a required date
    sooner than that asks the factory for less time than the contract gives it.
    """
    if not is_id(supplier_id):
        return None
    supplier = Supplier.objects.visible_to(user).filter(pk=supplier_id).first()
    if supplier is None:
        return None
    skus = list(
        OrderLine.objects.filter(order__in=PurchaseOrder.objects.visible_to(user).filter(supplier=supplier))
        .values("sku")
        .annotate(description=Max("description"), last_ordered=Max("order__ordered_on"))
        .order_by("-last_ordered", "sku")[:50]
    )
    contract = supplier_contract(supplier=supplier, today=today)
    lead_time = contract.lead_time_days if contract is not None else None
    return {
        "supplier": supplier,
        "skus": skus,
        "contract": contract,
        "lead_time_days": lead_time,
        "earliest_required": today + timedelta(days=lead_time) if lead_time is not None else None,
    }


def disruption_list() -> QuerySet[Disruption]:
    """Return the declared disruptions, newest first, with their suppliers and how many deliveries they excused."""
    return (
        Disruption.objects.select_related("declared_by")
        .prefetch_related("suppliers")
        .annotate(excused_count=Count("excused_deliveries"))
        .order_by("-starts_on", "-pk")
    )


def delivery_visible(*, user: User) -> QuerySet[Delivery]:
    """Return the deliveries a user may see (a factory contact: its own, of orders sent)."""
    return Delivery.objects.visible_to(user).select_related("order", "supplier")
