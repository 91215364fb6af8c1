"""Invoices: record one with the three-way match, resolve its discrepancies, approve or reject it."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from core.events import EventType, event_emit
from core.money import check_decimals
from orders.models import OrderCharge, PurchaseOrder
from pricing.selectors import agreed_unit_price
from suppliers.models import ActivityKind
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from .. import selectors
from ..models import (
    CENT,
    Invoice,
    InvoiceCharge,
    InvoiceDiscrepancy,
    InvoiceLine,
)


def _money(value) -> str:
    return f"{Decimal(value):,.2f}"


# --- Invoices -------------------------------------------------------------------------------------------------


@transaction.atomic
def invoice_record(
    *,
    order: PurchaseOrder,
    by: User,
    number: str,
    invoice_date: date,
    lines: list[dict],
    received_on: date | None = None,
    document=None,
    notes: str = "",
    charges: list[dict] | None = None,
) -> Invoice:
    """Record a supplier's invoice against an order, fix its terms and due date, and run the three-way match.

    Staff record invoices that came by mail; a factory contact submits its own, with the PDF. Each line names
    the order line it bills ({"order_line", "quantity", "unit_price"}); each extra charge its kind, amount and
    reason ({"kind", "amount", "reason"}). The terms are those in force on the invoice date and the due date is
    the invoice date plus those terms. A line priced above the agreed price, billing more than was received, or
    a charge not agreed on the order opens a discrepancy and puts the invoice on hold.
    """
    _require_own(by, order.supplier_id)
    if by.is_portal_user:
        if not document:
            raise ValidationError({"document": _("Attach the invoice as a PDF.")})
    else:
        _require(by, "invoice.edit")
    today = timezone.localdate()
    received_on = received_on or today
    # Lock the order: two invoices for one order must not both count the same received goods as unbilled.
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status in (
        PurchaseOrder.Status.DRAFT,
        PurchaseOrder.Status.CANCELLED,
        PurchaseOrder.Status.DECLINED,
    ):
        raise ValidationError(
            _("The order is %(status)s; it cannot be invoiced.") % {"status": order.get_status_display()}
        )
    if invoice_date > today:
        raise ValidationError({"invoice_date": _("An invoice date cannot be in the future.")})
    if received_on > today:
        raise ValidationError({"received_on": _("The date received cannot be in the future.")})
    if received_on < invoice_date:
        raise ValidationError({"received_on": _("An invoice cannot arrive before its own date.")})
    if not lines:
        raise ValidationError(_("An invoice needs at least one line."))

    order_lines = {line.pk: line for line in order.lines.all()}
    built: list[InvoiceLine] = []
    for index, data in enumerate(lines, start=1):
        order_line_id = getattr(data.get("order_line"), "pk", data.get("order_line"))
        if order_line_id not in order_lines:
            raise ValidationError(
                _("Line %(n)s: that item is not on order %(order)s.") % {"n": index, "order": order.number}
            )
        if any(line.order_line_id == order_line_id for line in built):
            raise ValidationError(
                _("Line %(n)s: %(sku)s is billed twice; put it on one line.")
                % {"n": index, "sku": order_lines[order_line_id].sku}
            )
        line = InvoiceLine(
            order_line=order_lines[order_line_id],
            quantity=data.get("quantity"),
            unit_price=data.get("unit_price"),
        )
        try:
            line.full_clean(exclude=["invoice"], validate_constraints=False)
        except ValidationError as exc:
            raise ValidationError(
                _("Line %(n)s: %(errors)s") % {"n": index, "errors": "; ".join(exc.messages)}
            ) from exc
        built.append(line)
    built_charges = _charges_build(charges or [], currency=order.currency)
    amount = sum((line.amount for line in built), Decimal("0")).quantize(CENT)
    amount += sum((charge.amount for charge in built_charges), Decimal("0"))
    if amount <= 0:
        raise ValidationError(_("The invoice comes to zero; enter the unit prices."))

    terms = selectors.payment_terms_for(supplier=order.supplier_id, on=invoice_date)
    invoice = Invoice(
        supplier_id=order.supplier_id,
        order=order,
        number=number.strip(),
        invoice_date=invoice_date,
        received_on=received_on,
        currency=order.currency,
        amount=amount,
        payment_terms_days=terms.days,
        terms_source=terms.source,
        due_on=invoice_date + timedelta(days=terms.days),
        document=document or "",
        notes=notes.strip(),
        submitted_by=by,
    )
    invoice.full_clean()
    invoice.save()
    for line in built:
        line.invoice = invoice
        line.save()
    for charge in built_charges:
        charge.invoice = invoice
        charge.save()
    found = _three_way_match(invoice=invoice, lines=built)
    found += _charges_match(invoice=invoice, charges=built_charges)
    if found:
        invoice.status = Invoice.Status.DISPUTED
        invoice.save(update_fields=["status"])
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        target=invoice,
        kind=ActivityKind.INVOICE_RECEIVED_WITH_DISCREPANCIES if found else ActivityKind.INVOICE_RECEIVED,
        detail=f"{invoice.number}: {_money(invoice.amount)} {invoice.currency}, {order.number}",
        url=invoice.get_absolute_url(),
    )
    event_emit(EventType.INVOICE_STATE, invoice, state=invoice.status)
    red_flags_request_check(invoice.supplier_id)
    return invoice


def _three_way_match(*, invoice: Invoice, lines: list[InvoiceLine]) -> list[InvoiceDiscrepancy]:
    """Compare each line with the order (price) and the receipts (quantity); record one row per failure.

    Price: a unit price above the agreed price (pricing.selectors.agreed_unit_price). Quantity: deliveries are received per shipment,
    not per item, so received goods are known per order: the units billed on all of the order's invoices
    (rejected ones aside) may not exceed the units received. This invoice's lines draw, in order, on what
    was received and not yet billed; a line going beyond it gets the discrepancy.
    """
    invoicing = selectors.order_invoicing(order=invoice.order)
    billed_elsewhere = invoicing["invoiced"] - sum(line.quantity for line in lines)
    unbilled = max(invoicing["received"] - billed_elsewhere, 0)
    found = []
    for line in lines:
        agreed = agreed_unit_price(
            line.order_line
        )  # the agreement in force on the order date, else the line's
        if line.unit_price > agreed:
            found.append(
                InvoiceDiscrepancy(
                    invoice=invoice,
                    line=line,
                    supplier_id=invoice.supplier_id,
                    kind=InvoiceDiscrepancy.Kind.PRICE,
                    expected=agreed,
                    invoiced=line.unit_price,
                )
            )
        if line.quantity > unbilled:
            found.append(
                InvoiceDiscrepancy(
                    invoice=invoice,
                    line=line,
                    supplier_id=invoice.supplier_id,
                    kind=InvoiceDiscrepancy.Kind.QUANTITY,
                    expected=unbilled,
                    invoiced=line.quantity,
                )
            )
        unbilled = max(unbilled - line.quantity, 0)
    return list(InvoiceDiscrepancy.objects.bulk_create(found))


def _charges_build(charges: list[dict], *, currency: str) -> list[InvoiceCharge]:
    """Check the extra charges an invoice carries and return them unsaved; a charge without a reason is refused."""
    built = []
    for index, data in enumerate(charges, start=1):
        charge = InvoiceCharge(
            kind=data.get("kind") or "",
            amount=data.get("amount"),
            reason=" ".join(str(data.get("reason") or "").split()),
        )
        errors = []
        if not charge.reason:
            errors.append(_("say what the charge is for (a charge without a reason is refused)."))
        try:
            # The reason's length is checked here too; its emptiness above, in words a factory understands.
            charge.full_clean(
                exclude=["invoice"] + ([] if charge.reason else ["reason"]), validate_constraints=False
            )
            check_decimals(charge.amount, currency)
        except ValidationError as exc:
            errors += exc.messages
        if errors:
            raise ValidationError(_("Charge %(n)s: %(errors)s") % {"n": index, "errors": "; ".join(errors)})
        built.append(charge)
    return built


def _charges_match(*, invoice: Invoice, charges: list[InvoiceCharge]) -> list[InvoiceDiscrepancy]:
    """Hold each extra charge against the charges agreed on the order; record one row per charge not covered.

    An agreed charge (OrderCharge) covers its kind up to its cap over all the order's invoices (rejected ones
    aside): this invoice's charges of that kind draw, in order, on what is left; a charge of a kind not agreed,
    or going beyond what is left, gets a discrepancy whose expected amount is what was left. Safe to run twice:
    a charge that already has its discrepancy gets no second one.
    """
    if not charges:
        return []
    left = dict(OrderCharge.objects.filter(order_id=invoice.order_id).values_list("kind", "amount_cap"))
    billed_elsewhere = (
        InvoiceCharge.objects.filter(invoice__order_id=invoice.order_id, kind__in=list(left))
        .exclude(invoice=invoice)
        .exclude(invoice__status=Invoice.Status.REJECTED)
        .order_by()
        .values_list("kind")
        .annotate(total=Sum("amount"))
    )
    for kind, total in billed_elsewhere:
        left[kind] = max(left[kind] - total, Decimal("0"))
    flagged = set(InvoiceDiscrepancy.objects.filter(charge__in=charges).values_list("charge_id", flat=True))
    found = []
    for charge in charges:
        room = left.get(charge.kind, Decimal("0"))
        if charge.amount > room and charge.pk not in flagged:
            found.append(
                InvoiceDiscrepancy(
                    invoice=invoice,
                    charge=charge,
                    supplier_id=invoice.supplier_id,
                    kind=InvoiceDiscrepancy.Kind.CHARGE,
                    expected=room,
                    invoiced=charge.amount,
                )
            )
        left[charge.kind] = max(room - charge.amount, Decimal("0"))
    return InvoiceDiscrepancy.objects.bulk_create(found)


def _lock_invoice(invoice: Invoice) -> Invoice:
    return Invoice.objects.select_for_update().get(pk=invoice.pk)


@transaction.atomic
def discrepancy_resolve(*, discrepancy: InvoiceDiscrepancy, by: User, note: str) -> InvoiceDiscrepancy:
    """Close a discrepancy with a note (price accepted, credit note promised, goods arrived ...); when the
    last one closes, the invoice can be approved."""
    _require(by, "invoice.edit")
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Write down how the discrepancy was settled.")})
    # Lock the invoice first: two people closing its last two discrepancies must not both miss the other.
    invoice = _lock_invoice(discrepancy.invoice)
    won = InvoiceDiscrepancy.objects.filter(pk=discrepancy.pk, status=InvoiceDiscrepancy.Status.OPEN).update(
        status=InvoiceDiscrepancy.Status.RESOLVED,
        resolved_by=by,
        resolved_at=timezone.now(),
        resolution_note=note,
    )
    if not won:
        raise ValidationError(_("This discrepancy was already resolved."))
    discrepancy.refresh_from_db()
    if not invoice.discrepancies.filter(status=InvoiceDiscrepancy.Status.OPEN).exists():
        matched = Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.DISPUTED).update(
            status=Invoice.Status.SUBMITTED
        )
        if matched:
            invoice.status = Invoice.Status.SUBMITTED
            event_emit(EventType.INVOICE_STATE, invoice, state=invoice.status)
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        target=invoice,
        kind=ActivityKind.DISCREPANCY_RESOLVED,
        detail=f"{invoice.number}: {discrepancy.get_kind_display()} — {note}",
        url=discrepancy.get_absolute_url(),
    )
    red_flags_request_check(invoice.supplier_id)
    return discrepancy


@transaction.atomic
def invoice_approve(*, invoice: Invoice, by: User) -> Invoice:
    """Approve a matched invoice for payment; refused while a discrepancy is open."""
    _require(by, "invoice.edit")
    invoice = _lock_invoice(invoice)
    open_count = invoice.discrepancies.filter(status=InvoiceDiscrepancy.Status.OPEN).count()
    if open_count:
        raise ValidationError(
            _("Resolve the open discrepancies first (%(n)s open).") % {"n": open_count},
        )
    won = Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.SUBMITTED).update(
        status=Invoice.Status.APPROVED, decided_by=by, decided_at=timezone.now()
    )
    if not won:
        raise ValidationError(
            _("The invoice is %(status)s; it cannot be approved now.")
            % {"status": invoice.get_status_display()}
        )
    invoice.refresh_from_db()
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        target=invoice,
        kind=ActivityKind.INVOICE_APPROVED,
        detail=f"{invoice.number}: {_money(invoice.amount)} {invoice.currency}, due {invoice.due_on}",
        url=invoice.get_absolute_url(),
    )
    event_emit(EventType.INVOICE_STATE, invoice, state=invoice.status)
    return invoice


@transaction.atomic
def invoice_reject(*, invoice: Invoice, by: User, reason: str) -> Invoice:
    """Reject an invoice not yet approved (wrong order, wrong prices kept); the supplier sees the reason and
    sends a corrected one. Its open discrepancies close with that reason."""
    _require(by, "invoice.edit")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the invoice is rejected; the supplier sees it.")})
    invoice = _lock_invoice(invoice)
    now = timezone.now()
    won = Invoice.objects.filter(
        pk=invoice.pk, status__in=[Invoice.Status.SUBMITTED, Invoice.Status.DISPUTED]
    ).update(status=Invoice.Status.REJECTED, decided_by=by, decided_at=now, rejection_reason=reason)
    if not won:
        raise ValidationError(
            _("The invoice is %(status)s; it cannot be rejected now.")
            % {"status": invoice.get_status_display()}
        )
    invoice.discrepancies.filter(status=InvoiceDiscrepancy.Status.OPEN).update(
        status=InvoiceDiscrepancy.Status.RESOLVED,
        resolved_by=by,
        resolved_at=now,
        resolution_note=_("Invoice rejected: %(reason)s") % {"reason": reason},
    )
    invoice.refresh_from_db()
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        target=invoice,
        kind=ActivityKind.INVOICE_REJECTED,
        detail=f"{invoice.number}: {reason}",
        url=invoice.get_absolute_url(),
    )
    event_emit(EventType.INVOICE_STATE, invoice, state=invoice.status)
    red_flags_request_check(invoice.supplier_id)
    return invoice
