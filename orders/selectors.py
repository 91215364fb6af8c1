"""Reads of orders and deliveries for staff pages, the portal and the API; all start from visible_to(user)."""

from django.db.models import Case, Count, Min, Prefetch, Q, QuerySet, Sum, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import User
from core.filters import exact_filters, search_text

from .models import DateProposal, Delivery, OrderChange, PilotProgram, PurchaseOrder


def order_list(*, user: User, filters: dict | None = None) -> QuerySet[PurchaseOrder]:
    """Return the orders a user may see, with supplier, totals and the next promised date."""
    filters = filters or {}
    queryset = (
        PurchaseOrder.objects.visible_to(user)
        .select_related("supplier", "buyer")
        .annotate(
            line_count=Count("lines", distinct=True),
            next_promised=Min(
                "deliveries__promised_on", filter=Q(deliveries__status=Delivery.Status.PLANNED)
            ),
        )
        .order_by("-ordered_on", "-pk")
    )
    queryset = queryset.filter(**exact_filters(PurchaseOrder, filters, ("supplier", "status")))
    if filters.get("pilot") in ("1", "true", True):
        queryset = queryset.filter(pilot=True)
    if search := search_text(filters.get("q")):
        queryset = queryset.filter(Q(number__icontains=search) | Q(lines__sku__icontains=search)).distinct()
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
        order.deliveries.select_related("received_by").prefetch_related(
            Prefetch(
                "date_proposals", queryset=DateProposal.objects.select_related("proposed_by", "decided_by")
            )
        )
    )


def order_changes(*, order: PurchaseOrder) -> QuerySet[OrderChange]:
    """Return the changes the buyer made to an order after sending it."""
    return order.changes.select_related("changed_by", "line")


def order_totals(*, order: PurchaseOrder) -> dict:
    """Return the order's quantity and value (one query)."""
    from django.db.models import F

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
