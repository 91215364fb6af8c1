"""Importing a price list: first agreements, new versions from a later date, re-import skipped, bad rows named."""

from decimal import Decimal

import pytest

from pricing.models import PriceAgreement
from tests.imports.helpers import confirm, csv_file, errors_of, preview
from tests.pricing.builders import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(approved_a):
    approved_a.registration_number = "91440300MA5ALPHA"
    approved_a.country = "CN"
    approved_a.save(update_fields=["registration_number", "country"])
    return approved_a


def row(**overrides):
    data = {
        "supplier_registration_number": "91440300MA5ALPHA",
        "supplier_country": "China",
        "sku": "TOTE-01",
        "unit_price": "3.40",
        "currency": "USD",
        "valid_from": days(-30).isoformat(),
    }
    data.update(overrides)
    return data


def test_a_price_list_creates_agreements_and_versions_and_a_re_import_skips(registered, buyer):
    rows = [
        row(),
        row(sku="TOTE-02", unit_price="5.10"),
        row(valid_from=days(30).isoformat(), unit_price="3.55"),
    ]
    job = preview(buyer, "price_lists", csv_file("price_lists", rows))
    assert not errors_of(job), errors_of(job)
    assert not PriceAgreement.objects.exists()  # the dry run writes nothing
    confirm(job, buyer)
    history = [
        (a.sku, a.version, a.unit_price, a.valid_to, a.source)
        for a in PriceAgreement.objects.order_by("sku", "version")
    ]
    assert history == [
        ("TOTE-01", 1, Decimal("3.40"), days(29), "import"),
        ("TOTE-01", 2, Decimal("3.55"), None, "import"),
        ("TOTE-02", 1, Decimal("5.10"), None, "import"),
    ]
    again = preview(buyer, "price_lists", csv_file("price_lists", rows[:2]))
    assert [r.action for r in again.rows.all()] == ["skip", "skip"]


def test_bad_price_list_rows_are_named_and_change_nothing(registered, buyer):
    rows = [
        row(supplier_registration_number="UNKNOWN"),
        row(currency="JPY", unit_price="450.5"),
        row(sku="TOTE-09", valid_from="tomorrow"),
    ]
    job = preview(buyer, "price_lists", csv_file("price_lists", rows))
    errors = errors_of(job)
    assert "no supplier with registration number UNKNOWN in CN" in errors[0]
    assert "at most 0 decimals" in errors[1]
    assert "is not a date" in errors[2]
    assert not PriceAgreement.objects.exists()


def test_an_imported_order_line_without_a_price_takes_the_agreed_one_and_one_off_it_needs_why(tote, buyer):
    from orders.models import OrderLine

    line = {
        "supplier": tote.supplier.name,
        "ordered_on": days(-1).isoformat(),
        "status": "draft",
        "sku": "TOTE-01",
        "description": "Tote",
        "quantity": "100",
        "required_on": days(40).isoformat(),
    }
    rows = [
        {**line, "po_number": "PO-IMP-1"},
        {**line, "po_number": "PO-IMP-2", "unit_price": "3.10"},
        {**line, "po_number": "PO-IMP-3", "unit_price": "3.10", "off_agreement_reason": "Clearance lot"},
    ]
    job = preview(buyer, "orders", csv_file("orders", rows))
    assert [r.action for r in job.rows.all()] == ["create", "error", "create"]
    assert "agreed price of 3.4 USD" in errors_of(job)[0]
    confirm(job, buyer, only_good_rows=True)
    assert sorted(OrderLine.objects.values_list("unit_price", "off_agreement_reason")) == [
        (Decimal("3.1000"), "Clearance lot"),
        (Decimal("3.4000"), ""),
    ]
