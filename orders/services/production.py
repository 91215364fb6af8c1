"""Production of a sent order: the factory starts it with a planned finish, then logs output per line and lot."""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.permissions import require_own_supplier as _require_own
from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS, check_bounds
from core.workflow_events import workflow_emit

from ..models import OrderLine, ProductionLog, ProductionLot, ProductionPlan, PurchaseOrder
from .orders import _transition

# A planned finish further out than this is a typo, not a plan.
MAX_PLANNED_DAYS = 730
# A line may be produced beyond what was ordered (overruns, spares), but not beyond this multiple of it.
MAX_OVERRUN_FACTOR = 2
# A log entry names at most this many lots; each lot number is at most 64 characters (the column).
MAX_LOTS_PER_ENTRY = 20
MAX_ISSUES_LENGTH = 2000
# Orders the factory may log output on: in production, and still producing while the first goods ship.
LOGGABLE = (
    PurchaseOrder.Status.IN_PRODUCTION,
    PurchaseOrder.Status.SHIPPED,
    PurchaseOrder.Status.PARTIALLY_RECEIVED,
)


def _require_factory_or_staff(by: User, supplier_id: int) -> None:
    """The order's own factory contact, or staff who may edit orders (acting for the factory)."""
    _require_own(by, supplier_id)
    if not by.is_portal_user:
        require_capability(by, "order.edit")


@transaction.atomic
def order_start_production(
    *, order: PurchaseOrder, by: User, planned_finish_on: date | None = None
) -> PurchaseOrder:
    """Record that production of a sent or acknowledged order started, and when the factory plans to finish.

    The factory gives a planned finish (from the portal or the API); an import of orders already in production
    may leave it empty.
    """
    _require_factory_or_staff(by, order.supplier_id)
    today = timezone.localdate()
    if planned_finish_on is None and by.is_portal_user:
        raise ValidationError({"planned_finish_on": _("Give the date you plan to finish production.")})
    if planned_finish_on is not None:
        check_bounds("planned_finish_on", planned_finish_on, DATE_BOUNDS)
        if planned_finish_on < today:
            raise ValidationError({"planned_finish_on": _("The planned finish cannot be in the past.")})
        if planned_finish_on > today + timedelta(days=MAX_PLANNED_DAYS):
            raise ValidationError(
                {
                    "planned_finish_on": _(
                        "The planned finish is more than %(days)s days away; check the date."
                    )
                    % {"days": MAX_PLANNED_DAYS}
                }
            )
    order = _transition(
        order,
        allowed_from={PurchaseOrder.Status.SENT, PurchaseOrder.Status.ACKNOWLEDGED},
        to=PurchaseOrder.Status.IN_PRODUCTION,
    )
    plan, _created = ProductionPlan.objects.update_or_create(
        order=order,
        defaults={
            "supplier_id": order.supplier_id,
            "started_on": today,
            "planned_finish_on": planned_finish_on,
            "started_by": by,
        },
    )
    workflow_emit("production_started", order=order, plan=plan, by=by)
    return order


def lot_numbers_parse(text: str | list) -> list[str]:
    """Return the distinct lot numbers of a comma-, semicolon- or newline-separated text (or a list), in order."""
    items = text if isinstance(text, list) else re.split(r"[,;\n]+", text or "")
    numbers: list[str] = []
    for item in items:
        number = " ".join(str(item).split())
        if number and number not in numbers:
            numbers.append(number)
    return numbers


@transaction.atomic
def production_log_add(
    *,
    line: OrderLine,
    by: User,
    produced_on: date,
    quantity: int,
    lot_numbers: str | list,
    issues: str = "",
) -> ProductionLog:
    """Record what the factory produced of one order line on one day, in which lots, and the issues met."""
    order = PurchaseOrder.objects.select_for_update().get(pk=line.order_id)
    _require_factory_or_staff(by, order.supplier_id)
    if order.status not in LOGGABLE:
        raise ValidationError(
            _("Production can be logged only on an order in production; this one is %(status)s.")
            % {"status": order.get_status_display()}
        )
    check_bounds("produced_on", produced_on, DATE_BOUNDS)
    check_bounds("quantity", quantity, QUANTITY_BOUNDS)
    if produced_on > timezone.localdate():
        raise ValidationError({"produced_on": _("The production date cannot be in the future.")})
    if produced_on < order.ordered_on:
        raise ValidationError({"produced_on": _("The production date is before the order was placed.")})
    if quantity is None or quantity < 1:
        raise ValidationError({"quantity": _("Ensure this value is greater than or equal to 1.")})
    produced = line.production_logs.aggregate(total=Sum("quantity"))["total"] or 0
    if produced + quantity > line.quantity * MAX_OVERRUN_FACTOR:
        raise ValidationError(
            {
                "quantity": _("That makes %(total)s produced of %(ordered)s ordered; check the quantity.")
                % {"total": produced + quantity, "ordered": line.quantity}
            }
        )
    issues = (issues or "").strip()
    if len(issues) > MAX_ISSUES_LENGTH:
        raise ValidationError(
            {"issues": _("Keep the issues under %(n)s characters.") % {"n": MAX_ISSUES_LENGTH}}
        )
    numbers = lot_numbers_parse(lot_numbers)
    if not numbers:
        raise ValidationError({"lot_numbers": _("Name the lot (or lots) produced.")})
    if len(numbers) > MAX_LOTS_PER_ENTRY:
        raise ValidationError(
            {"lot_numbers": _("Name at most %(n)s lots in one entry.") % {"n": MAX_LOTS_PER_ENTRY}}
        )
    if any(len(number) > 64 for number in numbers):
        raise ValidationError({"lot_numbers": _("A lot number has at most 64 characters.")})
    existing = {lot.number: lot for lot in ProductionLot.objects.filter(order=order, number__in=numbers)}
    for number, lot in existing.items():
        if lot.line_id != line.pk:
            raise ValidationError(
                {
                    "lot_numbers": _("Lot %(lot)s is already logged on another line of this order (%(sku)s).")
                    % {"lot": number, "sku": lot.line.sku}
                }
            )
    lots = [
        existing.get(number)
        or ProductionLot.objects.create(order=order, line=line, supplier_id=order.supplier_id, number=number)
        for number in numbers
    ]
    log = ProductionLog(
        order=order,
        line=line,
        supplier_id=order.supplier_id,
        produced_on=produced_on,
        quantity=quantity,
        issues=issues,
        logged_by=by,
    )
    log.full_clean()
    log.save()
    log.lots.set(lots)
    if issues:
        workflow_emit("production_issue_reported", log=log, by=by)
    return log
