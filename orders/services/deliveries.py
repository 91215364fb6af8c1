"""Deliveries: date proposals and their decision, shipments, receipts (the order's status follows them)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_own_supplier as _require_own
from core.events import EventType, event_emit
from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS, check_bounds
from suppliers.models import ActivityKind
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import DateProposal, Delivery, DisruptionCause, PurchaseOrder, ReceiptLine
from ..selectors import delivery_lines
from .orders import _close_pending_proposals, _require_staff

# --- Deliveries -----------------------------------------------------------------------------------------------


@transaction.atomic
def delivery_propose_date(
    *, delivery: Delivery, by: User, proposed_on: date, reason: str, cause: str = DisruptionCause.OTHER
) -> DateProposal:
    """The factory proposes a new date with its cause and a reason: the early warning of a disruption."""
    _require_own(by, delivery.supplier_id)
    if not by.is_portal_user:
        _require_staff(by)  # a buyer logging what the factory said by phone
    if proposed_on < timezone.localdate():
        raise ValidationError({"proposed_on": _("Propose a date from today on.")})
    check_bounds("proposed_on", proposed_on, DATE_BOUNDS)
    if delivery.status != Delivery.Status.PLANNED:
        raise ValidationError(_("Only a delivery not yet shipped can get a new date."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the date moves.")})
    if cause not in DisruptionCause.values:
        raise ValidationError({"cause": _("Choose what causes the delay.")})
    if proposed_on == delivery.promised_on:
        raise ValidationError({"proposed_on": _("That is already the promised date.")})
    if delivery.date_proposals.filter(status=DateProposal.Status.PENDING).exists():
        raise ValidationError(_("A proposal for this delivery is already waiting for the buyer's answer."))
    proposal = DateProposal.objects.create(
        delivery=delivery, proposed_on=proposed_on, reason=reason.strip(), proposed_by=by, cause=cause
    )
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=ActivityKind.DATE_PROPOSED,
        detail=f"{delivery}: {delivery.promised_on} → {proposed_on}",
        url=delivery.get_absolute_url(),
    )
    return proposal


@transaction.atomic
def delivery_decide_proposal(
    *, proposal: DateProposal, by: User, accept: bool, note: str = ""
) -> DateProposal:
    """Accept (the promised date moves) or reject (it stays) a proposed date."""
    _require_staff(by)
    status = DateProposal.Status.ACCEPTED if accept else DateProposal.Status.REJECTED
    won = DateProposal.objects.filter(pk=proposal.pk, status=DateProposal.Status.PENDING).update(
        status=status, decided_by=by, decided_at=timezone.now(), decision_note=note.strip()
    )
    if not won:
        raise ValidationError(_("This proposal was already answered."))
    proposal.refresh_from_db()
    delivery = proposal.delivery
    if accept and delivery.status != Delivery.Status.PLANNED:
        # Accepting now would turn a late shipment into an on-time one after the fact.
        raise ValidationError(_("The goods already shipped; the promised date can no longer move."))
    if accept:
        delivery.promised_on = proposal.proposed_on
        delivery.save(update_fields=["promised_on"])
    kind = ActivityKind.DATE_ACCEPTED if accept else ActivityKind.DATE_REJECTED
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=kind,
        detail=f"{delivery}: {proposal.proposed_on}",
        url=delivery.get_absolute_url(),
    )
    red_flags_request_check(delivery.supplier_id)
    return proposal


def _sync_order_status(order: PurchaseOrder) -> None:
    """Let the order's status follow its deliveries: shipped, partially received, received."""
    statuses = set(
        order.deliveries.exclude(status=Delivery.Status.CANCELLED).values_list("status", flat=True)
    )
    if statuses == {Delivery.Status.RECEIVED}:
        new = PurchaseOrder.Status.RECEIVED
    elif Delivery.Status.RECEIVED in statuses:
        new = PurchaseOrder.Status.PARTIALLY_RECEIVED
    elif statuses == {Delivery.Status.SHIPPED}:
        new = PurchaseOrder.Status.SHIPPED
    else:
        return
    if order.status != new:
        order.status = new
        order.save(update_fields=["status"])
        event_emit(EventType.ORDER_STATE, order, state=new)


