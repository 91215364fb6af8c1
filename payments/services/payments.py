"""Payments against approved invoices (partial payments allowed, never more than is owed)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.events import EventType, event_emit
from suppliers.models import ActivityKind
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import (
    CENT,
    Invoice,
    Payment,
)
from .invoices import _lock_invoice, _money

# --- Payments -------------------------------------------------------------------------------------------------


@transaction.atomic
def payment_record(*, invoice: Invoice, by: User, paid_on: date, amount: Decimal, reference: str) -> Payment:
    """Record a payment against an approved invoice; it is paid when the payments reach its amount.

    More than the amount still open is refused, and so is a second payment with the same reference (a
    double click). The invoice's paid date is the date of its latest payment.
    """
    _require(by, "payment.record")
    reference = reference.strip()
    if not reference:
        raise ValidationError({"reference": _("Enter the bank transfer's reference.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    amount = Decimal(amount).quantize(CENT)
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment date cannot be in the future.")})
    # Lock the invoice so that two payments at once cannot together pay more than it is for.
    invoice = _lock_invoice(invoice)
    if invoice.status not in (Invoice.Status.APPROVED, Invoice.Status.PARTIALLY_PAID):
        if invoice.status == Invoice.Status.PAID:
            message = _("This invoice is already paid in full.")
        else:
            message = _("The invoice is %(status)s; approve it before paying.") % {
                "status": invoice.get_status_display()
            }
        raise ValidationError(message)
    if invoice.payments.filter(reference=reference).exists():
        raise ValidationError({"reference": _("A payment with this reference is already recorded.")})
    paid = invoice.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    outstanding = invoice.amount - paid
    if amount > outstanding:
        raise ValidationError(
            {
                "amount": _("That is more than the %(open)s %(currency)s still open on this invoice.")
                % {"open": _money(outstanding), "currency": invoice.currency}
            }
        )
    payment = Payment(
        invoice=invoice,
        supplier_id=invoice.supplier_id,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        recorded_by=by,
    )
    payment.full_clean()
    payment.save()
    status_before = invoice.status
    if paid + amount == invoice.amount:
        invoice.status = Invoice.Status.PAID
        invoice.paid_on = invoice.payments.aggregate(last=Max("paid_on"))["last"]
    else:
        invoice.status = Invoice.Status.PARTIALLY_PAID
    invoice.save(update_fields=["status", "paid_on"])
    if invoice.status != status_before:
        event_emit(EventType.INVOICE_STATE, invoice, state=invoice.status)
    late = invoice.paid_on is not None and invoice.paid_on > invoice.due_on
    if invoice.status == Invoice.Status.PAID:
        kind = ActivityKind.INVOICE_PAID_LATE if late else ActivityKind.INVOICE_PAID
    else:
        kind = ActivityKind.PART_PAYMENT
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        target=invoice,
        kind=kind,
        detail=f"{invoice.number}: {_money(amount)} {invoice.currency} on {paid_on} ({reference})",
        url=payment.get_absolute_url(),
    )
    # Paid in full moves our payment timeliness (the supplier's stored KPI rows are recomputed with the check).
    red_flags_request_check(invoice.supplier_id)
    return payment
