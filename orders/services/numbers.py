"""PO numbers: a prefix, the order's year and a number counted per year (PO-2026-00042), issued race-free."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability

from ..models import OrderNumberSequence, PurchaseOrder


def order_number_format(*, year: int, number: int) -> str:
    """Return the PO number of the `number`-th order of `year`."""
    return f"{settings.FORGELINE_PO_PREFIX}-{year}-{number:05d}"


@transaction.atomic
def order_number_next(*, ordered_on: date) -> str:
    """Take the next free PO number of the order's year.

    The year's counter row is locked (SELECT ... FOR UPDATE) until the caller's transaction ends, so two buyers
    saving at once wait for each other instead of taking the same number; a rolled-back order gives its number
    back. Numbers a buyer typed by hand are skipped.
    """
    year = ordered_on.year
    # Creates the year's row once; a concurrent creator's row wins quietly (ON CONFLICT DO NOTHING).
    OrderNumberSequence.objects.bulk_create([OrderNumberSequence(year=year)], ignore_conflicts=True)
    sequence = OrderNumberSequence.objects.select_for_update().get(year=year)
    while True:
        sequence.last_number += 1
        number = order_number_format(year=year, number=sequence.last_number)
        if not PurchaseOrder.objects.filter(number=number).exists():
            break
    sequence.save(update_fields=["last_number"])
    return number


@transaction.atomic
def order_renumber(*, order: PurchaseOrder, by: User, number: str) -> PurchaseOrder:
    """Give a draft order another PO number; once sent, the factory knows it by its number and it stays."""
    require_capability(by, "order.edit")
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != PurchaseOrder.Status.DRAFT:
        raise ValidationError({"number": _("The PO number can change only before the order is sent.")})
    number = number.strip()
    if not number:
        raise ValidationError({"number": _("Enter a PO number.")})
    if PurchaseOrder.objects.filter(number=number).exclude(pk=order.pk).exists():
        raise ValidationError(
            {"number": _("Another order already has the PO number %(number)s.") % {"number": number}}
        )
    order.number = number
    order.full_clean()
    order.save(update_fields=["number"])
    return order