@transaction.atomic
def delivery_ship(
    *, delivery: Delivery, by: User, shipped_on: date, quantity_shipped: int, tracking_reference: str = ""
) -> Delivery:
    """Record a shipment (the factory in the portal, or staff on its behalf)."""
    _require_own(by, delivery.supplier_id)
    if not by.is_portal_user:
        _require_staff(by)
    order = PurchaseOrder.objects.select_for_update().get(pk=delivery.order_id)
    if order.status in (
        PurchaseOrder.Status.DRAFT,
        PurchaseOrder.Status.CANCELLED,
        PurchaseOrder.Status.DECLINED,
    ):
        raise ValidationError(_("The order is %(status)s.") % {"status": order.get_status_display()})
    if quantity_shipped < 1:
        raise ValidationError({"quantity_shipped": _("Ensure this value is greater than or equal to 1.")})
    check_bounds("quantity_shipped", quantity_shipped, QUANTITY_BOUNDS)
    check_bounds("shipped_on", shipped_on, DATE_BOUNDS)
    if shipped_on > timezone.localdate() + timedelta(days=1):
        raise ValidationError({"shipped_on": _("A shipment date cannot be in the future.")})
    won = Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PLANNED).update(
        status=Delivery.Status.SHIPPED,
        shipped_on=shipped_on,
        quantity_shipped=quantity_shipped,
        tracking_reference=tracking_reference.strip(),
    )
    if not won:
        raise ValidationError(_("This delivery was already shipped."))
    delivery.refresh_from_db()
    _close_pending_proposals(deliveries=[delivery], by=by, note=_("Closed: the goods shipped."))
    _sync_order_status(order)
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=ActivityKind.SHIPMENT_RECORDED,
        detail=f"{delivery}: {quantity_shipped}",
        url=delivery.get_absolute_url(),
    )
    return delivery


