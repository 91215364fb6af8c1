"""Each business event of the issue is emitted by the service that makes it happen, with its state."""

from decimal import Decimal

import pytest
from django.utils import timezone

from audits import services as audit_services
from audits.models import CorrectiveAction
from core.events import EventType
from integrations.models import WebhookEvent
from orders import services as order_services
from orders.models import PurchaseOrder
from payments import services as payment_services
from scorecards import services as scorecard_services
from scorecards.models import RedFlag
from suppliers import services as supplier_services
from suppliers.models import Stage
from tests.factories import ContactFactory, CorrectiveActionFactory, DeliveryFactory, PurchaseOrderFactory
from tests.payments.factories import InvoiceFactory

pytestmark = pytest.mark.django_db


def events():
    return [(event.type, event.payload["object"]["state"]) for event in WebhookEvent.objects.order_by("pk")]


def test_receiving_a_delivery_sends_delivery_received_and_the_orders_new_state(endpoint, supplier_a, buyer):
    delivery = DeliveryFactory(
        order=PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT)
    )
    order_services.delivery_receive(
        delivery=delivery,
        by=buyer,
        received_on=timezone.localdate(),
        quantity_received=delivery.quantity_planned,
    )
    assert events() == [(EventType.ORDER_STATE, "received"), (EventType.DELIVERY_RECEIVED, "received")]
    payload = WebhookEvent.objects.get(type=EventType.DELIVERY_RECEIVED).payload
    assert payload["supplier"] == {"id": supplier_a.pk, "name": "Alpha Factory"}
    assert payload["delivery"]["order_id"] == delivery.order_id
    assert payload["delivery"]["quantity_received"] == delivery.quantity_planned


def test_closing_and_cancelling_orders_send_their_state(endpoint, supplier_a, buyer):
    received = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.RECEIVED)
    order_services.order_close(order=received, by=buyer)
    draft = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.DRAFT)
    order_services.order_cancel(order=draft, by=buyer, reason="Not needed")
    assert events() == [(EventType.ORDER_STATE, "closed"), (EventType.ORDER_STATE, "cancelled")]


def test_recording_an_inspection_sends_its_result(endpoint, supplier_a, quality):
    audit_services.inspection_record(
        supplier=supplier_a,
        by=quality,
        checkpoint="pre_shipment",
        inspected_on=timezone.localdate(),
        lot_size=500,
        major_defects=1,
        defective_units=1,
    )
    assert events() == [(EventType.INSPECTION_RECORDED, "accept")]
    assert WebhookEvent.objects.get().payload["inspection"]["checkpoint"] == "pre_shipment"


def test_verifying_a_corrective_action_sends_its_state(endpoint, supplier_a, quality):
    action = CorrectiveActionFactory(supplier=supplier_a, status=CorrectiveAction.Status.SUBMITTED)
    audit_services.capa_verify(action=action, by=quality, accept=False, note="Evidence missing")
    assert events() == [(EventType.CORRECTIVE_ACTION_STATE, "rejected")]


def test_a_stage_change_sends_the_stages(endpoint, supplier_a, buyer):
    ContactFactory(supplier=supplier_a, is_primary=True)
    supplier_services.supplier_change_stage(
        supplier=supplier_a, to_stage=Stage.VETTING, by=buyer, reason="First call went well"
    )
    assert events() == [(EventType.SUPPLIER_STAGE, "vetting")]
    assert WebhookEvent.objects.get().payload["stage"] == {"from": "prospect", "to": "vetting"}


def test_approving_paying_and_rejecting_invoices_send_their_states(endpoint, supplier_a, buyer):
    invoice = InvoiceFactory(order=PurchaseOrderFactory(supplier=supplier_a), amount=Decimal("100.00"))
    payment_services.invoice_approve(invoice=invoice, by=buyer)
    payment_services.payment_record(
        invoice=invoice, by=buyer, paid_on=timezone.localdate(), amount=Decimal("40.00"), reference="T-1"
    )
    other = InvoiceFactory(order=PurchaseOrderFactory(supplier=supplier_a))
    payment_services.invoice_reject(invoice=other, by=buyer, reason="Wrong order")
    assert events() == [
        (EventType.INVOICE_STATE, "approved"),
        (EventType.INVOICE_STATE, "partially_paid"),
        (EventType.INVOICE_STATE, "rejected"),
    ]


def test_resolving_a_red_flag_sends_red_flag_resolved(endpoint, supplier_a, buyer):
    flag = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.NO_CONTACT,
        period="2026-W48",
        observed="40 days",
        target="14 days",
    )
    scorecard_services.flag_resolve(flag=flag, by=buyer, note="Called them")
    assert events() == [(EventType.RED_FLAG_RESOLVED, "resolved")]
    assert WebhookEvent.objects.get().payload["red_flag"]["rule"] == "no_contact"


def test_a_refused_write_sends_nothing(endpoint, supplier_a, buyer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        order_services.order_close(
            order=PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT), by=buyer
        )
    assert events() == []
