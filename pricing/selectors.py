"""Reads of the pricing app, reused by views, the portal, the API, orders and the three-way match."""

from datetime import date
from decimal import Decimal

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.clock import business_today
from core.filters import search_text
from core.inputs import is_id

from .models import CostBreakdownRequest, PriceAgreement, PriceChangeRequest


def agreement_in_force(*, supplier_id: int, sku: str, on: date) -> PriceAgreement | None:
    """Return the agreement version of a supplier's SKU in force on a day, or None."""
    return (
        PriceAgreement.objects.filter(supplier_id=supplier_id, sku=sku)
        .in_force(on)
        .order_by("-valid_from")
        .first()
    )


def agreements_in_force(*, supplier_id: int, skus, on: date) -> dict[str, PriceAgreement]:
    """Return agreement_in_force() of each of a supplier's SKUs on a day, keyed by SKU, in one query."""
    wanted = sorted({sku for sku in skus if sku})
    if not wanted:
        return {}
    found: dict[str, PriceAgreement] = {}
    versions = (
        PriceAgreement.objects.filter(supplier_id=supplier_id, sku__in=wanted)
        .in_force(on)
        .order_by("sku", "-valid_from")
    )
    for agreement in versions:
        found.setdefault(agreement.sku, agreement)  # the newest version in force, as agreement_in_force()
    return found


class AgreementBook:
    """Every version of the agreements of some suppliers' SKUs, read at once, answering agreements_in_force() for
    any of them on any day without another query: an import pricing thousands of orders reads them once.

    Read when built: a version recorded afterwards is not in it (an orders import writes none). A supplier or a
    SKU it was not built for is looked up as agreements_in_force() does.
    """

    CHUNK = 500  # ids or SKUs per query: well under any database's limit of parameters

    def __init__(self, *, supplier_ids, skus):
        ids, wanted = sorted(set(supplier_ids)), sorted({sku for sku in skus if sku})
        self._supplier_ids, self._skus = set(ids), set(wanted)
        self._versions: dict[tuple[int, str], list[PriceAgreement]] = {}
        for start in range(0, len(ids), self.CHUNK):
            for sku_start in range(0, len(wanted), self.CHUNK):
                versions = PriceAgreement.objects.filter(
                    supplier_id__in=ids[start : start + self.CHUNK],
                    sku__in=wanted[sku_start : sku_start + self.CHUNK],
                ).order_by("supplier_id", "sku", "-valid_from")
                for agreement in versions:
                    self._versions.setdefault((agreement.supplier_id, agreement.sku), []).append(agreement)

    def in_force(self, *, supplier_id: int, skus, on: date) -> dict[str, PriceAgreement]:
        """Return what agreements_in_force() returns for the same arguments (the newest version in force)."""
        wanted = {sku for sku in skus if sku}
        if supplier_id not in self._supplier_ids or not wanted <= self._skus:
            return agreements_in_force(supplier_id=supplier_id, skus=wanted, on=on)
        found: dict[str, PriceAgreement] = {}
        for sku in sorted(wanted):
            for agreement in self._versions.get((supplier_id, sku), ()):
                if agreement.in_force_on(on):
                    found[sku] = agreement
                    break
        return found


def agreed_unit_price_sql(line: str = ""):
    """Return agreed_unit_price() as an SQL expression over an order line reached through `line` ("" for the
    order line itself, "order_line__" from an invoice line): for figures over many lines in one query."""
    in_force = (
        PriceAgreement.objects.filter(
            supplier_id=OuterRef(f"{line}order__supplier_id"),
            sku=OuterRef(f"{line}sku"),
            currency=OuterRef(f"{line}order__currency"),
        )
        .in_force(OuterRef(f"{line}order__ordered_on"))
        .order_by("-valid_from")
        .values("unit_price")[:1]
    )
    return Coalesce(Subquery(in_force), F(f"{line}unit_price"))


def agreed_unit_price(line) -> Decimal:
    """Return the unit price an invoice of an order line is checked against.

    The agreement in force on the order date, in the order's currency, when there is one; else the line's price.
    """
    order = line.order
    agreement = agreement_in_force(supplier_id=order.supplier_id, sku=line.sku, on=order.ordered_on)
    if agreement is not None and agreement.currency == order.currency:
        return agreement.unit_price
    return line.unit_price


def agreement_list(*, user, filters: dict | None = None, current_only: bool = False) -> QuerySet:
    """Return the agreement versions a user may see, newest first per SKU, filtered by supplier or SKU."""
    filters = filters or {}
    rows = PriceAgreement.objects.visible_to(user).select_related("supplier", "created_by")
    if is_id(filters.get("supplier")):
        rows = rows.filter(supplier_id=filters["supplier"])
    if sku := search_text(filters.get("sku"))[:64]:
        rows = rows.filter(sku__icontains=sku)
    if current_only:  # in force today or later (an upcoming version shows next to the one it replaces)
        rows = rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate()))
    return rows.order_by("supplier__name", "sku", "-valid_from", "-pk")


