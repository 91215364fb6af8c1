"""Answers to changes of a sent order.

The buyer's proposals (orders.order_line_change, orders.order_cancel on a sent order) wait for the factory, which
accepts or counters them with its own values and a reason; a manager may record one as agreed another way; the
buyer may withdraw one, or accept the factory's counter. The factory may decline an order, or confirm it with
changes of its own per line, which the buyer accepts or rejects. Only an accepted or agreed change is applied.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.permissions import require_own_supplier as _require_own
from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS, check_bounds
from suppliers.models import ActivityKind
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from .. import hooks
from ..models import OrderChange, OrderLine, PurchaseOrder
from .orders import (
    _apply_line_change,
    _check_line_values,
    _editable_after_send,
    _end_order,
    _require_staff,
)

RECORD_AGREEMENT = "order.record_agreement"


def _require_factory(by: User, order: PurchaseOrder) -> None:
    if not by.is_portal_user:
        raise PermissionDenied(
            _("Only the factory answers a proposal; a manager may record an agreement reached another way.")
        )
    _require_own(by, order.supplier_id)


def _lock_order(change: OrderChange) -> PurchaseOrder:
    """Lock the change's order: answers and applications of one order's changes run one at a time."""
    return PurchaseOrder.objects.select_for_update().get(pk=change.order_id)


def _transition(change: OrderChange, *, allowed_from, to: str, **fields) -> OrderChange:
    """Move a change on with a conditional update, so that of two answers exactly one wins."""
    won = OrderChange.objects.filter(pk=change.pk, status__in=allowed_from).update(status=to, **fields)
    change.refresh_from_db()
    if not won:
        raise ValidationError(
            _("This change is %(status)s; it cannot be answered again.")
            % {"status": change.get_status_display().lower()}
        )
    return change


def _require_side(change: OrderChange, side: str) -> None:
    if change.side != side:
        raise ValidationError(_("This change was proposed by the other side; it is theirs to answer."))


def _apply(
    *, change: OrderChange, order: PurchaseOrder, by: User, quantity: int | None, required_on: date | None
) -> None:
    """Apply agreed values to the order: a cancellation ends it, a line change moves its line and deliveries."""
    _editable_after_send(order)
    if change.kind == OrderChange.Kind.CANCELLATION:
        _end_order(
            order=order, by=by, to=PurchaseOrder.Status.CANCELLED, note=_("Closed: the order was cancelled.")
        )
        return
    if change.line_id is None:
        raise ValidationError(_("The line of this change no longer exists."))
    _apply_line_change(order=order, line=change.line, quantity=quantity, required_on=required_on)
    red_flags_request_check(order.supplier_id)


def _record(*, order: PurchaseOrder, by: User, detail: str) -> None:
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CHANGED,
        detail=f"{order.number}: {detail}"[:300],
        url=order.get_absolute_url(),
    )


def _answered(by: User, note: str = "") -> dict:
    return {"answered_by": by, "answered_at": timezone.now(), "answer_note": note.strip()}


# --- The factory answers the buyer's proposals ---------------------------------------------------------------


@transaction.atomic
def order_change_accept(*, change: OrderChange, by: User, note: str = "") -> OrderChange:
    """The factory accepts the buyer's proposed change: it applies to the order now."""
    _require_factory(by, change.order)
    _require_side(change, OrderChange.Side.BUYER)
    order = _lock_order(change)
    change = _transition(
        change,
        allowed_from=[OrderChange.Status.PROPOSED],
        to=OrderChange.Status.ACCEPTED,
        **_answered(by, note),
    )
    _apply(
        change=change, order=order, by=by, quantity=change.new_quantity, required_on=change.new_required_on
    )
    _record(
        order=order, by=by, detail=_("the factory accepted: %(kind)s") % {"kind": change.get_kind_display()}
    )
    hooks.order_event(event=hooks.CHANGE_ACCEPTED, order=order, changes=[change], by=by)
    return change


@transaction.atomic
def order_change_counter(
    *,
    change: OrderChange,
    by: User,
    reason: str,
    quantity: int | None = None,
    required_on: date | None = None,
) -> OrderChange:
    """The factory counters the buyer's proposal with its own value and a reason; the old values stand.

    A quantity change is countered with a quantity, a date change with a date; a cancellation with a reason only.
    """
    _require_factory(by, change.order)
    _require_side(change, OrderChange.Side.BUYER)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you propose something else; the buyer reads it.")})
    check_bounds("quantity", quantity, QUANTITY_BOUNDS)
    check_bounds("required_on", required_on, DATE_BOUNDS)
    if change.kind == OrderChange.Kind.QUANTITY:
        required_on = None
        if quantity is None or quantity < 1:
            raise ValidationError({"quantity": _("Give the quantity you can make (at least 1).")})
        if quantity == change.new_quantity:
            raise ValidationError({"quantity": _("That is what the buyer proposed: accept it instead.")})
    elif change.kind == OrderChange.Kind.REQUIRED_DATE:
        quantity = None
        if required_on is None:
            raise ValidationError({"required_on": _("Give the date you can deliver.")})
        if required_on < timezone.localdate():
            raise ValidationError({"required_on": _("Propose a date from today on.")})
        if required_on == change.new_required_on:
            raise ValidationError({"required_on": _("That is what the buyer proposed: accept it instead.")})
    else:
        quantity = required_on = None
    order = _lock_order(change)
    if change.line_id is not None and quantity is not None:
        _check_line_values(order=order, line=change.line, quantity=quantity, required_on=None)
    change = _transition(
        change,
        allowed_from=[OrderChange.Status.PROPOSED],
        to=OrderChange.Status.COUNTERED,
        counter_quantity=quantity,
        counter_required_on=required_on,
        counter_reason=reason,
        answered_by=by,
        answered_at=timezone.now(),
    )
    _record(order=order, by=by, detail=_("the factory countered: %(reason)s") % {"reason": reason})
    hooks.order_event(event=hooks.CHANGE_COUNTERED, order=order, changes=[change], by=by)
    return change


