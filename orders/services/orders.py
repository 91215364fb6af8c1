"""Purchase orders: create, send, acknowledge, change lines (proposed to the factory once sent), cancel, close."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.permissions import require_own_supplier as _require_own
from core.events import EventType, event_emit
from core.inputs import DATE_BOUNDS, MAX_QUANTITY, QUANTITY_BOUNDS, check_bounds
from pricing.selectors import AgreementBook, agreements_in_force
from suppliers.models import ActivityKind, Stage, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from .. import hooks
from ..models import DateProposal, Delivery, OrderChange, OrderLine, PilotProgram, PurchaseOrder
from .notice import order_short_notice_warning
from .numbers import order_number_next

# Which stages may receive which orders: trial orders while vetting or piloting, volume once approved.
PILOT_ORDER_STAGES = frozenset({Stage.VETTING, Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC})
REGULAR_ORDER_STAGES = frozenset({Stage.APPROVED, Stage.STRATEGIC})


def _require_staff(user: User, capability: str = "order.edit") -> None:
    require_capability(user, capability)


# --- Orders ---------------------------------------------------------------------------------------------------


@transaction.atomic
def order_create(
    *,
    supplier: Supplier,
    by: User,
    ordered_on: date,
    lines: list[dict],
    number: str = "",
    currency: str = "USD",
    incoterm: str = "FOB",
    pilot: bool = False,
    pilot_program: PilotProgram | None = None,
    notes: str = "",
    prices: AgreementBook | None = None,
) -> PurchaseOrder:
    """Create a draft order with its lines and one planned delivery per required date.

    Without a `number`, the next PO number of the order's year is generated (PO-2026-00042). `prices` are the
    agreements read at once for many orders (an import); without it the order's are read here.
    """
    _require_staff(by)
    if pilot_program is not None:
        pilot = True
        if pilot_program.supplier_id != supplier.pk:
            raise ValidationError({"pilot_program": _("That pilot programme belongs to another supplier.")})
        if pilot_program.status not in (PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED):
            raise ValidationError({"pilot_program": _("That pilot programme is closed.")})
    allowed = PILOT_ORDER_STAGES if pilot else REGULAR_ORDER_STAGES
    if supplier.stage not in allowed:
        if pilot:
            message = _("Trial orders need a supplier in vetting, pilot or later; %(name)s is %(stage)s.")
        else:
            message = _(
                "Volume orders need an approved supplier; %(name)s is %(stage)s. Place a trial order instead."
            )
        raise ValidationError(message % {"name": supplier.name, "stage": supplier.get_stage_display()})
    if not lines:
        raise ValidationError(_("Add at least one line."))
    number = (number or "").strip()
    order = PurchaseOrder(
        supplier=supplier,
        buyer=by,
        number=number or order_number_next(ordered_on=ordered_on),
        ordered_on=ordered_on,
        currency=currency.upper(),
        incoterm=incoterm,
        pilot=pilot,
        pilot_program=pilot_program,
        notes=notes,
    )
    # The supplier, the buyer and the programme are loaded objects: no need to look them up again (an import makes
    # thousands). Leaving out the programme also skips the check that a programme's order is a trial order,
    # which `pilot = True` above already makes so.
    order.full_clean(exclude=["supplier", "buyer", "pilot_program"])
    order.save()
    # The agreements of every SKU of the order in one query, however many lines (none when read with others').
    agreements = (prices.in_force if prices is not None else agreements_in_force)(
        supplier_id=order.supplier_id,
        skus=[(data.get("sku") or "").strip() for data in lines],
        on=order.ordered_on,
    )
    by_date: dict[date, int] = defaultdict(int)
    built = []
    for index, data in enumerate(lines, start=1):
        line = OrderLine(
            order=order, **_priced_line(order=order, data=data, index=index, agreements=agreements)
        )
        try:
            # The order was just saved and the agreement comes from agreements_in_force(): no need to look them up.
            line.full_clean(exclude=["order", "price_agreement"])
        except ValidationError as exc:
            raise ValidationError(
                _("Line %(n)s: %(errors)s") % {"n": index, "errors": "; ".join(exc.messages)}
            ) from exc
        built.append(line)
        by_date[line.required_on] += line.quantity
    _check_order_total(*by_date.values())
    # One INSERT for the lines and one for the deliveries, however many (an import of a 10,000-line file).
    OrderLine.objects.bulk_create(built)
    Delivery.objects.bulk_create(
        Delivery(
            order=order,
            supplier=supplier,
            sequence=sequence,
            promised_on=required_on,
            original_promised_on=required_on,
            quantity_planned=quantity,
        )
        for sequence, (required_on, quantity) in enumerate(sorted(by_date.items()), start=1)
    )
    activity_record(
        supplier=supplier,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CREATED,
        detail=order.number,
        url=order.get_absolute_url(),
    )
    return order


def _priced_line(*, order: PurchaseOrder, data: dict, index: int, agreements: dict) -> dict:
    """Return a line's values priced by the agreement in force for its SKU on the order date.

    Without a price the line takes the agreed one; a line priced otherwise (or in another currency) names the
    agreement and says why. A SKU without an agreement keeps the price typed, which it must then have.
    """
    data = dict(data)
    reason = (data.pop("off_agreement_reason", "") or "").strip()
    price = data.get("unit_price")
    sku = (data.get("sku") or "").strip()
    agreement = agreements.get(sku) if sku else None
    if agreement is None:
        if price is None:
            raise ValidationError(
                _("Line %(n)s: give the unit price (no price agreement for %(sku)s on the order date).")
                % {"n": index, "sku": sku}
            )
        return {**data, "off_agreement_reason": ""}
    same_currency = agreement.currency == order.currency
    if price is None and same_currency:
        price = agreement.unit_price
    if price is None or price != agreement.unit_price or not same_currency:
        if not reason:
            raise ValidationError(
                _(
                    "Line %(n)s: %(sku)s has an agreed price of %(price)s %(currency)s on the order date; "
                    "use it, or say why this line is priced otherwise."
                )
                % {
                    "n": index,
                    "sku": sku,
                    "price": f"{agreement.unit_price.normalize():f}",
                    "currency": agreement.currency,
                }
            )
        if price is None:
            raise ValidationError(_("Line %(n)s: give the unit price.") % {"n": index})
    else:
        reason = ""
    return {**data, "unit_price": price, "price_agreement": agreement, "off_agreement_reason": reason[:300]}


def _check_order_total(*quantities: int) -> None:
    """Refuse an order of more units in all than a delivery can hold (each delivery sums lines of one date)."""
    if sum(quantities) > MAX_QUANTITY:
        raise ValidationError(
            _("An order holds at most %(max)s units in all.") % {"max": f"{MAX_QUANTITY:,}".replace(",", " ")}
        )


def _transition(order: PurchaseOrder, *, allowed_from: set[str], to: str, **fields) -> PurchaseOrder:
    """Move an order's status with a conditional update, so that of two clicks exactly one wins."""
    won = PurchaseOrder.objects.filter(pk=order.pk, status__in=allowed_from).update(status=to, **fields)
    if not won:
        order.refresh_from_db()
        raise ValidationError(
            _("The order is %(status)s; this step is not possible now.")
            % {"status": order.get_status_display()}
        )
    supplier = order.supplier if PurchaseOrder.supplier.is_cached(order) else None
    order.refresh_from_db()
    if supplier is not None and supplier.pk == order.supplier_id:
        order.supplier = (
            supplier  # the same supplier the caller loaded: not read again (an import sends thousands)
        )
    event_emit(EventType.ORDER_STATE, order, state=to)
    return order


