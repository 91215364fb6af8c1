"""Reads of invoices, payments, discrepancies and payment terms for staff pages, the portal and the API; all
start from visible_to(user). `payment_terms_for` is the one rule for which terms apply on a day."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import User
from core.filters import exact_filters, field_accepts, search_text
from orders.models import Delivery, PurchaseOrder
from suppliers.models import Contract, Supplier
from suppliers.selectors import filter_by_supplier

from .models import Invoice, InvoiceCharge, InvoiceDiscrepancy, InvoiceLine, Payment, PaymentTermChange

DEFAULT_TERMS_DAYS = 30
DUE_WINDOW_DAYS = 14  # the due list: invoices falling due within two weeks, and every overdue one


@dataclass(frozen=True)
class PaymentTerms:
    """The payment terms in force for a supplier on a day, and where they come from."""

    days: int
    source: str


def payment_terms_for(*, supplier: Supplier | int, on: date) -> PaymentTerms:
    """Return the payment terms in force for a supplier on a day (two queries).

    The most recent agreement in force that day wins: a term change the supplier accepted (or a manager
    recorded as agreed) from its effective date, or the signed contract in force, whichever took effect
    later. Without either, the default of 30 days applies. A proposal not yet accepted never counts.
    """
    supplier_id = supplier if isinstance(supplier, int) else supplier.pk
    change = (
        PaymentTermChange.objects.filter(
            supplier_id=supplier_id, status__in=PaymentTermChange.IN_FORCE, effective_on__lte=on
        )
        .order_by("-effective_on", "-pk")
        .first()
    )
    contract = (
        Contract.objects.filter(supplier_id=supplier_id, signed_on__isnull=False, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-pk")
        .first()
    )
    # A change agreed after the contract amends it; a contract signed after the change replaces it.
    if change is not None and (contract is None or change.effective_on >= contract.valid_from):
        return PaymentTerms(
            change.new_terms_days,
            _("term change agreed for %(day)s") % {"day": change.effective_on.isoformat()},
        )
    if contract is not None:
        label = contract.reference or contract.title
        return PaymentTerms(contract.payment_terms_days, _("contract %(name)s") % {"name": label})
    return PaymentTerms(DEFAULT_TERMS_DAYS, _("default terms (no contract in force)"))


def _with_totals(queryset: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Annotate paid_total, outstanding and open_discrepancies with subqueries (no join multiplies the rows)."""
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    open_count = (
        InvoiceDiscrepancy.objects.filter(invoice=OuterRef("pk"), status=InvoiceDiscrepancy.Status.OPEN)
        .order_by()
        .values("invoice")
        .annotate(n=Count("pk"))
        .values("n")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    return queryset.annotate(
        paid_total=Coalesce(Subquery(paid, output_field=money), Value(Decimal("0")), output_field=money),
        open_discrepancies=Coalesce(Subquery(open_count), Value(0)),
    ).annotate(outstanding=ExpressionWrapper(F("amount") - F("paid_total"), output_field=money))


def invoice_list(*, user: User, filters: dict | None = None) -> QuerySet[Invoice]:
    """Return the invoices a user may see, with supplier, order, amount paid and open discrepancies."""
    filters = filters or {}
    queryset = _with_totals(
        Invoice.objects.visible_to(user).select_related("supplier", "order").order_by("-invoice_date", "-pk")
    )
    queryset = filter_by_supplier(queryset, filters.get("supplier"))
    queryset = queryset.filter(**exact_filters(Invoice, filters, ("status", "order")))
    if search := search_text(filters.get("q")):
        queryset = queryset.filter(Q(number__icontains=search) | Q(order__number__icontains=search))
    return queryset


def payment_list(*, user: User, filters: dict | None = None) -> QuerySet[Payment]:
    """Return the payments a user may see, latest first, by supplier, invoice or PO number and payment dates."""
    filters = filters or {}
    queryset = (
        Payment.objects.visible_to(user)
        .select_related("supplier", "invoice__order")
        .order_by("-paid_on", "-pk")
    )
    queryset = filter_by_supplier(queryset, filters.get("supplier"))
    paid_on = Payment._meta.get_field("paid_on")
    if (value := filters.get("paid_from")) and field_accepts(paid_on, value):
        queryset = queryset.filter(paid_on__gte=value)
    if (value := filters.get("paid_to")) and field_accepts(paid_on, value):
        queryset = queryset.filter(paid_on__lte=value)
    if search := search_text(filters.get("q")):
        queryset = queryset.filter(
            Q(invoice__number__icontains=search)
            | Q(invoice__order__number__icontains=search)
            | Q(reference__icontains=search)
        )
    return queryset


def invoices_due(*, user: User, today: date, within_days: int = DUE_WINDOW_DAYS) -> QuerySet[Invoice]:
    """Return unpaid invoices due within `within_days` of today, and every overdue one, soonest first."""
    return _with_totals(
        Invoice.objects.visible_to(user)
        .filter(status__in=Invoice.UNPAID, due_on__lte=today + timedelta(days=within_days))
        .select_related("supplier", "order")
        .order_by("due_on", "pk")
    )


def invoice_get(*, user: User, pk: int) -> Invoice:
    """Return one invoice the user may see, with its totals, or answer 404."""
    queryset = _with_totals(
        Invoice.objects.visible_to(user).select_related("supplier", "order", "submitted_by", "decided_by")
    )
    return get_object_or_404(queryset, pk=pk)


def invoice_lines(*, invoice: Invoice) -> list[InvoiceLine]:
    """Return an invoice's lines with their order lines and discrepancies (two queries)."""
    return list(
        invoice.lines.select_related("order_line").prefetch_related(
            Prefetch("discrepancies", queryset=InvoiceDiscrepancy.objects.order_by("kind"))
        )
    )


def invoice_charges(*, invoice: Invoice) -> list[InvoiceCharge]:
    """Return an invoice's extra charges with their discrepancies (two queries)."""
    return list(invoice.charges.prefetch_related("discrepancies"))


def invoice_discrepancies(*, invoice: Invoice) -> QuerySet[InvoiceDiscrepancy]:
    """Return an invoice's discrepancies, open ones first."""
    return invoice.discrepancies.select_related("line__order_line", "charge", "resolved_by").order_by(
        "-status", "pk"
    )


def invoice_payments(*, invoice: Invoice) -> QuerySet[Payment]:
    """Return the payments made against an invoice, oldest first."""
    return invoice.payments.select_related("recorded_by").order_by("paid_on", "pk")


def order_invoicing(*, order: PurchaseOrder) -> dict:
    """Return what an order has had received and invoiced so far: the quantities the three-way match compares.

    Returns {"received": units received on the order, "invoiced": units on its invoices (rejected ones
    aside), "lines": {order_line_id: units invoiced on that line}} in two queries.
    """
    received = Delivery.objects.filter(order=order, received_on__isnull=False).aggregate(
        total=Sum("quantity_received")
    )["total"]
    per_line = dict(
        InvoiceLine.objects.filter(invoice__order=order)
        .exclude(invoice__status=Invoice.Status.REJECTED)
        .order_by()
        .values("order_line_id")
        .annotate(total=Sum("quantity"))
        .values_list("order_line_id", "total")
    )
    return {"received": received or 0, "invoiced": sum(per_line.values()), "lines": per_line}


def orders_to_invoice(*, user: User, shipped: bool = False) -> QuerySet[PurchaseOrder]:
    """Return the orders a user may see that can take an invoice (sent and not cancelled), newest first;
    with `shipped`, only those with goods shipped or received (the ones a factory usually bills)."""
    queryset = PurchaseOrder.objects.visible_to(user).exclude(
        status__in=[
            PurchaseOrder.Status.DRAFT,
            PurchaseOrder.Status.CANCELLED,
            PurchaseOrder.Status.DECLINED,
        ]
    )
    if shipped:
        queryset = queryset.filter(
            pk__in=Delivery.objects.filter(
                status__in=[Delivery.Status.SHIPPED, Delivery.Status.RECEIVED]
            ).values("order_id")
        )
    return queryset.select_related("supplier").order_by("-ordered_on", "-pk")


def discrepancy_list(*, user: User, filters: dict | None = None) -> QuerySet[InvoiceDiscrepancy]:
    """Return the discrepancies a user may see, open ones first."""
    filters = filters or {}
    queryset = (
        InvoiceDiscrepancy.objects.visible_to(user)
        .select_related("invoice", "line__order_line", "charge", "supplier")
        .order_by("-status", "-created_at", "-pk")
    )
    return queryset.filter(
        **exact_filters(InvoiceDiscrepancy, filters, ("status", "kind", "supplier", "invoice"))
    )


def term_change_list(*, user: User, filters: dict | None = None) -> QuerySet[PaymentTermChange]:
    """Return the payment-term changes a user may see, newest first."""
    filters = filters or {}
    queryset = PaymentTermChange.objects.visible_to(user).select_related(
        "supplier", "proposed_by", "answered_by", "agreed_by", "withdrawn_by"
    )
    queryset = queryset.filter(**exact_filters(PaymentTermChange, filters, ("supplier", "status")))
    return queryset.order_by("-proposed_at", "-pk")


def term_change_get(*, user: User, pk: int) -> PaymentTermChange:
    """Return one payment-term change the user may see, or answer 404."""
    return get_object_or_404(term_change_list(user=user), pk=pk)