# --- The buyer's side: withdraw, accept a counter; a manager records an agreement ------------------------------


@transaction.atomic
def order_change_withdraw(*, change: OrderChange, by: User, note: str = "") -> OrderChange:
    """The buyer withdraws a proposal (or turns down the factory's counter); the order stays as it is."""
    _require_staff(by)
    _require_side(change, OrderChange.Side.BUYER)
    order = _lock_order(change)
    change = _transition(
        change, allowed_from=OrderChange.OPEN, to=OrderChange.Status.WITHDRAWN, **_answered(by, note)
    )
    _record(order=order, by=by, detail=_("change withdrawn: %(kind)s") % {"kind": change.get_kind_display()})
    hooks.order_event(event=hooks.CHANGE_WITHDRAWN, order=order, changes=[change], by=by)
    return change


@transaction.atomic
def order_change_accept_counter(*, change: OrderChange, by: User, note: str = "") -> OrderChange:
    """The buyer accepts the factory's counter: its values apply (a countered cancellation: the order stands)."""
    _require_staff(by)
    _require_side(change, OrderChange.Side.BUYER)
    order = _lock_order(change)
    change = _transition(
        change,
        allowed_from=[OrderChange.Status.COUNTERED],
        to=OrderChange.Status.COUNTER_ACCEPTED,
        **_answered(by, note),
    )
    if change.kind != OrderChange.Kind.CANCELLATION:
        _apply(
            change=change,
            order=order,
            by=by,
            quantity=change.counter_quantity,
            required_on=change.counter_required_on,
        )
    _record(
        order=order,
        by=by,
        detail=_("the factory's counter accepted: %(kind)s") % {"kind": change.get_kind_display()},
    )
    hooks.order_event(event=hooks.COUNTER_ACCEPTED, order=order, changes=[change], by=by)
    return change


@transaction.atomic
def order_change_record_agreement(*, change: OrderChange, by: User, note: str) -> OrderChange:
    """A manager records that the factory agreed another way (a call, a meeting, a letter); the change applies."""
    require_capability(by, RECORD_AGREEMENT)
    _require_side(change, OrderChange.Side.BUYER)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how and with whom the agreement was reached.")})
    order = _lock_order(change)
    change = _transition(
        change, allowed_from=OrderChange.OPEN, to=OrderChange.Status.AGREED, **_answered(by, note)
    )
    _apply(
        change=change, order=order, by=by, quantity=change.new_quantity, required_on=change.new_required_on
    )
    _record(order=order, by=by, detail=_("agreed another way: %(note)s") % {"note": note})
    hooks.order_event(event=hooks.CHANGE_AGREED, order=order, changes=[change], by=by)
    return change


# --- The factory declines an order, or confirms it with changes of its own ---------------------------------------


def _lock_sent_order(order: PurchaseOrder) -> PurchaseOrder:
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != PurchaseOrder.Status.SENT:
        raise ValidationError(
            _("The order is %(status)s; only an order waiting for the factory's answer can be answered.")
            % {"status": order.get_status_display()}
        )
    return order


@transaction.atomic
def order_decline(*, order: PurchaseOrder, by: User, reason: str) -> PurchaseOrder:
    """The factory declines a sent order with a reason: it ends, and its planned deliveries with it."""
    _require_factory(by, order)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why you decline the order; the buyer reads it.")})
    order = _lock_sent_order(order)
    order.decline_reason = reason
    order.save(update_fields=["decline_reason"])
    order = _end_order(
        order=order,
        by=by,
        to=PurchaseOrder.Status.DECLINED,
        note=_("Closed: the factory declined the order."),
    )
    hooks.order_event(event=hooks.ORDER_DECLINED, order=order, changes=[], by=by)
    return order