@transaction.atomic
def order_send(
    *,
    order: PurchaseOrder,
    by: User,
    acknowledge_short_notice: bool = False,
    capacities: dict[int, int] | None = None,
    defer_sent_hooks: bool = False,
) -> PurchaseOrder:
    """Send a draft order to the supplier: from now on changes are recorded.

    A large order placed without forecast notice is refused until the buyer acknowledges the warning.
    An import sending many orders passes `capacities` (monthly_capacity() of their suppliers, read once) and may
    `defer_sent_hooks`: it then runs hooks.orders_sent() for all its orders at the end of the same transaction.
    """
    _require_staff(by)
    warning = None
    if order.status == PurchaseOrder.Status.DRAFT and not acknowledge_short_notice:
        warning = order_short_notice_warning(order=order, capacities=capacities)
    if warning:
        raise ValidationError(warning, code="short_notice")
    order = _transition(
        order, allowed_from={PurchaseOrder.Status.DRAFT}, to=PurchaseOrder.Status.SENT, sent_at=timezone.now()
    )
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_SENT,
        detail=order.number,
        url=order.get_absolute_url(),
    )
    red_flags_request_check(order.supplier_id)
    if not defer_sent_hooks:
        hooks.orders_sent(orders=[order], by=by)
    return order


@transaction.atomic
def order_acknowledge(*, order: PurchaseOrder, by: User) -> PurchaseOrder:
    """Record that the factory confirmed the order (from the portal, or staff on its behalf)."""
    _require_own(by, order.supplier_id)
    if not by.is_portal_user:
        _require_staff(by)
    order = _transition(
        order,
        allowed_from={PurchaseOrder.Status.SENT},
        to=PurchaseOrder.Status.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
    )
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_ACKNOWLEDGED,
        detail=order.number,
        url=order.get_absolute_url(),
    )
    return order


