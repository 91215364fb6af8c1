"""Writes on orders: stage rules, conditional transitions, recorded changes, deliveries, proposals, pilots."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from orders import selectors, services
from orders.models import DateProposal, Delivery, OrderChange, OrderLine, PilotProgram, PurchaseOrder
from suppliers.gates import evaluate_gates
from suppliers.models import Activity, Stage
from tests.factories import PilotProgramFactory, SupplierFactory
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {
        "orders": PurchaseOrder.objects.count(),
        "lines": OrderLine.objects.count(),
        "deliveries": Delivery.objects.count(),
        "changes": OrderChange.objects.count(),
        "activity": Activity.objects.count(),
    }


def first_delivery(order) -> Delivery:
    return order.deliveries.order_by("sequence").first()


def set_stage(supplier, stage):
    supplier.stage = stage
    supplier.save(update_fields=["stage"])
    return supplier


# --- order_create: stage rules --------------------------------------------------------------------------------


def test_volume_order_for_a_vetting_supplier_is_refused_with_a_clear_message(supplier_a, make_order):
    set_stage(supplier_a, Stage.VETTING)
    with pytest.raises(ValidationError) as exc:
        make_order(supplier_a)
    message = " ".join(exc.value.messages)
    assert "Volume orders need an approved supplier" in message
    assert "Alpha Factory is Vetting" in message and "Place a trial order instead" in message
    assert not PurchaseOrder.objects.exists()


def test_trial_order_for_a_vetting_supplier_is_created_as_a_draft(supplier_a, make_order, buyer):
    set_stage(supplier_a, Stage.VETTING)
    order = make_order(supplier_a, pilot=True)
    assert order.status == PurchaseOrder.Status.DRAFT and order.pilot is True
    assert order.buyer == buyer
    assert Activity.objects.filter(
        supplier=supplier_a, kind=Activity.Kind.ORDER_CREATED, detail=order.number
    ).exists()


def test_trial_order_for_a_prospect_is_refused(supplier_a, make_order):
    assert supplier_a.stage == Stage.PROSPECT
    with pytest.raises(ValidationError, match="Trial orders need a supplier in vetting, pilot or later"):
        make_order(supplier_a, pilot=True)


@pytest.mark.parametrize("stage", [Stage.ON_HOLD, Stage.SUSPENDED, Stage.OFFBOARDED])
def test_no_order_goes_to_a_supplier_on_hold_suspended_or_offboarded(supplier_a, make_order, stage):
    set_stage(supplier_a, stage)
    with pytest.raises(ValidationError):
        make_order(supplier_a, pilot=True)
    assert not PurchaseOrder.objects.exists()


def test_pilot_programme_of_another_supplier_is_refused(supplier_a, supplier_b, make_order):
    set_stage(supplier_a, Stage.PILOT)
    other = PilotProgramFactory(supplier=set_stage(supplier_b, Stage.PILOT))
    with pytest.raises(ValidationError) as exc:
        make_order(supplier_a, pilot_program=other)
    assert exc.value.message_dict == {"pilot_program": ["That pilot programme belongs to another supplier."]}
    assert not PurchaseOrder.objects.exists()


def test_order_in_a_pilot_programme_is_a_trial_order_even_if_not_flagged(supplier_a, make_order):
    set_stage(supplier_a, Stage.PILOT)
    pilot = PilotProgramFactory(supplier=supplier_a)
    order = make_order(supplier_a, pilot=False, pilot_program=pilot)
    assert order.pilot is True and order.pilot_program == pilot


def test_closed_pilot_programme_takes_no_more_orders(supplier_a, make_order):
    set_stage(supplier_a, Stage.PILOT)
    pilot = PilotProgramFactory(supplier=supplier_a, status=PilotProgram.Status.REJECTED)
    with pytest.raises(ValidationError, match="That pilot programme is closed"):
        make_order(supplier_a, pilot_program=pilot)


def test_quality_staff_cannot_place_orders(approved_a, make_order, quality):
    with pytest.raises(PermissionDenied):
        make_order(approved_a, by=quality)
    assert not PurchaseOrder.objects.exists()


# --- order_create: lines and deliveries -----------------------------------------------------------------------


def test_a_bad_line_refuses_the_whole_order_and_writes_nothing(approved_a, make_order):
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_order(approved_a, lines=[line_data(), line_data(sku="BAD", quantity=0)])
    assert "Line 2:" in exc.value.messages[0]
    assert "greater than or equal to 1" in exc.value.messages[0]
    assert row_counts() == before


def test_order_without_lines_is_refused(approved_a, make_order):
    with pytest.raises(ValidationError, match="at least one line"):
        make_order(approved_a, lines=[])
    assert not PurchaseOrder.objects.exists()


def test_order_number_must_be_unique(approved_a, make_order):
    make_order(approved_a, number="PO-DUP")
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        make_order(approved_a, number="PO-DUP")
    assert "number" in exc.value.message_dict
    assert row_counts() == before


def test_one_planned_delivery_per_distinct_required_date_with_summed_quantities(approved_a, make_order):
    order = make_order(
        approved_a,
        lines=[
            line_data(sku="A", quantity=100, required_on=days(40)),
            line_data(sku="B", quantity=30, required_on=days(20)),
            line_data(sku="C", quantity=50, required_on=days(40)),
        ],
    )
    deliveries = list(order.deliveries.order_by("sequence"))
    assert [(d.sequence, d.promised_on, d.quantity_planned) for d in deliveries] == [
        (1, days(20), 30),
        (2, days(40), 150),
    ]
    assert all(d.original_promised_on == d.promised_on for d in deliveries)
    assert all(d.status == Delivery.Status.PLANNED and d.supplier == approved_a for d in deliveries)
    assert order.lines.count() == 3


# --- Sending and acknowledging --------------------------------------------------------------------------------


def test_sending_a_draft_stamps_the_time_and_sending_twice_fails_cleanly(approved_a, make_order, buyer):
    order = services.order_send(order=make_order(approved_a), by=buyer)
    assert order.status == PurchaseOrder.Status.SENT and order.sent_at is not None
    with pytest.raises(ValidationError, match="The order is Sent; this step is not possible now"):
        services.order_send(order=order, by=buyer)


def test_factory_contact_acknowledges_its_own_order(sent_order, portal_a):
    order = services.order_acknowledge(order=sent_order, by=portal_a)
    assert order.status == PurchaseOrder.Status.ACKNOWLEDGED
    assert order.acknowledged_by == portal_a and order.acknowledged_at is not None


def test_acknowledging_twice_fails_cleanly(sent_order, portal_a):
    services.order_acknowledge(order=sent_order, by=portal_a)
    first = PurchaseOrder.objects.get(pk=sent_order.pk).acknowledged_at
    with pytest.raises(ValidationError, match="The order is Acknowledged; this step is not possible now"):
        services.order_acknowledge(order=sent_order, by=portal_a)
    assert PurchaseOrder.objects.get(pk=sent_order.pk).acknowledged_at == first


def test_a_draft_cannot_be_acknowledged(approved_a, make_order, buyer):
    order = make_order(approved_a)
    with pytest.raises(ValidationError, match="The order is Draft"):
        services.order_acknowledge(order=order, by=buyer)


def test_factory_contact_of_b_cannot_acknowledge_a_order(sent_order, portal_b):
    with pytest.raises(PermissionDenied):
        services.order_acknowledge(order=sent_order, by=portal_b)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT and sent_order.acknowledged_by is None


def test_quality_staff_cannot_acknowledge_on_the_factorys_behalf(sent_order, quality):
    with pytest.raises(PermissionDenied):
        services.order_acknowledge(order=sent_order, by=quality)


# --- Changing lines -------------------------------------------------------------------------------------------


def test_changing_a_draft_line_records_no_change_and_needs_no_reason(approved_a, make_order, buyer):
    order = make_order(approved_a, lines=[line_data(quantity=100, required_on=days(30))])
    line = order.lines.get()
    services.order_line_change(line=line, by=buyer, quantity=120, required_on=days(35))
    line.refresh_from_db()
    assert (line.quantity, line.required_on) == (120, days(35))
    assert not OrderChange.objects.exists()
    delivery = first_delivery(order)
    assert (delivery.quantity_planned, delivery.promised_on) == (120, days(35))


def factory_accepts_all(order, portal_user):
    """The factory accepts every change of the buyer waiting on the order."""
    for change in order.changes.filter(status=OrderChange.Status.PROPOSED).order_by("pk"):
        services.order_change_accept(change=change, by=portal_user)


def test_quantity_change_after_sending_is_proposed_against_the_required_date_and_changes_nothing_yet(
    sent_order, buyer
):
    line = sent_order.lines.get(sku="TOTE-01")
    services.order_line_change(line=line, by=buyer, quantity=150, reason="Retail promo extended")
    change = OrderChange.objects.get()
    assert change.kind == OrderChange.Kind.QUANTITY
    assert change.status == OrderChange.Status.PROPOSED and change.new_quantity == 150
    line.refresh_from_db()
    assert line.quantity == 100 and first_delivery(sent_order).quantity_planned == 100
    assert (change.old_value, change.new_value) == ("100", "150")
    assert change.days_before_required == 30
    assert change.reason == "Retail promo extended" and change.changed_by == buyer
    assert change.line == line and change.supplier_id == sent_order.supplier_id


def test_required_date_change_counts_days_before_the_old_required_date(sent_order, buyer):
    line = sent_order.lines.get(sku="TOTE-01")
    services.order_line_change(line=line, by=buyer, required_on=days(60), reason="Store opening moved")
    change = OrderChange.objects.get()
    assert change.kind == OrderChange.Kind.REQUIRED_DATE
    assert (change.old_value, change.new_value) == (str(days(30)), str(days(60)))
    assert change.days_before_required == 30  # against the old date, not the new one (60)


def test_change_after_the_required_date_counts_negative_days(approved_a, make_order, buyer):
    order = make_order(approved_a, lines=[line_data(required_on=days(-3))])
    services.order_send(order=order, by=buyer)
    services.order_line_change(line=order.lines.get(), by=buyer, quantity=90, reason="Short of stock")
    assert OrderChange.objects.get().days_before_required == -3


def test_change_after_sending_needs_a_reason_and_changes_nothing_without_one(sent_order, buyer):
    line = sent_order.lines.get(sku="TOTE-01")
    with pytest.raises(ValidationError) as exc:
        services.order_line_change(line=line, by=buyer, quantity=150, reason="  ")
    assert "reason" in exc.value.message_dict
    line.refresh_from_db()
    assert line.quantity == 100
    assert first_delivery(sent_order).quantity_planned == 100
    assert not OrderChange.objects.exists()


def test_accepted_quantity_change_adjusts_the_planned_delivery_of_that_date(
    approved_a, make_order, buyer, portal_a
):
    order = make_order(
        approved_a,
        lines=[
            line_data(sku="A", quantity=100, required_on=days(30)),
            line_data(sku="B", quantity=50, required_on=days(30)),
            line_data(sku="C", quantity=10, required_on=days(50)),
        ],
    )
    services.order_send(order=order, by=buyer)
    services.order_line_change(line=order.lines.get(sku="A"), by=buyer, quantity=80, reason="Forecast cut")
    assert [d.quantity_planned for d in order.deliveries.order_by("sequence")] == [150, 10]
    factory_accepts_all(order, portal_a)
    assert [d.quantity_planned for d in order.deliveries.order_by("sequence")] == [130, 10]


def test_accepted_required_date_change_moves_the_planned_delivery(sent_order, buyer, portal_a):
    line = sent_order.lines.get(sku="TOTE-01")
    services.order_line_change(line=line, by=buyer, required_on=days(38), reason="Warehouse full")
    assert sent_order.deliveries.get(sequence=1).promised_on == days(30)
    factory_accepts_all(sent_order, portal_a)
    delivery = sent_order.deliveries.get(sequence=1)
    assert (delivery.promised_on, delivery.original_promised_on) == (days(38), days(38))
    assert sent_order.deliveries.get(sequence=2).promised_on == days(45)


def test_moving_one_line_leaves_the_other_lines_of_the_same_date_in_place(
    approved_a, make_order, buyer, portal_a
):
    order = make_order(
        approved_a,
        lines=[
            line_data(sku="A", quantity=100, required_on=days(30)),
            line_data(sku="B", quantity=50, required_on=days(30)),
        ],
    )
    services.order_send(order=order, by=buyer)
    services.order_line_change(line=order.lines.get(sku="A"), by=buyer, required_on=days(60), reason="Later")
    factory_accepts_all(order, portal_a)
    planned = {d.promised_on: d.quantity_planned for d in order.deliveries.all()}
    assert planned == {days(30): 50, days(60): 100}


def test_line_of_a_received_order_can_no_longer_change(sent_order, buyer):
    for delivery in sent_order.deliveries.all():
        services.delivery_receive(
            delivery=delivery, by=buyer, received_on=days(0), quantity_received=delivery.quantity_planned
        )
    with pytest.raises(ValidationError, match="The order is Received and can no longer change"):
        services.order_line_change(
            line=sent_order.lines.first(), by=buyer, quantity=5, reason="Too late anyway"
        )


# --- Cancelling -----------------------------------------------------------------------------------------------


def test_cancelling_after_sending_is_proposed_and_the_order_stands_until_the_factory_accepts(
    sent_order, buyer, portal_a
):
    order = services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    assert order.status == PurchaseOrder.Status.SENT
    assert not order.deliveries.filter(status=Delivery.Status.CANCELLED).exists()
    factory_accepts_all(order, portal_a)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.CANCELLED
    assert set(order.deliveries.values_list("status", flat=True)) == {Delivery.Status.CANCELLED}
    change = OrderChange.objects.get()
    assert change.kind == OrderChange.Kind.CANCELLATION and change.line is None
    assert (change.old_value, change.new_value) == ("Sent", "Cancelled")
    assert change.days_before_required == 30  # against the earliest required date
    assert change.reason == "Range dropped"


def test_cancelling_a_draft_records_no_change(approved_a, make_order, buyer):
    order = services.order_cancel(order=make_order(approved_a), by=buyer, reason="")
    assert order.status == PurchaseOrder.Status.CANCELLED
    assert not OrderChange.objects.exists()


def test_cancelling_after_sending_needs_a_reason(sent_order, buyer):
    with pytest.raises(ValidationError):
        services.order_cancel(order=sent_order, by=buyer, reason=" ")
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT
    assert not sent_order.deliveries.filter(status=Delivery.Status.CANCELLED).exists()


def test_cancelling_is_refused_once_goods_shipped(sent_order, portal_a, buyer):
    services.delivery_ship(
        delivery=first_delivery(sent_order), by=portal_a, shipped_on=days(0), quantity_shipped=100
    )
    with pytest.raises(ValidationError, match="already shipped or received"):
        services.order_cancel(order=sent_order, by=buyer, reason="Changed our mind")
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT
    assert not OrderChange.objects.exists()
    assert not sent_order.deliveries.filter(status=Delivery.Status.CANCELLED).exists()


def test_a_second_cancellation_waits_for_the_first_answer(sent_order, buyer):
    services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    with pytest.raises(ValidationError, match="already waiting"):
        services.order_cancel(order=sent_order, by=buyer, reason="Again")
    assert OrderChange.objects.count() == 1


def test_cancelled_order_cannot_be_cancelled_again(sent_order, buyer, portal_a):
    services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    factory_accepts_all(sent_order, portal_a)
    with pytest.raises(ValidationError, match="can no longer change"):
        services.order_cancel(order=sent_order, by=buyer, reason="Again")
    assert OrderChange.objects.count() == 1


def test_cancelling_an_order_closes_its_pending_date_proposals(sent_order, portal_a, buyer):
    services.delivery_propose_date(
        delivery=first_delivery(sent_order), by=portal_a, proposed_on=days(40), reason="Dye shortage"
    )
    services.order_cancel(order=sent_order, by=buyer, reason="Range dropped")
    assert selectors.deliveries_awaiting_decision(user=buyer).exists()
    factory_accepts_all(sent_order, portal_a)
    assert not selectors.deliveries_awaiting_decision(user=buyer).exists()


# --- Date proposals -------------------------------------------------------------------------------------------


def test_proposal_waits_for_the_buyer_and_leaves_the_promised_date(sent_order, portal_a):
    delivery = first_delivery(sent_order)
    proposal = services.delivery_propose_date(
        delivery=delivery, by=portal_a, proposed_on=days(37), reason=" Dye shortage "
    )
    assert proposal.status == DateProposal.Status.PENDING and proposal.reason == "Dye shortage"
    delivery.refresh_from_db()
    assert delivery.promised_on == days(30)


def test_only_one_proposal_per_delivery_can_wait_for_an_answer(sent_order, portal_a):
    delivery = first_delivery(sent_order)
    services.delivery_propose_date(
        delivery=delivery, by=portal_a, proposed_on=days(37), reason="Dye shortage"
    )
    with pytest.raises(ValidationError, match="already waiting for the buyer's answer"):
        services.delivery_propose_date(delivery=delivery, by=portal_a, proposed_on=days(40), reason="Worse")
    assert DateProposal.objects.count() == 1


def test_proposal_needs_a_reason(sent_order, portal_a):
    with pytest.raises(ValidationError) as exc:
        services.delivery_propose_date(
            delivery=first_delivery(sent_order), by=portal_a, proposed_on=days(37), reason="   "
        )
    assert exc.value.message_dict == {"reason": ["Say why the date moves."]}
    assert not DateProposal.objects.exists()


def test_proposal_of_the_promised_date_itself_is_refused(sent_order, portal_a):
    with pytest.raises(ValidationError, match="already the promised date"):
        services.delivery_propose_date(
            delivery=first_delivery(sent_order), by=portal_a, proposed_on=days(30), reason="Same"
        )


def test_no_new_date_for_a_shipped_delivery(sent_order, portal_a):
    delivery = services.delivery_ship(
        delivery=first_delivery(sent_order), by=portal_a, shipped_on=days(0), quantity_shipped=100
    )
    with pytest.raises(ValidationError, match="Only a delivery not yet shipped"):
        services.delivery_propose_date(delivery=delivery, by=portal_a, proposed_on=days(37), reason="Late")
    assert not DateProposal.objects.exists()


def test_factory_contact_of_b_cannot_propose_a_date_for_a(sent_order, portal_b):
    with pytest.raises(PermissionDenied):
        services.delivery_propose_date(
            delivery=first_delivery(sent_order), by=portal_b, proposed_on=days(37), reason="Nosy"
        )


def test_quality_staff_cannot_propose_a_date_on_the_factorys_behalf(sent_order, quality):
    with pytest.raises(PermissionDenied):
        services.delivery_propose_date(
            delivery=first_delivery(sent_order),
            by=quality,
            proposed_on=days(37),
            reason="Heard from the factory",
        )


@pytest.fixture
def proposal(sent_order, portal_a):
    return services.delivery_propose_date(
        delivery=first_delivery(sent_order), by=portal_a, proposed_on=days(37), reason="Dye shortage"
    )


def test_accepting_a_proposal_moves_the_promised_date_but_not_the_original(proposal, buyer):
    decided = services.delivery_decide_proposal(proposal=proposal, by=buyer, accept=True, note=" ok ")
    assert decided.status == DateProposal.Status.ACCEPTED
    assert decided.decided_by == buyer and decided.decision_note == "ok"
    delivery = Delivery.objects.get(pk=proposal.delivery_id)
    assert (delivery.promised_on, delivery.original_promised_on) == (days(37), days(30))


def test_rejecting_a_proposal_keeps_the_promised_date(proposal, buyer):
    decided = services.delivery_decide_proposal(proposal=proposal, by=buyer, accept=False)
    assert decided.status == DateProposal.Status.REJECTED
    assert Delivery.objects.get(pk=proposal.delivery_id).promised_on == days(30)


def test_deciding_a_proposal_twice_fails_and_the_first_answer_stands(proposal, buyer, manager):
    services.delivery_decide_proposal(proposal=proposal, by=buyer, accept=False)
    with pytest.raises(ValidationError, match="already answered"):
        services.delivery_decide_proposal(proposal=proposal, by=manager, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == DateProposal.Status.REJECTED and proposal.decided_by == buyer
    assert Delivery.objects.get(pk=proposal.delivery_id).promised_on == days(30)


def test_factory_contact_cannot_answer_its_own_proposal(proposal, portal_a):
    with pytest.raises(PermissionDenied):
        services.delivery_decide_proposal(proposal=proposal, by=portal_a, accept=True)
    proposal.refresh_from_db()
    assert proposal.status == DateProposal.Status.PENDING


# --- Shipping and receiving -----------------------------------------------------------------------------------


def test_shipment_date_in_the_future_is_refused(sent_order, portal_a):
    delivery = first_delivery(sent_order)
    with pytest.raises(ValidationError) as exc:
        services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(2), quantity_shipped=100)
    assert exc.value.message_dict == {"shipped_on": ["A shipment date cannot be in the future."]}
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED and delivery.shipped_on is None


def test_order_is_shipped_only_when_every_delivery_shipped(sent_order, portal_a):
    first, second = sent_order.deliveries.order_by("sequence")
    services.delivery_ship(
        delivery=first, by=portal_a, shipped_on=days(0), quantity_shipped=100, tracking_reference=" BL-1 "
    )
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT
    first.refresh_from_db()
    assert (first.status, first.quantity_shipped, first.tracking_reference) == ("shipped", 100, "BL-1")
    services.delivery_ship(delivery=second, by=portal_a, shipped_on=days(0), quantity_shipped=40)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SHIPPED


def test_shipping_twice_fails(sent_order, portal_a):
    delivery = first_delivery(sent_order)
    services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(-1), quantity_shipped=100)
    with pytest.raises(ValidationError, match="already shipped"):
        services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(0), quantity_shipped=90)
    delivery.refresh_from_db()
    assert (delivery.shipped_on, delivery.quantity_shipped) == (days(-1), 100)


def test_nothing_ships_against_a_draft(approved_a, make_order, buyer):
    order = make_order(approved_a)
    with pytest.raises(ValidationError, match="The order is Draft"):
        services.delivery_ship(
            delivery=first_delivery(order), by=buyer, shipped_on=days(0), quantity_shipped=1
        )


def test_factory_contact_of_b_cannot_ship_for_a(sent_order, portal_b):
    with pytest.raises(PermissionDenied):
        services.delivery_ship(
            delivery=first_delivery(sent_order), by=portal_b, shipped_on=days(0), quantity_shipped=1
        )


def test_receipt_date_in_the_future_is_refused(sent_order, buyer):
    delivery = first_delivery(sent_order)
    with pytest.raises(ValidationError) as exc:
        services.delivery_receive(delivery=delivery, by=buyer, received_on=days(1), quantity_received=100)
    assert exc.value.message_dict == {"received_on": ["A receipt date cannot be in the future."]}
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED and delivery.received_on is None


def test_receiving_twice_fails_and_the_first_receipt_stands(sent_order, buyer, quality):
    delivery = first_delivery(sent_order)
    services.delivery_receive(delivery=delivery, by=quality, received_on=days(-1), quantity_received=98)
    with pytest.raises(ValidationError, match="already received"):
        services.delivery_receive(delivery=delivery, by=buyer, received_on=days(0), quantity_received=100)
    delivery.refresh_from_db()
    assert (delivery.received_on, delivery.quantity_received, delivery.received_by) == (days(-1), 98, quality)


def test_order_is_received_when_every_delivery_is_received(sent_order, buyer, portal_a):
    first, second = sent_order.deliveries.order_by("sequence")
    services.delivery_ship(delivery=first, by=portal_a, shipped_on=days(-2), quantity_shipped=100)
    services.delivery_receive(delivery=first, by=buyer, received_on=days(0), quantity_received=100)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED
    services.delivery_receive(delivery=second, by=buyer, received_on=days(0), quantity_received=40)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.RECEIVED


def test_receiving_closes_a_pending_date_proposal(proposal, buyer):
    delivery = Delivery.objects.get(pk=proposal.delivery_id)
    services.delivery_receive(delivery=delivery, by=buyer, received_on=days(0), quantity_received=100)
    proposal.refresh_from_db()
    assert proposal.status == DateProposal.Status.CLOSED
    assert proposal.decision_note == "Closed: the goods were received."
    delivery.refresh_from_db()
    assert delivery.promised_on == days(30)


def test_factory_contact_cannot_record_a_receipt(sent_order, portal_a):
    with pytest.raises(PermissionDenied):
        services.delivery_receive(
            delivery=first_delivery(sent_order), by=portal_a, received_on=days(0), quantity_received=100
        )


def test_late_receipt_is_flagged_in_the_activity(approved_a, make_order, buyer):
    order = services.order_send(
        order=make_order(approved_a, lines=[line_data(required_on=days(-5))]), by=buyer
    )
    services.delivery_receive(
        delivery=first_delivery(order), by=buyer, received_on=days(-1), quantity_received=1
    )
    assert Activity.objects.filter(supplier=approved_a, kind=Activity.Kind.DELIVERY_RECEIVED_LATE).exists()


# --- Pilot programmes -----------------------------------------------------------------------------------------


@pytest.fixture
def pilot_supplier(supplier_a):
    return set_stage(supplier_a, Stage.PILOT)


def start_pilot(supplier, by, length=120, **criteria):
    start = timezone.localdate()
    return services.pilot_create(
        supplier=supplier,
        by=by,
        name="Tote pilot",
        starts_on=start,
        ends_on=start + timedelta(days=length),
        **criteria,
    )


def test_pilot_starts_only_in_the_pilot_stage(supplier_a, buyer):
    set_stage(supplier_a, Stage.VETTING)
    with pytest.raises(ValidationError, match="Move the supplier to the pilot stage"):
        start_pilot(supplier_a, buyer)
    assert not PilotProgram.objects.exists()


@pytest.mark.parametrize("length", [90, 184])
def test_pilot_of_three_to_six_months_is_accepted(pilot_supplier, buyer, length):
    pilot = start_pilot(pilot_supplier, buyer, length=length)
    assert pilot.status == PilotProgram.Status.RUNNING
    assert Activity.objects.filter(supplier=pilot_supplier, kind=Activity.Kind.PILOT_STARTED).exists()


@pytest.mark.parametrize("length", [89, 185, -10])
def test_pilot_shorter_than_three_or_longer_than_six_months_is_refused(pilot_supplier, buyer, length):
    with pytest.raises(ValidationError) as exc:
        start_pilot(pilot_supplier, buyer, length=length)
    assert f"this one is {length} days" in exc.value.message_dict["ends_on"][0]
    assert not PilotProgram.objects.exists()


def test_only_one_pilot_runs_at_a_time(pilot_supplier, buyer):
    start_pilot(pilot_supplier, buyer)
    with pytest.raises(ValidationError, match="already has a running pilot programme"):
        start_pilot(pilot_supplier, buyer)
    assert PilotProgram.objects.count() == 1


def test_pilot_targets_are_validated(pilot_supplier, buyer):
    with pytest.raises(ValidationError) as exc:
        start_pilot(pilot_supplier, buyer, target_on_time_rate=120)
    assert "target_on_time_rate" in exc.value.message_dict


@pytest.fixture
def running_pilot(pilot_supplier, buyer):
    return start_pilot(pilot_supplier, buyer, length=120)


def test_only_managers_decide_a_pilot(running_pilot, buyer):
    with pytest.raises(PermissionDenied):
        services.pilot_decide(pilot=running_pilot, by=buyer, decision="passed", note="Looks fine")
    running_pilot.refresh_from_db()
    assert running_pilot.status == PilotProgram.Status.RUNNING and running_pilot.decided_by is None


def test_decision_needs_a_note(running_pilot, manager):
    with pytest.raises(ValidationError) as exc:
        services.pilot_decide(pilot=running_pilot, by=manager, decision="passed", note=" ")
    assert "note" in exc.value.message_dict


def test_unknown_decision_is_refused(running_pilot, manager):
    with pytest.raises(ValidationError) as exc:
        services.pilot_decide(pilot=running_pilot, by=manager, decision="running", note="Hmm")
    assert "decision" in exc.value.message_dict


@pytest.mark.parametrize("extend_by", [None, 0, -5])
def test_extension_needs_a_later_end_date(running_pilot, manager, extend_by):
    extend_to = None if extend_by is None else running_pilot.ends_on + timedelta(days=extend_by)
    with pytest.raises(ValidationError) as exc:
        services.pilot_decide(
            pilot=running_pilot, by=manager, decision="extended", note="More data", extend_to=extend_to
        )
    assert "extend_to" in exc.value.message_dict
    running_pilot.refresh_from_db()
    assert running_pilot.status == PilotProgram.Status.RUNNING


def test_extension_stays_within_six_months_in_all(running_pilot, manager):
    too_far = running_pilot.starts_on + timedelta(days=185)
    with pytest.raises(ValidationError, match="at most 6 months in all"):
        services.pilot_decide(
            pilot=running_pilot, by=manager, decision="extended", note="More data", extend_to=too_far
        )
    longest = running_pilot.starts_on + timedelta(days=184)
    pilot = services.pilot_decide(
        pilot=running_pilot, by=manager, decision="extended", note="More data", extend_to=longest
    )
    assert pilot.status == PilotProgram.Status.EXTENDED and pilot.ends_on == longest


def test_extended_pilot_can_then_pass_but_a_closed_one_is_final(running_pilot, manager):
    services.pilot_decide(
        pilot=running_pilot,
        by=manager,
        decision="extended",
        note="More data",
        extend_to=running_pilot.ends_on + timedelta(days=30),
    )
    pilot = services.pilot_decide(pilot=running_pilot, by=manager, decision="passed", note="On target")
    assert pilot.status == PilotProgram.Status.PASSED and pilot.decided_by == manager
    with pytest.raises(ValidationError, match="already closed"):
        services.pilot_decide(pilot=pilot, by=manager, decision="rejected", note="Second thoughts")


def test_passed_pilot_makes_the_pilot_gate_pass(running_pilot, pilot_supplier, manager):
    def pilot_gate():
        results = evaluate_gates(supplier=pilot_supplier, stage=Stage.APPROVED, today=timezone.localdate())
        return next(result for result in results if result.code == "pilot")

    assert pilot_gate().passed is False
    services.pilot_decide(pilot=running_pilot, by=manager, decision="passed", note="On target")
    gate = pilot_gate()
    assert gate.passed is True and "Tote pilot passed on" in str(gate.detail)


def test_rejected_pilot_keeps_the_pilot_gate_closed(running_pilot, pilot_supplier, manager):
    services.pilot_decide(pilot=running_pilot, by=manager, decision="rejected", note="Too many defects")
    results = evaluate_gates(supplier=pilot_supplier, stage=Stage.APPROVED, today=timezone.localdate())
    assert next(r for r in results if r.code == "pilot").passed is False


def test_pilot_of_another_supplier_does_not_open_the_gate(running_pilot, manager, buyer):
    other = SupplierFactory(stage=Stage.PILOT, owner=buyer)
    services.pilot_decide(pilot=running_pilot, by=manager, decision="passed", note="On target")
    results = evaluate_gates(supplier=other, stage=Stage.APPROVED, today=timezone.localdate())
    assert next(r for r in results if r.code == "pilot").passed is False


def test_a_partial_receipt_leaves_the_rest_as_a_back_order_due_on_the_same_date(sent_order, buyer):
    delivery = sent_order.deliveries.order_by("sequence").first()
    services.delivery_receive(
        delivery=delivery, by=buyer, received_on=days(0), quantity_received=delivery.quantity_planned - 40
    )
    back_order = sent_order.deliveries.order_by("-sequence").first()
    assert back_order.pk != delivery.pk and back_order.status == "planned"
    assert back_order.quantity_planned == 40 and back_order.promised_on == delivery.promised_on