def _receipt_lines(delivery: Delivery, lines: list[dict]) -> list[ReceiptLine]:
    """Check each line's receipt (rejected ≤ received ≤ outstanding) and return the rows to write."""
    carried = {line.pk: line for line in delivery_lines(delivery=delivery)}
    rows, errors = [], []
    for data in lines:
        line, received, rejected = data["line"], data["quantity_received"], data.get("quantity_rejected") or 0
        if line.pk not in carried:
            errors.append(_("%(sku)s is not carried by this delivery.") % {"sku": line.sku})
            continue
        if received == 0 and rejected == 0:
            continue
        if rejected > received:
            errors.append(
                _("%(sku)s: rejected (%(rejected)s) cannot exceed received (%(received)s).")
                % {"sku": line.sku, "rejected": rejected, "received": received}
            )
        if received > carried[line.pk].outstanding:
            errors.append(
                _("%(sku)s: %(received)s received, but only %(outstanding)s are outstanding.")
                % {"sku": line.sku, "received": received, "outstanding": carried[line.pk].outstanding}
            )
        rows.append(ReceiptLine(line=line, quantity_received=received, quantity_rejected=rejected))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def delivery_receive(
    *,
    delivery: Delivery,
    by: User,
    received_on: date,
    quantity_received: int | None = None,
    quantity_rejected: int = 0,
    lines: list[dict] | None = None,
) -> Delivery:
    """Record the goods' arrival: on-time delivery is measured on this date against the promised one.

    Either a total (`quantity_received`, of which `quantity_rejected` were refused at the door) or, per order line,
    `lines=[{"line": OrderLine, "quantity_received": int, "quantity_rejected": int}]`. Rejected goods are owed
    again: with what did not arrive, they stay due as a back-order on the date the buyer accepted.
    """
    _require_staff(by, "delivery.receive")
    receipt_rows = []
    if lines is not None:
        receipt_rows = _receipt_lines(delivery, lines)
        quantity_received = sum(row.quantity_received for row in receipt_rows)
        quantity_rejected = sum(row.quantity_rejected for row in receipt_rows)
    quantity_received = quantity_received or 0
    quantity_rejected = quantity_rejected or 0
    check_bounds("quantity_received", quantity_received, QUANTITY_BOUNDS)
    check_bounds("quantity_rejected", quantity_rejected, QUANTITY_BOUNDS)
    check_bounds("received_on", received_on, DATE_BOUNDS)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A receipt date cannot be in the future.")})
    if quantity_received < 1:
        raise ValidationError(
            {"quantity_received": _("Nothing arrived? Then the delivery is not received yet.")}
        )
    if quantity_rejected > quantity_received:
        raise ValidationError(
            {"quantity_rejected": _("More rejected than received: rejected goods are part of what arrived.")}
        )
    order = PurchaseOrder.objects.select_for_update().get(pk=delivery.order_id)
    if order.status in (
        PurchaseOrder.Status.DRAFT,
        PurchaseOrder.Status.CANCELLED,
        PurchaseOrder.Status.DECLINED,
    ):
        raise ValidationError(_("The order is %(status)s.") % {"status": order.get_status_display()})
    delivery.refresh_from_db()
    expected = delivery.expected_quantity
    if delivery.status != Delivery.Status.RECEIVED and quantity_received > expected:
        raise ValidationError(
            {
                "quantity_received": _(
                    "%(received)s received, but only %(expected)s are outstanding on this delivery."
                )
                % {"received": quantity_received, "expected": expected}
            }
        )
    won = Delivery.objects.filter(
        pk=delivery.pk, status__in=[Delivery.Status.PLANNED, Delivery.Status.SHIPPED]
    ).update(
        status=Delivery.Status.RECEIVED,
        received_on=received_on,
        quantity_received=quantity_received,
        quantity_rejected=quantity_rejected,
        received_by=by,
    )
    if not won:
        raise ValidationError(_("This delivery was already received."))
    delivery.refresh_from_db()
    for row in receipt_rows:
        row.delivery = delivery
    ReceiptLine.objects.bulk_create(receipt_rows)
    # A pending date proposal is moot once the goods are in.
    _close_pending_proposals(deliveries=[delivery], by=by, note=_("Closed: the goods were received."))
    accepted = quantity_received - quantity_rejected
    if accepted < expected:
        # A partial receipt: the rest is a back-order, still due on the date the buyer accepted.
        sequence = (
            order.deliveries.order_by("-sequence").values_list("sequence", flat=True).first() or 0
        ) + 1
        Delivery.objects.create(
            order=order,
            supplier_id=order.supplier_id,
            sequence=sequence,
            promised_on=delivery.promised_on,
            original_promised_on=delivery.original_promised_on,
            quantity_planned=expected - accepted,
        )
    _sync_order_status(order)
    late = delivery.is_late(received_on)
    detail = f"{delivery}: {quantity_received} / {delivery.quantity_planned}"
    if quantity_rejected:
        detail += " " + _("(%(rejected)s rejected)") % {"rejected": quantity_rejected}
    activity_record(
        supplier=delivery.supplier_id,
        actor=by,
        target=delivery,
        kind=ActivityKind.DELIVERY_RECEIVED_LATE if late else ActivityKind.DELIVERY_RECEIVED,
        detail=detail,
        url=delivery.get_absolute_url(),
    )
    event_emit(
        EventType.DELIVERY_RECEIVED,
        delivery,
        state=delivery.status,
        delivery={
            "order_id": delivery.order_id,
            "received_on": str(received_on),
            "quantity_received": quantity_received,
            "quantity_rejected": quantity_rejected,
            "late": late,
        },
    )
    red_flags_request_check(delivery.supplier_id)
    return delivery
