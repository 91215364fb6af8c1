"""Reminders to owners before an invoice falls due and once it is overdue (once per invoice and kind)."""

from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    Invoice,
    PaymentReminder,
)
from .invoices import _money

DUE_SOON_DAYS = 3  # the reminder before the due date goes out this many days ahead


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
