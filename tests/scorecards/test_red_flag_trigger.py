"""The explicit red-flag trigger: services whose writes the rules read ask for one check per supplier and commit.

A timeline line is no trigger: a contact added queues nothing, and a transaction writing many rows queues one check
per supplier it touched, after the commit (none on a rollback).
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from audits import services as audit_services
from communications import services as communication_services
from communications.models import CheckIn
from orders import services as order_services
from orders.models import PurchaseOrder
from scorecards import tasks
from suppliers import services as supplier_services
from suppliers import triggers
from suppliers.models import Contact, Stage
from tests.factories import ContactFactory, DeliveryFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """The supplier ids whose red-flag check was queued, in order."""
    ids = []
    monkeypatch.setattr(tasks.red_flags_check_supplier_task, "delay", ids.append)
    return ids


@pytest.fixture
def sent_order(supplier_a):
    return PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT)


def _receive(delivery, buyer):
    order_services.delivery_receive(
        delivery=delivery,
        by=buyer,
        received_on=timezone.localdate(),
        quantity_received=delivery.quantity_planned,
    )


def _inspect(supplier, quality):
    return audit_services.inspection_record(
        supplier=supplier,
        by=quality,
        checkpoint="pre_shipment",
        inspected_on=timezone.localdate(),
        lot_size=500,
        major_defects=1,
        defective_units=1,
    )


def test_several_writes_in_one_transaction_queue_one_check_after_the_commit(
    sent_order, supplier_a, buyer, quality, queued, django_capture_on_commit_callbacks
):
    first, second = DeliveryFactory(order=sent_order), DeliveryFactory(order=sent_order)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _receive(first, buyer)
        _receive(second, buyer)
        _inspect(supplier_a, quality)
        assert queued == []  # nothing before the commit
    assert queued == [supplier_a.pk]


def test_writes_for_two_suppliers_queue_one_check_each(
    sent_order, supplier_a, supplier_b, buyer, quality, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _inspect(supplier_a, quality)
        _inspect(supplier_b, quality)
        _inspect(supplier_a, quality)
    assert sorted(queued) == sorted([supplier_a.pk, supplier_b.pk])


def test_a_rolled_back_write_queues_no_check_and_the_next_one_still_does(
    supplier_a, quality, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            _inspect(supplier_a, quality)
            raise RuntimeError("changed my mind")
        assert queued == []
        with transaction.atomic():
            _inspect(supplier_a, quality)
    assert queued == [supplier_a.pk]


def test_a_contact_added_queues_no_check(supplier_a, buyer, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        supplier_services.contact_save(supplier=supplier_a, by=buyer, name="Li Wei", role=Contact.Role.SALES)
    assert queued == [] and supplier_a.activities.exists()


def test_muted_writes_queue_no_check(supplier_a, quality, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), triggers.muted():
        _inspect(supplier_a, quality)
    assert queued == []


def _issue(supplier, buyer):
    return communication_services.issue_raise(
        supplier=supplier,
        by=buyer,
        category="quality",
        subject="Loose threads",
        description="On the last lot.",
    )


RULE_WRITES = {
    "a receipt": lambda s, buyer, quality: _receive(
        DeliveryFactory(order=PurchaseOrderFactory(supplier=s, status=PurchaseOrder.Status.SENT)), buyer
    ),
    "an inspection": lambda s, buyer, quality: _inspect(s, quality),
    "an issue raised": lambda s, buyer, quality: _issue(s, buyer),
    "a corrective action": lambda s, buyer, quality: audit_services.capa_raise(
        by=quality,
        supplier=s,
        title="Fix the gauge",
        problem="Out of date",
        due_on=timezone.localdate() + timedelta(days=14),
    ),
    "a certificate": lambda s, buyer, quality: supplier_services.certification_create(
        supplier=s,
        by=buyer,
        standard="iso_9001",
        valid_from=timezone.localdate() - timedelta(days=300),
        valid_until=timezone.localdate() + timedelta(days=20),
    ),
    "a stage change": lambda s, buyer, quality: supplier_services.supplier_change_stage(
        supplier=ContactFactory(supplier=s).supplier, by=buyer, to_stage=Stage.VETTING, reason="Start vetting"
    ),
}


@pytest.mark.parametrize("write", list(RULE_WRITES))
def test_each_write_the_rules_read_queues_one_check(
    write, supplier_a, buyer, quality, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        RULE_WRITES[write](supplier_a, buyer, quality)
    assert queued == [supplier_a.pk]


def test_a_reply_and_a_check_in_held_queue_one_check_each(
    supplier_a, buyer, portal_a, queued, django_capture_on_commit_callbacks
):
    issue = _issue(supplier_a, buyer)
    with django_capture_on_commit_callbacks(execute=True):
        communication_services.issue_reply(issue=issue, by=portal_a, body="We are on it.")
    assert queued == [supplier_a.pk]
    at = timezone.now() - timedelta(hours=2)
    checkin = CheckIn.objects.create(
        supplier=supplier_a, original_date=at.date(), date=at.date(), scheduled_at=at
    )
    with django_capture_on_commit_callbacks(execute=True):
        communication_services.checkin_record_minutes(checkin=checkin, by=buyer, attendees="Li", notes="Fine")
    assert queued == [supplier_a.pk, supplier_a.pk]
