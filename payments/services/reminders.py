"""Reminders to owners before an invoice falls due and once it is overdue (once per invoice and kind).

The reminder row is the outbox entry: written first (unique per invoice and kind), marked sent only after the
mail server accepted the owner's email, taken again by the hourly sweep after a failure or a lost worker.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.leases import unsent_deliver

from ..models import (
    Invoice,
    PaymentReminder,
)
from .invoices import _money

DUE_SOON_DAYS = 3  # the reminder before the due date goes out this many days ahead


# --- Reminders ------------------------------------------------------------------------------------------------


def payment_reminders_send(*, today: date, now: datetime | None = None) -> int:
    """Record a reminder for each unpaid invoice due within 3 days or overdue, then email what is due.

    The reminder row (unique per invoice and kind) is written first, so running this twice, even at once,
    records each reminder once. Returns how many reminders this call emailed.
    """
    candidates = Invoice.objects.filter(
        status__in=Invoice.UNPAID, due_on__lte=today + timedelta(days=DUE_SOON_DAYS)
    ).order_by("due_on", "pk")
    for invoice in candidates:
        kind = PaymentReminder.Kind.OVERDUE if invoice.due_on < today else PaymentReminder.Kind.DUE_SOON
        with transaction.atomic():
            PaymentReminder.objects.get_or_create(invoice=invoice, kind=kind)
    return payment_reminders_deliver(now=now or timezone.now())


def payment_reminders_deliver(*, now: datetime) -> int:
    """Email each owner one message listing their unsent payment reminders (the sweep calls this too)."""
    return unsent_deliver(
        PaymentReminder.objects.select_related("invoice__supplier__owner"),
        now=now,
        kind="payment-reminders",
        recipient=lambda reminder: reminder.invoice.supplier.owner,
        compose=_payment_reminders_email,
    )


def _payment_reminders_email(reminders) -> tuple[str, str]:
    lines = [
        f"- {r.invoice.supplier.name}: {r.invoice.number}, {_money(r.invoice.amount)} {r.invoice.currency} — "
        f"{PaymentReminder.Kind(r.kind).label} ({r.invoice.due_on:%Y-%m-%d}, {r.invoice.get_status_display()})"
        for r in reminders
    ]
    return (
        _("Forgeline: %(n)s invoice(s) to pay") % {"n": len(reminders)},
        _("Pay these invoices on time; suppliers see how promptly we pay:") + "\n\n" + "\n".join(lines),
    )