@transaction.atomic
def order_close(*, order: PurchaseOrder, by: User) -> PurchaseOrder:
    """Close a received order."""
    _require_staff(by)
    return _transition(order, allowed_from={PurchaseOrder.Status.RECEIVED}, to=PurchaseOrder.Status.CLOSED)


def _propose_change(
    *, order, line, kind, old, new, reason, by, required_on: date, new_quantity=None, new_required_on=None
) -> OrderChange:
    """Write a buyer's proposal to change a sent order; the old values stand until the factory agrees."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the order changes; the supplier sees it.")})
    open_ = OrderChange.objects.filter(order=order, kind=kind, status__in=OrderChange.OPEN)
    open_ = open_.filter(line=line) if line is not None else open_
    if open_.exists():
        raise ValidationError(
            _("A change of this kind is already waiting for the factory's answer; withdraw it first.")
        )
    return OrderChange.objects.create(
        order=order,
        supplier_id=order.supplier_id,
        line=line,
        kind=kind,
        side=OrderChange.Side.BUYER,
        status=OrderChange.Status.PROPOSED,
        old_value=str(old),
        new_value=str(new),
        new_quantity=new_quantity,
        new_required_on=new_required_on,
        reason=reason,
        changed_by=by,
        days_before_required=(required_on - timezone.localdate()).days,
    )


def _editable_after_send(order: PurchaseOrder) -> None:
    if order.status in (
        PurchaseOrder.Status.RECEIVED,
        PurchaseOrder.Status.CLOSED,
        PurchaseOrder.Status.CANCELLED,
        PurchaseOrder.Status.DECLINED,
    ):
        raise ValidationError(
            _("The order is %(status)s and can no longer change.") % {"status": order.get_status_display()}
        )


def _check_line_values(
    *, order: PurchaseOrder, line: OrderLine, quantity: int | None, required_on: date | None
) -> None:
    """Refuse new line values out of bounds, below one, or that would overfill the order."""
    check_bounds("quantity", quantity, QUANTITY_BOUNDS)
    check_bounds("required_on", required_on, DATE_BOUNDS)
    if quantity is not None and quantity != line.quantity:
        if quantity < 1:
            raise ValidationError({"quantity": _("Ensure this value is greater than or equal to 1.")})
        _check_order_total(
            order.lines.exclude(pk=line.pk).aggregate(total=Sum("quantity"))["total"] or 0, quantity
        )


def _apply_line_change(
    *, order: PurchaseOrder, line: OrderLine, quantity: int | None = None, required_on: date | None = None
) -> OrderLine:
    """Write new line values, and let the planned deliveries follow them (the caller holds the order's lock)."""
    line.refresh_from_db()
    _check_line_values(order=order, line=line, quantity=quantity, required_on=required_on)
    old_quantity, old_required = line.quantity, line.required_on
    if quantity is not None and quantity != old_quantity:
        line.quantity = quantity
        delivery = order.deliveries.filter(
            original_promised_on=old_required, status=Delivery.Status.PLANNED
        ).first()
        if delivery is not None:
            delivery.quantity_planned = max(0, delivery.quantity_planned + quantity - old_quantity)
            delivery.save(update_fields=["quantity_planned"])
    if required_on is not None and required_on != old_required:
        line.required_on = required_on
        _move_line_delivery(order=order, line=line, old_required=old_required, new_required=required_on)
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def order_line_change(
    *,
    line: OrderLine,
    by: User,
    reason: str = "",
    quantity: int | None = None,
    required_on: date | None = None,
) -> OrderLine:
    """Change a draft's line at once; on a sent order, propose the change to the factory instead.

    A proposal (one per value changed) leaves the line as it is until the factory accepts it, or a manager
    records it as agreed another way; the line is returned unchanged then.
    """
    _require_staff(by)
    order = PurchaseOrder.objects.select_for_update().get(pk=line.order_id)
    _editable_after_send(order)
    line.refresh_from_db()
    old_quantity, old_required = line.quantity, line.required_on
    quantity = None if quantity == old_quantity else quantity
    required_on = None if required_on == old_required else required_on
    if quantity is None and required_on is None:
        raise ValidationError(_("Nothing changed."))
    # Checked before anything is written: the planned delivery's quantity follows the line's.
    _check_line_values(order=order, line=line, quantity=quantity, required_on=required_on)
    if order.status == PurchaseOrder.Status.DRAFT:
        _apply_line_change(order=order, line=line, quantity=quantity, required_on=required_on)
        detail = f"{order.number} {line.sku}"
    else:
        proposals = []
        if quantity is not None:
            proposals.append(
                _propose_change(
                    order=order,
                    line=line,
                    kind=OrderChange.Kind.QUANTITY,
                    old=old_quantity,
                    new=quantity,
                    new_quantity=quantity,
                    reason=reason,
                    by=by,
                    required_on=old_required,
                )
            )
        if required_on is not None:
            proposals.append(
                _propose_change(
                    order=order,
                    line=line,
                    kind=OrderChange.Kind.REQUIRED_DATE,
                    old=old_required,
                    new=required_on,
                    new_required_on=required_on,
                    reason=reason,
                    by=by,
                    required_on=old_required,
                )
            )
        detail = f"{order.number} {line.sku}: " + _("change proposed to the factory")
        hooks.order_event(event=hooks.CHANGE_PROPOSED, order=order, changes=proposals, by=by)
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CHANGED,
        detail=detail,
        url=order.get_absolute_url(),
    )
    if order.status == PurchaseOrder.Status.DRAFT:
        red_flags_request_check(order.supplier_id)
    return line


