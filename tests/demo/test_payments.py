"""The demo's payments: built through the services on a supplier's real order history."""

import random

import pytest
from django.utils import timezone

from demo.history import History
from demo.payments import seed_payments
from payments.models import Invoice, InvoiceDiscrepancy, PaymentTermChange
from suppliers.models import Stage
from tests.factories import ContractFactory, PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def history_of(name: str, *, buyer, quality, manager, index: int):
    supplier = SupplierFactory(name=name, owner=buyer, stage=Stage.APPROVED)
    ContractFactory(
        supplier=supplier, payment_terms_days=30, valid_from=timezone.localdate().replace(year=2000)
    )
    portal = PortalUserFactory(supplier=supplier)
    rng = random.Random(index)
    history = History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=portal,
        rng=rng,
        today=timezone.localdate(),
        index=index,
    )
    history.volume_history()
    return supplier, portal, rng


def seed(supplier, portal, rng, *, buyer, manager):
    seed_payments(
        supplier=supplier, buyer=buyer, manager=manager, portal=portal, rng=rng, today=timezone.localdate()
    )


def test_demo_invoices_are_paid_early_on_time_and_late_with_one_price_hike(buyer, quality, manager):
    supplier, portal, rng = history_of(
        "Shenzhen Brightway Electronics", buyer=buyer, quality=quality, manager=manager, index=0
    )
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    invoices = list(supplier.invoices.all())
    today = timezone.localdate()
    paid = [i for i in invoices if i.status == Invoice.Status.PAID]
    assert any(i.paid_on < i.due_on for i in paid), "paid early"
    assert any(i.paid_on == i.due_on for i in paid), "paid on the due date"
    assert any(i.paid_on > i.due_on for i in paid), "paid late"
    assert not [i for i in invoices if i.due_on < today and i.status == Invoice.Status.APPROVED]
    assert any(i.is_open and i.due_on >= today for i in invoices), "open and not yet due"
    hike = InvoiceDiscrepancy.objects.get(supplier=supplier)
    assert hike.kind == "price" and hike.status == "open" and hike.invoiced > hike.expected
    count = len(invoices)
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    assert supplier.invoices.count() == count  # running it again adds nothing


@pytest.mark.parametrize(
    ("name", "status"),
    [("Saigon Garment Joint Stock", "disputed"), ("Porto Calçado", "accepted")],
)
def test_demo_term_changes(buyer, quality, manager, name, status):
    supplier, portal, rng = history_of(name, buyer=buyer, quality=quality, manager=manager, index=7)
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    change = PaymentTermChange.objects.get(supplier=supplier)
    assert change.status == status and change.previous_terms_days == 30
    overdue = supplier.invoices.filter(
        due_on__lt=timezone.localdate(), status=Invoice.Status.APPROVED
    ).count()
    assert overdue == (1 if name == "Saigon Garment Joint Stock" else 0)


def test_demo_hidden_charge_is_an_unagreed_freight_surcharge_held_by_the_match(buyer, quality, manager):
    supplier, portal, rng = history_of(
        "Ningbo Harbor Plastics", buyer=buyer, quality=quality, manager=manager, index=1
    )
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    (held,) = InvoiceDiscrepancy.objects.filter(supplier=supplier)
    assert (held.kind, held.charge.kind, held.expected, held.invoiced) == ("charge", "freight", 0, 420)
    assert held.invoice.status == Invoice.Status.DISPUTED
    seed(supplier, portal, rng, buyer=buyer, manager=manager)
    assert InvoiceDiscrepancy.objects.filter(supplier=supplier).count() == 1  # running it again adds nothing