@transaction.atomic
def order_confirm_with_changes(
    *, order: PurchaseOrder, by: User, lines: list[dict], reason: str
) -> list[OrderChange]:
    """The factory confirms a sent order with its own quantities or dates for some lines, and why.

    `lines` = [{"line": OrderLine, "quantity": int | None, "required_on": date | None}]. The order counts as
    acknowledged; each differing value is a change the buyer accepts or rejects (until then the order's values
    stand).
    """
    _require_factory(by, order)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order needs changes; the buyer reads it.")})
    order = _lock_sent_order(order)
    today = timezone.localdate()
    rows, errors = [], []
    for item in lines:
        line: OrderLine = item["line"]
        if line.order_id != order.pk:
            errors.append(_("A line of another order was given."))
            continue
        quantity, required_on = item.get("quantity"), item.get("required_on")
        try:
            check_bounds("quantity", quantity, QUANTITY_BOUNDS)
            check_bounds("required_on", required_on, DATE_BOUNDS)
            if quantity is not None and quantity != line.quantity:
                _check_line_values(order=order, line=line, quantity=quantity, required_on=None)
        except ValidationError as exc:
            errors.append(_("%(sku)s: %(errors)s") % {"sku": line.sku, "errors": "; ".join(exc.messages)})
            continue
        if required_on is not None and required_on != line.required_on and required_on < today:
            errors.append(_("%(sku)s: propose a date from today on.") % {"sku": line.sku})
            continue
        common = {
            "order": order,
            "supplier_id": order.supplier_id,
            "line": line,
            "side": OrderChange.Side.FACTORY,
            "reason": reason,
            "changed_by": by,
            "days_before_required": (line.required_on - today).days,
        }
        if quantity is not None and quantity != line.quantity:
            rows.append(
                OrderChange(
                    kind=OrderChange.Kind.QUANTITY,
                    old_value=str(line.quantity),
                    new_value=str(quantity),
                    new_quantity=quantity,
                    **common,
                )
            )
        if required_on is not None and required_on != line.required_on:
            rows.append(
                OrderChange(
                    kind=OrderChange.Kind.REQUIRED_DATE,
                    old_value=line.required_on.isoformat(),
                    new_value=required_on.isoformat(),
                    new_required_on=required_on,
                    **common,
                )
            )
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Nothing differs from the order: acknowledge it as it is instead."))
    busy = OrderChange.objects.filter(
        line__in=[row.line for row in rows], status__in=OrderChange.OPEN
    ).values_list("line__sku", flat=True)
    if busy:
        raise ValidationError(
            _("A change of %(skus)s is already waiting for an answer.")
            % {"skus": ", ".join(sorted(set(busy)))}
        )
    for row in rows:
        row.save()
    PurchaseOrder.objects.filter(pk=order.pk).update(
        status=PurchaseOrder.Status.ACKNOWLEDGED, acknowledged_at=timezone.now(), acknowledged_by=by
    )
    order.refresh_from_db()
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_ACKNOWLEDGED,
        detail=f"{order.number}: " + _("confirmed with changes: %(reason)s") % {"reason": reason},
        url=order.get_absolute_url(),
    )
    hooks.order_event(event=hooks.ORDER_CONFIRMED_WITH_CHANGES, order=order, changes=rows, by=by)
    return rows


def _decide_factory_change(*, change: OrderChange, order: PurchaseOrder, by: User, accept: bool, note: str):
    _require_side(change, OrderChange.Side.FACTORY)
    status = OrderChange.Status.ACCEPTED if accept else OrderChange.Status.REJECTED
    change = _transition(change, allowed_from=[OrderChange.Status.PROPOSED], to=status, **_answered(by, note))
    if accept:
        _apply(
            change=change,
            order=order,
            by=by,
            quantity=change.new_quantity,
            required_on=change.new_required_on,
        )
    return change


@transaction.atomic
def order_factory_change_decide(
    *, change: OrderChange, by: User, accept: bool, note: str = ""
) -> OrderChange:
    """The buyer accepts (the line takes the factory's value) or rejects (the line stays) one factory change."""
    _require_staff(by)
    order = _lock_order(change)
    change = _decide_factory_change(change=change, order=order, by=by, accept=accept, note=note)
    verb = _("accepted") if accept else _("rejected")
    _record(order=order, by=by, detail=_("the factory's change %(verb)s") % {"verb": verb})
    hooks.order_event(event=hooks.FACTORY_CHANGES_DECIDED, order=order, changes=[change], by=by)
    return change


@transaction.atomic
def order_factory_changes_decide_all(
    *, order: PurchaseOrder, by: User, accept: bool, note: str = ""
) -> list[OrderChange]:
    """The buyer accepts or rejects every factory change of an order still waiting, all or none."""
    _require_staff(by)
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    waiting = list(
        order.changes.filter(side=OrderChange.Side.FACTORY, status=OrderChange.Status.PROPOSED)
        .select_related("line")
        .order_by("pk")
    )
    if not waiting:
        raise ValidationError(_("No change of the factory is waiting for your answer."))
    decided = [
        _decide_factory_change(change=change, order=order, by=by, accept=accept, note=note)
        for change in waiting
    ]
    verb = _("accepted") if accept else _("rejected")
    _record(order=order, by=by, detail=_("the factory's changes %(verb)s") % {"verb": verb})
    hooks.order_event(event=hooks.FACTORY_CHANGES_DECIDED, order=order, changes=decided, by=by)
    return decided
