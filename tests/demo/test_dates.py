"""The demo dates each timeline line by its kind and the row it is about, never by reading its text or link."""

import random
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from demo import dates
from demo.history import History
from demo.payments import seed_payments
from orders.models import Delivery
from payments.models import Invoice
from suppliers.models import Activity, Stage
from tests.factories import ContractFactory, PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def backdated(buyer, quality, manager):
    supplier = SupplierFactory(name="Saigon Garment Joint Stock", owner=buyer, stage=Stage.APPROVED)
    ContractFactory(
        supplier=supplier, payment_terms_days=30, valid_from=timezone.localdate().replace(year=2000)
    )
    portal = PortalUserFactory(supplier=supplier)
    rng, today = random.Random(1), timezone.localdate()
    History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=portal,
        rng=rng,
        today=today,
        index=1,
    ).volume_history()
    seed_payments(supplier=supplier, buyer=buyer, manager=manager, portal=portal, rng=rng, today=today)
    dates.backdate(supplier, today=today)
    return supplier


def lines(supplier, kind, model):
    found = list(Activity.objects.filter(supplier=supplier, kind=kind, object_type=model._meta.label_lower))
    assert found, kind
    return [(line, model.objects.get(pk=line.object_id)) for line in found]


def test_a_receipt_line_is_dated_on_the_day_the_goods_arrived(backdated):
    for line, delivery in lines(backdated, Activity.Kind.DELIVERY_RECEIVED, Delivery):
        assert timezone.localtime(line.occurred_at).date() == delivery.received_on


def test_an_invoice_is_approved_two_days_after_it_arrived_and_paid_on_its_payment_day(backdated):
    for line, invoice in lines(backdated, Activity.Kind.INVOICE_APPROVED, Invoice):
        assert line.occurred_at == at(invoice.received_on + timedelta(days=2), 10)
        assert line.occurred_at == invoice.decided_at  # the timeline agrees with the invoice's own record
    paid = lines(backdated, Activity.Kind.INVOICE_PAID, Invoice) + lines(
        backdated, Activity.Kind.INVOICE_PAID_LATE, Invoice
    )
    for line, invoice in paid:
        assert timezone.localtime(line.occurred_at).date() == invoice.paid_on