def _move_line_delivery(
    *, order: PurchaseOrder, line: OrderLine, old_required: date, new_required: date
) -> None:
    """Follow the buyer's new required date with the planned delivery, so the supplier is not counted late.

    When other lines share the old date, only this line's quantity moves: off the old delivery and onto the
    one planned for the new date (created if there is none).
    """
    old = order.deliveries.filter(original_promised_on=old_required, status=Delivery.Status.PLANNED).first()
    if old is None:
        return
    shared = order.lines.filter(required_on=old_required).exclude(pk=line.pk).exists()
    target = order.deliveries.filter(
        original_promised_on=new_required, status=Delivery.Status.PLANNED
    ).first()
    if not shared and target is None:
        old.promised_on = old.original_promised_on = new_required
        old.save(update_fields=["promised_on", "original_promised_on"])
        return
    if shared:
        old.quantity_planned = max(0, old.quantity_planned - line.quantity)
        old.save(update_fields=["quantity_planned"])
    else:
        old.status = Delivery.Status.CANCELLED
        old.save(update_fields=["status"])
    if target is not None:
        target.quantity_planned += line.quantity
        target.save(update_fields=["quantity_planned"])
    else:
        sequence = (
            order.deliveries.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        ) + 1
        Delivery.objects.create(
            order=order,
            supplier_id=order.supplier_id,
            sequence=sequence,
            promised_on=new_required,
            original_promised_on=new_required,
            quantity_planned=line.quantity,
        )


