"""An orders import reads each supplier's capacity and price agreements once for the whole file, and tells each
factory of its orders at the end of the import's transaction: the same checks, prices and notices as orders sent
one by one from their page."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from communications.messages import message_render
from communications.models import Notification
from imports.models import ImportJob
from orders import services as order_services
from orders.models import PurchaseOrder
from pricing.models import PriceAgreement
from pricing.selectors import AgreementBook, agreements_in_force
from suppliers.models import Stage
from tests.factories import CapacityAssessmentFactory, PortalUserFactory, SupplierFactory
from tests.imports.helpers import confirm, csv_file, errors_of, preview

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


@pytest.fixture
def approved(buyer):
    return SupplierFactory(name="Gamma Metal Works", owner=buyer, stage=Stage.APPROVED)


def order_row(supplier, number: str, *, quantity: int = 100, ordered_on="2026-11-20", **cells) -> dict:
    """Return the one line of an order (status sent) as a file holds it."""
    return {
        "po_number": number,
        "supplier": supplier.name,
        "ordered_on": ordered_on,
        "sku": "SKU-0",
        "description": "Item",
        "quantity": str(quantity),
        "unit_price": "1.25",
        "required_on": "2027-02-01",
        **cells,
    }


def told(order) -> list[tuple]:
    """Return what each factory contact was told of an order: the stored notice, reader by reader."""
    return sorted(
        (n.user.email, n.message_key, n.params, n.title, n.body, n.url, n.family, n.email)
        for n in Notification.objects.filter(attachment_kind="order_pdf", attachment_id=order.pk)
    )


@time_machine.travel(TODAY, tick=False)
def test_each_factory_contact_hears_of_each_imported_order_as_of_one_sent_from_its_page(
    buyer, approved, django_capture_on_commit_callbacks
):
    english = PortalUserFactory(supplier=approved, language="en", email="li@gamma.test")
    vietnamese = PortalUserFactory(supplier=approved, language="vi", email="an@gamma.test")
    PortalUserFactory(supplier=approved, is_active=False)  # left the company: told nothing
    other = SupplierFactory(name="Delta Plastics", owner=buyer, stage=Stage.APPROVED)
    PortalUserFactory(supplier=other, email="mai@delta.test")
    rows = [order_row(approved, "PO-1"), order_row(other, "PO-2"), order_row(approved, "PO-3")]
    job = preview(buyer, "orders", csv_file("orders", rows))
    assert not Notification.objects.exists()  # the dry run told no one

    with django_capture_on_commit_callbacks(execute=True):
        job = confirm(job, buyer)

    assert (job.status, job.created_count) == (ImportJob.Status.DONE, 3)
    by_page = order_services.order_send(
        order=order_services.order_create(
            supplier=approved,
            by=buyer,
            number="PO-PAGE",
            ordered_on=TODAY,
            lines=[
                {
                    "sku": "X",
                    "description": "Item",
                    "quantity": 1,
                    "unit_price": Decimal("1"),
                    "required_on": TODAY,
                }
            ],
        ),
        by=buyer,
    )
    for number, contacts in (("PO-1", [vietnamese, english]), ("PO-3", [vietnamese, english])):
        order = PurchaseOrder.objects.get(number=number)
        params = {"company": settings.FORGELINE_COMPANY_NAME, "number": number}
        with translation.override("en"):  # the stored text; each reader's own language when shown or sent
            body = message_render("order_sent", params)[1]
        expected = [
            (
                user.email,
                "order_sent",
                params,
                f"New purchase order {number}",
                body,
                reverse("portal:order_detail", args=[order.pk]),
                "orders",
                Notification.Email.SENT,  # the queued task ran on commit
            )
            for user in contacts
        ]
        assert told(order) == expected
        # The same notice as an order sent from its page, but for its number and link.
        assert [row[:2] + row[6:7] for row in told(order)] == [row[:2] + row[6:7] for row in told(by_page)]
    assert [row[0] for row in told(PurchaseOrder.objects.get(number="PO-2"))] == ["mai@delta.test"]
    # Each email once, in its reader's language, with the PO attached.
    assert len(mail.outbox) == 5
    for email in mail.outbox:
        reader = {english.email: english, vietnamese.email: vietnamese}.get(email.to[0])
        if reader is None:
            continue
        number = next(n for n in ("PO-1", "PO-3") if n in email.subject)
        with translation.override(reader.language):
            title = message_render(
                "order_sent", {"company": settings.FORGELINE_COMPANY_NAME, "number": number}
            )[0]
        assert email.subject == f"Forgeline: {title}"
        assert [name for name, _content, _type in email.attachments] == [f"{number}.pdf"]


@time_machine.travel(TODAY, tick=False)
def test_an_import_that_fails_tells_no_factory(buyer, approved):
    PortalUserFactory(supplier=approved)
    rows = [order_row(approved, "PO-1"), order_row(approved, "PO-2")]
    job = preview(buyer, "orders", csv_file("orders", rows))
    approved.stage = Stage.ON_HOLD  # between the preview and the import: volume orders are refused now
    approved.save(update_fields=["stage"])

    job = confirm(job, buyer)

    assert job.status == ImportJob.Status.FAILED
    assert not PurchaseOrder.objects.exists() and not Notification.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_loading_only_the_good_rows_tells_the_factory_of_each_order_loaded(buyer, approved):
    PortalUserFactory(supplier=approved)
    rows = [
        order_row(approved, "PO-1"),
        order_row(approved, "PO-2", quantity="none"),
        order_row(approved, "PO-3"),
    ]
    job = confirm(preview(buyer, "orders", csv_file("orders", rows)), buyer, only_good_rows=True)

    assert (job.created_count, job.error_count) == (2, 1)
    assert sorted(Notification.objects.values_list("params__number", flat=True)) == ["PO-1", "PO-3"]


@time_machine.travel(TODAY, tick=False)
def test_each_order_is_checked_against_the_capacity_on_its_own_total_not_the_files(buyer, approved):
    # 1,000 a month: an order above 500 units needs a forecast's notice, and none was published.
    CapacityAssessmentFactory(supplier=approved, monthly_capacity=1000)
    rows = [
        order_row(approved, "PO-1", quantity=400),
        order_row(approved, "PO-2", quantity=400),  # 800 with the first: still each under half the capacity
        order_row(approved, "PO-3", quantity=600),
    ]
    job = preview(buyer, "orders", csv_file("orders", rows))

    assert [row.action for row in job.rows.order_by("number")] == ["create", "create", "error"]
    draft = order_services.order_create(
        supplier=approved,
        by=buyer,
        number="PO-PAGE",
        ordered_on=date(2026, 11, 20),
        lines=[
            {
                "sku": "SKU-0",
                "description": "Item",
                "quantity": 600,
                "unit_price": Decimal("1.25"),
                "required_on": date(2027, 2, 1),
            }
        ],
    )
    warning = order_services.order_short_notice_warning(order=draft)
    assert errors_of(job) == [f"row 4: {warning}"]  # the page's warning, word for word


@time_machine.travel(TODAY, tick=False)
def test_a_capacity_recorded_after_the_preview_is_read_by_the_import(buyer, approved):
    PortalUserFactory(supplier=approved)
    rows = [order_row(approved, "PO-1", quantity=400), order_row(approved, "PO-2", quantity=600)]
    job = preview(buyer, "orders", csv_file("orders", rows))
    assert job.error_count == 0  # no capacity known yet: nothing to compare with
    CapacityAssessmentFactory(supplier=approved, monthly_capacity=1000)

    job = confirm(job, buyer)

    assert job.status == ImportJob.Status.FAILED
    assert "short notice" in errors_of(job)[0]
    assert not PurchaseOrder.objects.exists() and not Notification.objects.exists()


def agreement(supplier, buyer, *, price: str, valid_from: date, valid_to=None, version=1) -> PriceAgreement:
    return PriceAgreement.objects.create(
        supplier=supplier,
        sku="SKU-0",
        unit_price=Decimal(price),
        currency="USD",
        valid_from=valid_from,
        valid_to=valid_to,
        version=version,
        created_by=buyer,
    )


@time_machine.travel(TODAY, tick=False)
def test_each_order_is_priced_by_the_agreement_version_in_force_on_its_own_date(buyer, approved):
    october = agreement(
        approved, buyer, price="1.00", valid_from=date(2026, 1, 1), valid_to=date(2026, 10, 31)
    )
    november = agreement(approved, buyer, price="1.25", valid_from=date(2026, 11, 1), version=2)
    unpriced = SupplierFactory(name="Delta Plastics", owner=buyer, stage=Stage.APPROVED)  # no agreement
    rows = [
        order_row(approved, "PO-OCT", ordered_on="2026-10-15", unit_price=""),
        order_row(approved, "PO-NOV", ordered_on="2026-11-20", unit_price=""),
        order_row(approved, "PO-OFF", ordered_on="2026-11-20", unit_price="1.00"),
        order_row(unpriced, "PO-NONE", ordered_on="2026-11-20", unit_price=""),
    ]
    job = confirm(preview(buyer, "orders", csv_file("orders", rows)), buyer, only_good_rows=True)

    assert errors_of(job) == [
        "row 4: Line 1: SKU-0 has an agreed price of 1.25 USD on the order date; use it, or say why this line is "
        "priced otherwise.",
        "row 5: Line 1: give the unit price (no price agreement for SKU-0 on the order date).",
    ]
    for number, price, version in (("PO-OCT", "1.0000", october), ("PO-NOV", "1.2500", november)):
        line = PurchaseOrder.objects.get(number=number).lines.get()
        assert (line.unit_price, line.price_agreement) == (Decimal(price), version)


def test_the_agreement_book_answers_as_agreements_in_force_on_every_day(buyer, approved):
    agreement(approved, buyer, price="1.00", valid_from=date(2026, 1, 1), valid_to=date(2026, 10, 31))
    agreement(approved, buyer, price="1.25", valid_from=date(2026, 11, 1), version=2)
    other = SupplierFactory(name="Delta Plastics", stage=Stage.APPROVED)
    agreement(other, buyer, price="2.00", valid_from=date(2026, 6, 1))
    book = AgreementBook(supplier_ids=[approved.pk], skus=["SKU-0", "SKU-9"])

    for day in (
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 10, 31),
        date(2026, 11, 1),
        date(2027, 5, 1),
    ):
        for supplier in (approved, other):  # the other supplier was not read: looked up as ever
            for skus in (["SKU-0"], ["SKU-0", "SKU-9", ""], ["SKU-7"]):
                assert book.in_force(supplier_id=supplier.pk, skus=skus, on=day) == agreements_in_force(
                    supplier_id=supplier.pk, skus=skus, on=day
                ), (day, supplier, skus)
