"""Orders take the agreed price, a line off the agreement says why, and invoices are matched against the agreement
in force on the order date."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from orders import services as orders
from orders.models import OrderLine
from payments.models import InvoiceDiscrepancy
from pricing import services
from tests.orders.builders import line_data
from tests.payments.builders import receive, record
from tests.pricing.builders import days

pytestmark = pytest.mark.django_db


def order(supplier, buyer, *, ordered_on=None, currency="USD", **line):
    return orders.order_create(
        supplier=supplier,
        by=buyer,
        ordered_on=ordered_on or days(-60),
        currency=currency,
        lines=[line_data(required_on=days(-30), **line)],
    )


def test_a_line_without_a_price_takes_the_agreement_in_force_on_the_order_date(tote, approved_a, buyer):
    created = order(approved_a, buyer, unit_price=None)
    line = created.lines.get()
    assert (line.unit_price, line.price_agreement, line.off_agreement_reason) == (Decimal("3.40"), tote, "")


def test_a_line_at_the_agreed_price_names_the_agreement_and_drops_any_reason(tote, approved_a, buyer):
    line = order(approved_a, buyer, unit_price=Decimal("3.40"), off_agreement_reason="habit").lines.get()
    assert (line.price_agreement, line.off_agreement_reason) == (tote, "")


def test_a_line_off_the_agreement_needs_a_reason(tote, approved_a, buyer):
    with pytest.raises(ValidationError, match=r"agreed price of 3\.4 USD"):
        order(approved_a, buyer, unit_price=Decimal("3.20"))
    assert not OrderLine.objects.exists()
    line = order(
        approved_a, buyer, unit_price=Decimal("3.20"), off_agreement_reason="Promotion run"
    ).lines.get()
    assert (line.unit_price, line.price_agreement, line.off_agreement_reason) == (
        Decimal("3.20"),
        tote,
        "Promotion run",
    )


def test_an_order_in_another_currency_than_the_agreement_needs_a_price_and_a_reason(tote, approved_a, buyer):
    with pytest.raises(ValidationError, match="say why"):
        order(approved_a, buyer, currency="EUR", unit_price=None)


def test_a_sku_without_agreement_keeps_the_typed_price_and_needs_one(approved_a, buyer):
    line = order(approved_a, buyer, sku="OTHER").lines.get()
    assert (line.unit_price, line.price_agreement) == (Decimal("3.40"), None)
    with pytest.raises(ValidationError, match="give the unit price"):
        order(approved_a, buyer, sku="OTHER", unit_price=None)


def test_the_version_in_force_on_the_order_date_prices_the_line(tote, approved_a, buyer):
    services.price_agreement_new_version(
        agreement=tote, by=buyer, valid_from=days(-20), unit_price=Decimal("3.70"), note="Review"
    )
    assert order(approved_a, buyer, unit_price=None, ordered_on=days(-60)).lines.get().unit_price == Decimal(
        "3.40"
    )
    assert order(approved_a, buyer, unit_price=None, ordered_on=days(-5)).lines.get().unit_price == Decimal(
        "3.70"
    )


def _received(approved_a, buyer, **line):
    sent = orders.order_send(order=order(approved_a, buyer, **line), by=buyer)
    receive(sent, by=buyer, quantities=[100])
    return sent


def test_the_match_checks_invoice_prices_against_the_agreement_in_force_on_the_order_date(
    tote, approved_a, buyer
):
    # The line was priced off the agreement (higher, with a reason): the invoice is still held to the agreement.
    sent = _received(approved_a, buyer, unit_price=Decimal("3.60"), off_agreement_reason="Rush order")
    invoice = record(sent, by=buyer, items=[(100, "3.60")])
    assert [(d.kind, d.expected, d.invoiced) for d in invoice.discrepancies.all()] == [
        (InvoiceDiscrepancy.Kind.PRICE, Decimal("3.4000"), Decimal("3.6000"))
    ]


def test_price_variance_counts_against_the_agreement_as_the_match_does(tote, approved_a, buyer):
    from scorecards import kpis

    # Priced off the agreement with a reason, invoiced at that price: 0.20 over the agreed 3.40 on 100 units.
    sent = _received(approved_a, buyer, unit_price=Decimal("3.60"), off_agreement_reason="Rush order")
    record(sent, by=buyer, items=[(100, "3.60")])
    [variance] = kpis.price_variance(start=days(-90), end=days(0))[approved_a.pk]
    assert (variance.lines, variance.agreed) == (Decimal("20"), Decimal("340"))


def test_a_later_version_does_not_move_the_price_an_older_order_is_matched_against(tote, approved_a, buyer):
    sent = _received(approved_a, buyer, unit_price=None)
    services.price_agreement_new_version(
        agreement=tote, by=buyer, valid_from=days(-10), unit_price=Decimal("3.90"), note="Review"
    )
    invoice = record(sent, by=buyer, items=[(100, "3.90")])
    assert [(d.expected, d.invoiced) for d in invoice.discrepancies.all()] == [
        (Decimal("3.4000"), Decimal("3.9000"))
    ]


def test_without_an_agreement_the_match_uses_the_order_lines_price_as_before(approved_a, buyer):
    sent = _received(approved_a, buyer, sku="NO-AGREEMENT", unit_price=Decimal("3.40"))
    assert not record(sent, by=buyer, items=[(100, "3.40")]).discrepancies.exists()


def test_the_order_page_shows_why_a_line_is_off_the_agreement(client, tote, approved_a, buyer):
    created = order(approved_a, buyer, unit_price=Decimal("3.20"), off_agreement_reason="Promotion run")
    client.force_login(buyer)
    assert "Promotion run" in client.get(created.get_absolute_url()).content.decode()


def test_the_order_form_leaves_the_price_empty_for_the_agreement_to_fill(client, tote, approved_a, buyer):
    from django.urls import reverse

    client.force_login(buyer)
    data = {
        "supplier": approved_a.pk,
        "ordered_on": days(0).isoformat(),
        "currency": "USD",
        "incoterm": "FOB",
        "save_anyway": "on",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-0-sku": "TOTE-01",
        "lines-0-description": "Tote",
        "lines-0-quantity": "100",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "",
        "lines-0-required_on": days(40).isoformat(),
    }
    response = client.post(reverse("orders:create"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert OrderLine.objects.get().unit_price == Decimal("3.40")
