"""Importing contacts, certifications, client references, open orders and receipts: good and bad rows, dry run,
idempotent re-import, and each through the owning app's services."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from imports.models import ImportJob
from orders.models import Delivery, PurchaseOrder
from suppliers.models import Certification, ClientReference, Contact, Stage
from tests.factories import ContactFactory, SupplierFactory
from tests.imports.helpers import confirm, csv_file, errors_of, preview, xlsx_file

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)


@pytest.fixture
def approved(buyer):
    return SupplierFactory(name="Gamma Metal Works", owner=buyer, stage=Stage.APPROVED)


def test_contacts_are_created_updated_and_unknown_suppliers_named(buyer, approved):
    ContactFactory(supplier=approved, name="Li Wei", title="Sales")
    rows = [
        {
            "supplier": "gamma metal works",
            "name": "Li Wei",
            "title": "Key account manager",
            "is_primary": "yes",
        },
        {
            "supplier": "Gamma Metal Works",
            "name": "Tran Thi Mai",
            "role": "quality",
            "email": "mai@gamma.test",
        },
        {"supplier": "Gama Metal", "name": "Nobody"},
        {"supplier": "Gamma Metal Works", "name": "Bad Role", "role": "boss"},
    ]
    job = preview(buyer, "contacts", csv_file("contacts", rows))

    assert [row.action for row in job.rows.all()] == ["update", "create", "error", "error"]
    assert errors_of(job)[0] == "row 4, column supplier: supplier 'Gama Metal' not found"
    assert errors_of(job)[1].startswith("row 5, column role: 'boss' is not one of: general_manager, sales")

    confirm(job, buyer, only_good_rows=True)
    li = Contact.objects.get(name="Li Wei")
    assert (li.title, li.is_primary) == ("Key account manager", True)
    assert Contact.objects.get(name="Tran Thi Mai").role == "quality"

    again = preview(buyer, "contacts", csv_file("contacts", rows[:2]))
    assert (again.skipped_count, again.created_count, again.updated_count) == (2, 0, 0)


def test_certifications_match_on_number_and_issuer_and_wait_for_verification(buyer, approved):
    row = {
        "supplier": approved.name,
        "standard": "ISO 9001",
        "number": "CN-QMS-1",
        "issuer": "SGS",
        "valid_from": date(2025, 1, 15),  # a spreadsheet date cell
        "valid_until": "2028-01-14",
    }
    bad = {**row, "number": "CN-QMS-2", "valid_until": "2024-01-01"}
    job = preview(buyer, "certifications", xlsx_file("certifications", [row, bad]))

    assert errors_of(job) == ["row 3, column valid_until: 'valid until' is before 'valid from'"]
    confirm(job, buyer, only_good_rows=True)
    cert = Certification.objects.get(number="CN-QMS-1")
    assert (cert.supplier, cert.status, cert.standard, cert.document.name) == (
        approved,
        "pending",
        "iso_9001",
        "",
    )

    again = preview(buyer, "certifications", xlsx_file("certifications", [row]))
    assert again.skipped_count == 1


def test_a_certificate_of_another_supplier_is_not_moved(buyer, approved):
    other = SupplierFactory(name="Other Co", owner=buyer)
    row = {"supplier": other.name, "standard": "bsci", "number": "B-1", "issuer": "amfori"}
    row |= {"valid_from": "2025-01-01", "valid_until": "2027-01-01"}
    confirm(preview(buyer, "certifications", csv_file("certifications", [row])), buyer)

    job = preview(buyer, "certifications", csv_file("certifications", [{**row, "supplier": approved.name}]))

    assert errors_of(job) == [
        "row 2, column number: this certificate is already on file for supplier 'Other Co'"
    ]


def test_client_references_need_an_outcome_once_checked(buyer, approved):
    rows = [
        {
            "supplier": approved.name,
            "company": "Nordic Home AB",
            "checked_on": "2026-02-10",
            "outcome": "positive",
        },
        {"supplier": approved.name, "company": "Casa Bella", "checked_on": "2026-02-11"},
    ]
    job = confirm(preview(buyer, "references", csv_file("references", rows)), buyer, only_good_rows=True)

    assert errors_of(job) == ["row 3, column outcome: a checked reference needs both checked_on and outcome"]
    reference = ClientReference.objects.get(company="Nordic Home AB")
    assert (reference.outcome, reference.checked_by) == ("positive", buyer)

    again = preview(buyer, "references", csv_file("references", rows[:1]))
    assert (again.skipped_count, again.created_count) == (1, 0)
    assert ClientReference.objects.filter(company="Nordic Home AB").count() == 1


def order_rows(supplier, number="PO-IMP-1", **overrides):
    base = {
        "po_number": number,
        "supplier": supplier.name,
        "ordered_on": "2026-11-20",
        "status": "sent",
        **overrides,
    }
    return [
        {
            **base,
            "sku": "A-1",
            "description": "Board",
            "quantity": "100",
            "unit_price": "2.5",
            "required_on": "2027-01-15",
        },
        {
            **base,
            "sku": "A-2",
            "description": "Cable",
            "quantity": "200",
            "unit_price": "0.4",
            "required_on": "2027-01-15",
        },
        {
            **base,
            "sku": "A-3",
            "description": "Case",
            "quantity": "50",
            "unit_price": "1",
            "required_on": "2027-02-01",
        },
    ]


@time_machine.travel(TODAY, tick=False)
def test_an_order_is_made_of_its_lines_with_a_delivery_per_required_date(buyer, approved):
    job = confirm(preview(buyer, "orders", csv_file("orders", order_rows(approved))), buyer)

    assert (job.created_count, job.error_count) == (3, 0)
    order = PurchaseOrder.objects.get(number="PO-IMP-1")
    assert (order.supplier, order.status, order.lines.count()) == (approved, "sent", 3)
    assert list(order.deliveries.values_list("promised_on", "quantity_planned")) == [
        (date(2027, 1, 15), 300),
        (date(2027, 2, 1), 50),
    ]

    again = preview(buyer, "orders", csv_file("orders", order_rows(approved)))
    assert (again.skipped_count, again.created_count) == (3, 0)


@time_machine.travel(TODAY, tick=False)
def test_a_bad_line_stops_its_whole_order_and_says_why(buyer, approved):
    rows = order_rows(approved)
    rows[1]["required_on"] = "2026-11-01"
    rows += order_rows(approved, number="PO-IMP-2")[:1]
    rows[-1]["ordered_on"] = "2026-11-21"
    rows += [{**order_rows(approved)[0], "po_number": "PO-IMP-3", "supplier": "Nobody Ltd"}]
    job = preview(buyer, "orders", csv_file("orders", rows))

    assert [row.action for row in job.rows.all()] == ["error", "error", "error", "create", "error"]
    first = job.rows.get(number=2)
    assert first.errors == [
        "row 3, column required_on: required date 2026-11-01 is before the order date 2026-11-20"
    ]
    assert job.rows.get(number=3).errors == ["see row 2"]
    assert job.rows.get(number=6).errors == ["row 6, column supplier: supplier 'Nobody Ltd' not found"]
    assert not PurchaseOrder.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_order_for_a_prospect_is_refused_by_the_same_gate_as_on_the_page(buyer):
    prospect = SupplierFactory(name="New Prospect", owner=buyer, stage=Stage.PROSPECT)
    job = preview(buyer, "orders", csv_file("orders", order_rows(prospect)[:1]))

    assert "Volume orders need an approved supplier" in errors_of(job)[0]


@time_machine.travel(TODAY, tick=False)
def test_receipts_receive_deliveries_once(buyer, approved):
    confirm(
        preview(buyer, "orders", csv_file("orders", order_rows(approved, ordered_on="2026-10-01"))), buyer
    )
    order = PurchaseOrder.objects.get(number="PO-IMP-1")
    order.deliveries.update(promised_on=TODAY - timedelta(days=1))
    rows = [
        {
            "po_number": "PO-IMP-1",
            "delivery_no": "1",
            "received_on": "2026-12-03",
            "quantity_received": "300",
        },
        {"po_number": "PO-NOPE", "received_on": "2026-12-03", "quantity_received": "1"},
        {
            "po_number": "PO-IMP-1",
            "delivery_no": "2",
            "received_on": "2026-12-03",
            "quantity_received": "9",
            "quantity_rejected": "10",
        },
    ]
    job = confirm(preview(buyer, "receipts", csv_file("receipts", rows)), buyer, only_good_rows=True)

    assert errors_of(job) == [
        "row 3, column po_number: order 'PO-NOPE' not found",
        "row 4, column quantity_rejected: more rejected than received",
    ]
    delivery = order.deliveries.get(sequence=1)
    assert (delivery.status, delivery.quantity_received, delivery.received_by) == ("received", 300, buyer)

    again = preview(buyer, "receipts", csv_file("receipts", rows[:1]))
    assert again.skipped_count == 1
    assert Delivery.objects.filter(status="received").count() == 1


def test_a_confirmed_job_cannot_be_confirmed_twice(buyer):
    from django.core.exceptions import ValidationError

    from imports import services
    from tests.imports.helpers import supplier_row

    job = confirm(preview(buyer, "suppliers", csv_file("suppliers", [supplier_row(1)])), buyer)
    with pytest.raises(ValidationError, match="imported"):
        services.import_job_confirm(job=job, by=buyer)
    assert job.status == ImportJob.Status.DONE
    assert timezone.now() >= job.finished_at


@time_machine.travel(TODAY, tick=False)
def test_a_row_that_fails_at_import_time_rolls_back_the_whole_file(buyer, approved):
    rows = order_rows(approved) + order_rows(approved, number="PO-IMP-2")
    job = preview(buyer, "orders", csv_file("orders", rows))
    assert job.error_count == 0
    # Between the preview and the confirm, someone puts the supplier on hold: its volume orders are refused now.
    approved.stage = Stage.ON_HOLD
    approved.save(update_fields=["stage"])

    job = confirm(job, buyer)

    assert job.status == ImportJob.Status.FAILED
    assert "Nothing was imported" in job.message
    assert job.error_count == 6
    assert not PurchaseOrder.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_queries_per_order_line_are_bounded(buyer, approved, django_assert_max_num_queries):
    from imports import services

    def created(count):
        rows = [row for n in range(count) for row in order_rows(approved, number=f"PO-Q-{n}")]
        return services.import_job_create(by=buyer, kind="orders", upload=csv_file("orders", rows))

    small, large = created(2), created(10)
    per_order = (
        40  # three lines: the order, its lines and deliveries, sending it, the timeline, the factory told
    )
    with django_assert_max_num_queries(20 + per_order * 2):
        services.import_job_preview(job_id=small.pk)
    with django_assert_max_num_queries(20 + per_order * 10):
        services.import_job_preview(job_id=large.pk)