def _close_pending_proposals(*, deliveries, by: User, note: str) -> None:
    # Closed, not rejected: nobody said no to the factory's date; events overtook it.
    DateProposal.objects.filter(delivery__in=deliveries, status=DateProposal.Status.PENDING).update(
        status=DateProposal.Status.CLOSED, decided_by=by, decided_at=timezone.now(), decision_note=note
    )


def _check_cancellable(order: PurchaseOrder) -> None:
    if order.deliveries.exclude(status__in=[Delivery.Status.PLANNED, Delivery.Status.CANCELLED]).exists():
        raise ValidationError(
            _("Goods were already shipped or received against this order; it cannot be cancelled.")
        )


def _end_order(*, order: PurchaseOrder, by: User, to: str, note: str) -> PurchaseOrder:
    """Cancel (or mark declined) an order and its planned deliveries; close what waited for an answer on them."""
    _check_cancellable(order)
    _close_pending_proposals(deliveries=order.deliveries.all(), by=by, note=note)
    OrderChange.objects.filter(order=order, status__in=OrderChange.OPEN).update(
        status=OrderChange.Status.CLOSED, answered_by=by, answered_at=timezone.now(), answer_note=note
    )
    order.deliveries.filter(status=Delivery.Status.PLANNED).update(status=Delivery.Status.CANCELLED)
    order.status = to
    order.save(update_fields=["status"])
    event_emit(EventType.ORDER_STATE, order, state=order.status)
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CANCELLED,
        detail=order.number,
        url=order.get_absolute_url(),
    )
    red_flags_request_check(order.supplier_id)
    return order


@transaction.atomic
def order_cancel(*, order: PurchaseOrder, by: User, reason: str) -> PurchaseOrder:
    """Cancel a draft at once; on a sent order, propose the cancellation to the factory (the order stands)."""
    _require_staff(by)
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    _editable_after_send(order)
    _check_cancellable(order)
    if order.status == PurchaseOrder.Status.DRAFT:
        return _end_order(
            order=order,
            by=by,
            to=PurchaseOrder.Status.CANCELLED,
            note=_("Closed: the order was cancelled."),
        )
    first_required = order.lines.order_by("required_on").values_list("required_on", flat=True).first()
    change = _propose_change(
        order=order,
        line=None,
        kind=OrderChange.Kind.CANCELLATION,
        old=order.get_status_display(),
        new=_("Cancelled"),
        reason=reason,
        by=by,
        required_on=first_required or timezone.localdate(),
    )
    activity_record(
        supplier=order.supplier_id,
        actor=by,
        target=order,
        kind=ActivityKind.ORDER_CHANGED,
        detail=f"{order.number}: " + _("cancellation proposed to the factory"),
        url=order.get_absolute_url(),
    )
    hooks.order_event(event=hooks.CHANGE_PROPOSED, order=order, changes=[change], by=by)
    return order
