"""Every write on invoices, discrepancies, payments, payment-term changes and payment reminders."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from orders.models import PurchaseOrder
from suppliers.models import Supplier
from suppliers.services import activity_record

from . import selectors
from .models import (
    CENT,
    Invoice,
    InvoiceDiscrepancy,
    InvoiceLine,
    Payment,
    PaymentReminder,
    PaymentTermChange,
)

DUE_SOON_DAYS = 3  # the reminder before the due date goes out this many days ahead


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
) -> Invoice:
    """Record a supplier's invoice against an order, fix its terms and due date, and run the three-way match.

    Staff record invoices that came by mail; a factory contact submits its own, with the PDF. Each line names
    the order line it bills ({"order_line", "quantity", "unit_price"}). The terms are those in force on the
    invoice date and the due date is the invoice date plus those terms. A line priced above the agreed price,
    or billing more than was received, opens a discrepancy and puts the invoice on hold.
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
    if order.status in (PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.CANCELLED):
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
    amount = sum((line.amount for line in built), Decimal("0")).quantize(CENT)
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
    found = _three_way_match(invoice=invoice, lines=built)
    if found:
        invoice.status = Invoice.Status.DISPUTED
        invoice.save(update_fields=["status"])
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        verb=_("Invoice received with discrepancies") if found else _("Invoice received"),
        detail=f"{invoice.number}: {_money(invoice.amount)} {invoice.currency}, {order.number}",
        url=invoice.get_absolute_url(),
    )
    return invoice


def _three_way_match(*, invoice: Invoice, lines: list[InvoiceLine]) -> list[InvoiceDiscrepancy]:
    """Compare each line with the order (price) and the receipts (quantity); record one row per failure.

    Price: a unit price above the order line's agreed price. Quantity: deliveries are received per shipment,
    not per item, so received goods are known per order: the units billed on all of the order's invoices
    (rejected ones aside) may not exceed the units received. This invoice's lines draw, in order, on what
    was received and not yet billed; a line going beyond it gets the discrepancy.
    """
    invoicing = selectors.order_invoicing(order=invoice.order)
    billed_elsewhere = invoicing["invoiced"] - sum(line.quantity for line in lines)
    unbilled = max(invoicing["received"] - billed_elsewhere, 0)
    found = []
    for line in lines:
        agreed = line.order_line.unit_price
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
        Invoice.objects.filter(pk=invoice.pk, status=Invoice.Status.DISPUTED).update(
            status=Invoice.Status.SUBMITTED
        )
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        verb=_("Invoice discrepancy resolved"),
        detail=f"{invoice.number}: {discrepancy.get_kind_display()} — {note}",
        url=discrepancy.get_absolute_url(),
    )
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
        verb=_("Invoice approved for payment"),
        detail=f"{invoice.number}: {_money(invoice.amount)} {invoice.currency}, due {invoice.due_on}",
        url=invoice.get_absolute_url(),
    )
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
        verb=_("Invoice rejected"),
        detail=f"{invoice.number}: {reason}",
        url=invoice.get_absolute_url(),
    )
    return invoice


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
    if paid + amount == invoice.amount:
        invoice.status = Invoice.Status.PAID
        invoice.paid_on = invoice.payments.aggregate(last=Max("paid_on"))["last"]
    else:
        invoice.status = Invoice.Status.PARTIALLY_PAID
    invoice.save(update_fields=["status", "paid_on"])
    late = invoice.paid_on is not None and invoice.paid_on > invoice.due_on
    if invoice.status == Invoice.Status.PAID:
        verb = _("Invoice paid late") if late else _("Invoice paid")
    else:
        verb = _("Part payment made")
    activity_record(
        supplier=invoice.supplier_id,
        actor=by,
        verb=verb,
        detail=f"{invoice.number}: {_money(amount)} {invoice.currency} on {paid_on} ({reference})",
        url=payment.get_absolute_url(),
    )
    return payment


# --- Payment-term changes -------------------------------------------------------------------------------------


@transaction.atomic
def term_change_propose(
    *, supplier: Supplier, by: User, new_terms_days: int, effective_on: date, reason: str
) -> PaymentTermChange:
    """Propose new payment terms to a supplier; nothing changes until the supplier accepts them."""
    _require(by, "terms.propose")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the terms should change; the supplier reads it.")})
    if effective_on < timezone.localdate():
        raise ValidationError({"effective_on": _("New terms cannot take effect in the past.")})
    current = selectors.payment_terms_for(supplier=supplier, on=effective_on)
    if new_terms_days == current.days:
        raise ValidationError(
            {
                "new_terms_days": _("%(days)s days are already the terms in force (%(source)s).")
                % {"days": current.days, "source": current.source}
            }
        )
    if PaymentTermChange.objects.filter(supplier=supplier, status=PaymentTermChange.Status.PROPOSED).exists():
        raise ValidationError(_("A proposal to this supplier is already waiting for its answer."))
    change = PaymentTermChange(
        supplier=supplier,
        previous_terms_days=current.days,
        new_terms_days=new_terms_days,
        effective_on=effective_on,
        reason=reason,
        proposed_by=by,
    )
    change.full_clean()
    change.save()
    activity_record(
        supplier=supplier,
        actor=by,
        verb=_("New payment terms proposed"),
        detail=f"{change.previous_terms_days} → {change.new_terms_days} days from {effective_on}: {reason}",
        url=change.get_absolute_url(),
    )
    recipients = list(supplier.portal_users.filter(is_active=True).values_list("email", flat=True))
    if recipients:
        transaction.on_commit(
            lambda: send_mail(
                subject=_("New payment terms proposed: %(days)s days") % {"days": new_terms_days},
                message=_(
                    "We propose to change your payment terms from %(old)s to %(new)s days from %(day)s.\n\n"
                    "%(reason)s\n\nPlease accept or dispute the proposal in the supplier portal."
                )
                % {
                    "old": change.previous_terms_days,
                    "new": new_terms_days,
                    "day": effective_on,
                    "reason": reason,
                },
                from_email=None,
                recipient_list=recipients,
            )
        )
    return change