def agreement_get(*, user, pk) -> PriceAgreement:
    """Return one agreement version the user may see; 404 otherwise."""
    return get_object_or_404(PriceAgreement.objects.visible_to(user).select_related("supplier"), pk=pk)


def agreement_history(*, agreement: PriceAgreement) -> QuerySet:
    """Return every version of the agreement's supplier and SKU, newest first."""
    return PriceAgreement.objects.filter(supplier_id=agreement.supplier_id, sku=agreement.sku).select_related(
        "created_by", "price_change"
    )


def price_change_list(*, user, filters: dict | None = None) -> QuerySet:
    """Return the price-change requests a user may see, newest first, with their items."""
    filters = filters or {}
    rows = (
        PriceChangeRequest.objects.visible_to(user)
        .select_related("supplier", "requested_by")
        .prefetch_related("items__agreement")
    )
    if is_id(filters.get("supplier")):
        rows = rows.filter(supplier_id=filters["supplier"])
    if (status := filters.get("status")) in PriceChangeRequest.Status.values:
        rows = rows.filter(status=status)
    elif status == "open":
        rows = rows.filter(status__in=PriceChangeRequest.OPEN)
    return rows


def price_change_get(*, user, pk) -> PriceChangeRequest:
    """Return one price-change request the user may see; 404 otherwise."""
    return get_object_or_404(
        PriceChangeRequest.objects.visible_to(user)
        .select_related("supplier", "requested_by", "decided_by", "answered_by")
        .prefetch_related("items__agreement", "documents"),
        pk=pk,
    )


def breakdown_list(*, user, filters: dict | None = None) -> QuerySet:
    """Return the cost-breakdown requests a user may see, newest first."""
    filters = filters or {}
    rows = CostBreakdownRequest.objects.visible_to(user).select_related(
        "supplier", "requested_by", "answered_by"
    )
    if is_id(filters.get("supplier")):
        rows = rows.filter(supplier_id=filters["supplier"])
    if (status := filters.get("status")) in CostBreakdownRequest.Status.values:
        rows = rows.filter(status=status)
    if sku := (filters.get("sku") or "").strip():
        rows = rows.filter(sku=sku)
    if (kind := filters.get("kind")) in BREAKDOWN_KINDS:
        rows = rows.filter(internal=kind == "internal")
    return rows


BREAKDOWN_KINDS = ("factory", "internal")


def breakdown_get(*, user, pk) -> CostBreakdownRequest:
    """Return one cost-breakdown request the user may see; 404 otherwise (a factory: its own, never internal)."""
    return get_object_or_404(
        CostBreakdownRequest.objects.visible_to(user).select_related(
            "supplier", "requested_by", "answered_by", "assessed_by"
        ),
        pk=pk,
    )


def breakdown_comparison(*, user, breakdown: CostBreakdownRequest) -> dict:
    """Return what a staff member reads beside a breakdown (2 queries).

    `history`: every answered row of the same supplier and SKU, the factory's and the buyer's internal estimates,
    newest first; `other`: the newest row of the other side in the same currency (an internal estimate beside a
    factory's answer, and the reverse); `lines`: per amount, this row's, the other's and the difference (this
    row's minus the other's, and its share of the other's); `agreed`: the agreement in force today.
    """
    history = list(
        CostBreakdownRequest.objects.visible_to(user)
        .filter(
            supplier_id=breakdown.supplier_id, sku=breakdown.sku, status=CostBreakdownRequest.Status.ANSWERED
        )
        .select_related("answered_by")
        .order_by("-answered_at", "-pk")[:50]
    )
    other = next(
        (
            row
            for row in history
            if row.internal != breakdown.internal
            and row.currency == breakdown.currency
            and row.pk != breakdown.pk
        ),
        None,
    )
    lines = []
    for name in ("material", "labour", "overhead", "margin", "breakdown_total"):
        mine = getattr(breakdown, name)
        theirs = getattr(other, name) if other else None
        difference = share = None
        if mine is not None and theirs is not None:
            difference = mine - theirs
            share = (difference / theirs * 100).quantize(Decimal("0.1")) if theirs else None
        label = (
            _("Total")
            if name == "breakdown_total"
            else CostBreakdownRequest._meta.get_field(name).verbose_name
        )
        lines.append(
            {
                "name": name,
                "label": label,
                "mine": mine,
                "other": theirs,
                "difference": difference,
                "share": share,
            }
        )
    agreed = agreement_in_force(supplier_id=breakdown.supplier_id, sku=breakdown.sku, on=business_today())
    return {"history": history, "other": other, "lines": lines, "agreed": agreed}
