"""Extra charges the buyer agreed to on an order (tooling, freight ...): the three-way match lets invoice charges
through up to these caps and flags the rest as hidden costs."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from core.money import check_decimals
from suppliers.models import ActivityKind
from suppliers.services import activity_record

from ..models import OrderCharge, PurchaseOrder

CLOSED_STATUSES = (PurchaseOrder.Status.CANCELLED, PurchaseOrder.Status.DECLINED, PurchaseOrder.Status.CLOSED)


@transaction.atomic
def order_charge_set(
    *, order: PurchaseOrder, by: User, kind: str, amount_cap: Decimal, note: str = ""
) -> OrderCharge:
    """Record (or change) the charge of one kind the buyer agreed to on an order, up to `amount_cap`."""
    require_capability(by, "order.edit")
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status in CLOSED_STATUSES:
        raise ValidationError(
            _("The order is %(status)s; its agreed charges cannot change.")
            % {"status": order.get_status_display()}
        )
    charge = OrderCharge.objects.filter(order=order, kind=kind).first() or OrderCharge(
        order=order, kind=kind, created_by=by
    )
    charge.amount_cap, charge.note = amount_cap, " ".join(str(note or "").split())
    charge.full_clean(validate_constraints=False)
    check_decimals(charge.amount_cap, order.currency, field="amount_cap")
    charge.save()
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CHANGED,
        detail=f"{order.number}: {charge.kind} ≤ {charge.amount_cap:,.2f} {order.currency}",
        url=charge.get_absolute_url(),
    )
    return charge


@transaction.atomic
def order_charge_remove(*, charge: OrderCharge, by: User) -> None:
    """Withdraw an agreed charge from an order; invoices already matched keep what their match found."""
    require_capability(by, "order.edit")
    order = PurchaseOrder.objects.select_for_update().get(pk=charge.order_id)
    if order.status in CLOSED_STATUSES:
        raise ValidationError(
            _("The order is %(status)s; its agreed charges cannot change.")
            % {"status": order.get_status_display()}
        )
    deleted, _rows = OrderCharge.objects.filter(pk=charge.pk).delete()
    if not deleted:
        raise ValidationError(_("This agreed charge was already removed."))
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CHANGED,
        detail=f"{order.number}: {charge.kind} withdrawn",
        url=order.get_absolute_url(),
    )