def _term_transition(
    change: PaymentTermChange, *, allowed_from: set[str], to: str, **fields
) -> PaymentTermChange:
    """Move a term change on with a conditional update, so that of two answers exactly one wins."""
    won = PaymentTermChange.objects.filter(pk=change.pk, status__in=allowed_from).update(status=to, **fields)
    change.refresh_from_db()
    if not won:
        raise ValidationError(
            _("This proposal is %(status)s; it cannot be answered again.")
            % {"status": change.get_status_display().lower()}
        )
    return change


def _require_supplier_answer(by: User, change: PaymentTermChange) -> None:
    if not by.is_portal_user:
        raise PermissionDenied(
            _("Only the supplier answers a proposal; a manager may record an agreement reached another way.")
        )
    _require_own(by, change.supplier_id)


@transaction.atomic
def term_change_accept(*, change: PaymentTermChange, by: User, comment: str = "") -> PaymentTermChange:
    """The supplier accepts proposed terms: they apply to invoices dated from the effective date."""
    _require_supplier_answer(by, change)
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED},
        to=PaymentTermChange.Status.ACCEPTED,
        answered_by=by,
        answered_at=timezone.now(),
        supplier_comment=comment.strip(),
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        verb=_("Payment terms accepted by the supplier"),
        detail=f"{change.new_terms_days} days from {change.effective_on}",
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_dispute(*, change: PaymentTermChange, by: User, comment: str) -> PaymentTermChange:
    """The supplier disputes proposed terms with a comment; the terms stay as they are."""
    _require_supplier_answer(by, change)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Tell us what you disagree with; the buyer reads it.")})
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED},
        to=PaymentTermChange.Status.DISPUTED,
        answered_by=by,
        answered_at=timezone.now(),
        supplier_comment=comment,
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        verb=_("Payment terms disputed by the supplier"),
        detail=comment,
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_record_agreement(*, change: PaymentTermChange, by: User, note: str) -> PaymentTermChange:
    """A manager records that the supplier agreed another way (a call, a meeting, a letter); the terms apply."""
    _require(by, "terms.record_agreement")
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how and with whom the agreement was reached.")})
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED, PaymentTermChange.Status.DISPUTED},
        to=PaymentTermChange.Status.AGREED,
        agreed_by=by,
        agreed_at=timezone.now(),
        agreement_note=note,
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        verb=_("Payment terms agreed outside the portal"),
        detail=f"{change.new_terms_days} days from {change.effective_on}: {note}",
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_withdraw(*, change: PaymentTermChange, by: User) -> PaymentTermChange:
    """Withdraw a proposal that is waiting or disputed; the terms stay as they are."""
    _require(by, "terms.propose")
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED, PaymentTermChange.Status.DISPUTED},
        to=PaymentTermChange.Status.WITHDRAWN,
        withdrawn_by=by,
        withdrawn_at=timezone.now(),
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        verb=_("Payment-term proposal withdrawn"),
        detail=f"{change.previous_terms_days} → {change.new_terms_days} days",
        url=change.get_absolute_url(),
    )
    return change


# --- Reminders ------------------------------------------------------------------------------------------------


def payment_reminders_send(*, today: date) -> int:
    """Email each supplier's owner about unpaid invoices due within 3 days or overdue; once per invoice and kind.

    The reminder row (unique per invoice and kind) is written first, so running this twice, even at once,
    emails nobody twice.
    """
    owners: dict[int, list[tuple[Invoice, str]]] = {}
    candidates = (
        Invoice.objects.filter(status__in=Invoice.UNPAID, due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        .select_related("supplier__owner")
        .order_by("due_on", "pk")
    )
    for invoice in candidates:
        kind = PaymentReminder.Kind.OVERDUE if invoice.due_on < today else PaymentReminder.Kind.DUE_SOON
        with transaction.atomic():
            _reminder, created = PaymentReminder.objects.get_or_create(invoice=invoice, kind=kind)
        if created:
            owners.setdefault(invoice.supplier.owner_id, []).append((invoice, kind))
    for items in owners.values():
        owner = items[0][0].supplier.owner
        lines = [
            f"- {invoice.supplier.name}: {invoice.number}, {_money(invoice.amount)} {invoice.currency} — "
            f"{PaymentReminder.Kind(kind).label} ({invoice.due_on:%Y-%m-%d}, {invoice.get_status_display()})"
            for invoice, kind in items
        ]
        send_mail(
            subject=_("Forgeline: %(n)s invoice(s) to pay") % {"n": len(items)},
            message=_("Pay these invoices on time; suppliers see how promptly we pay:")
            + "\n\n"
            + "\n".join(lines),
            from_email=None,
            recipient_list=[owner.email],
        )
    return sum(len(items) for items in owners.values())
