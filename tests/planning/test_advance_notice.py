"""The two-way card's advance notice (ordered volume a forecast announced 8 weeks ahead) and forecast accuracy
(ordered ÷ forecast per month): one SQL definition for every supplier at once, and the large-order warning."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from orders import services as order_services
from orders.models import PurchaseOrder
from scorecards import kpis
from suppliers.models import Stage, Supplier
from tests.factories import (
    CapacityAssessmentFactory,
    OrderLineFactory,
    ProductCategoryFactory,
    PurchaseOrderFactory,
    SupplierFactory,
)
from tests.helpers import authed
from tests.planning.builders import line, publish

pytestmark = pytest.mark.django_db

START, END = date(2026, 9, 1), date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


def order(supplier, ordered_on, *lines, status=PurchaseOrder.Status.SENT):
    """An order placed on `ordered_on` with (sku, quantity, required_on) lines."""
    po = PurchaseOrderFactory(supplier=supplier, ordered_on=ordered_on, status=status)
    for sku, quantity, required_on in lines:
        OrderLineFactory(order=po, sku=sku, quantity=quantity, required_on=required_on)
    return po


@pytest.fixture
def history(supplier_a, supplier_b, buyer):
    """Supplier A planned on forecasts v1 (3 Aug) and v2 (5 Oct); supplier B ordered with no forecast at all."""
    apparel = ProductCategoryFactory(name="Apparel")
    publish(
        supplier_a,
        buyer,
        [line("2026-11", 1000, sku="A"), line("2026-10", 500, category=apparel)],
        on="2026-08-03",
    )
    publish(supplier_a, buyer, [line("2026-11", 2000, sku="A")], on="2026-10-05")
    order(supplier_a, date(2026, 9, 15), ("A", 800, date(2026, 11, 20)))  # v1 came less than 8 weeks before
    order(supplier_a, date(2026, 10, 15), ("A", 600, date(2026, 11, 10)), ("B", 400, date(2026, 12, 5)))
    order(supplier_a, date(2026, 10, 20), ("C", 200, date(2026, 10, 28)))  # the category line announced it
    order(supplier_a, date(2026, 10, 1), ("A", 5000, date(2026, 11, 1)), status=PurchaseOrder.Status.DRAFT)
    order(supplier_b, date(2026, 10, 1), ("Z", 100, date(2026, 11, 1)))


def test_advance_notice_is_the_share_of_ordered_volume_a_forecast_announced_eight_weeks_ahead(
    history, supplier_a, supplier_b
):
    figures = kpis.forecast_notice(start=START, end=END)
    notice = figures[supplier_a.pk].advance_notice
    assert (notice.numerator, notice.denominator, str(notice.value)) == (800, 2000, "40.00")
    nothing = figures[supplier_b.pk].advance_notice
    assert (nothing.numerator, nothing.denominator, str(nothing.value)) == (0, 100, "0.00")


def test_forecast_accuracy_compares_ordered_with_the_version_in_force_when_each_month_began(
    history, supplier_a, supplier_b
):
    figures = kpis.forecast_notice(start=START, end=END)
    accuracy = figures[supplier_a.pk].accuracy
    # October: v1's 500 against 200 ordered; November: v2's 2000 against 1400 ordered; September: no forecast.
    assert (accuracy.numerator, accuracy.denominator, str(accuracy.value)) == (1600, 2500, "64.00")
    assert figures[supplier_b.pk].accuracy.value is None  # no forecast: insufficient data, never 0 %


def test_the_figures_take_one_query_for_many_suppliers(history, buyer, django_assert_max_num_queries):
    for n in range(6):
        supplier = SupplierFactory(owner=buyer)
        publish(supplier, buyer, [line("2026-11", 100 + n, sku=f"S{n}")], on="2026-08-03")
        order(supplier, date(2026, 10, 10), (f"S{n}", 50, date(2026, 11, 5)))
    with django_assert_max_num_queries(1):
        figures = kpis.forecast_notice(start=START, end=END)
    assert len(figures) == 8


def test_the_staff_and_portal_two_way_cards_and_the_api_show_the_same_figures(
    history, supplier_a, buyer, portal_a, client, api_client
):
    client.force_login(buyer)
    staff = client.get(reverse("scorecards:supplier", args=[supplier_a.pk]), {"period": "2026-Q4"})
    client.force_login(portal_a)
    portal = client.get(reverse("portal:scorecard"), {"period": "2026-Q4"})
    for page in (staff, portal):
        assert 'id="advance-notice"' in page.content.decode()
    expected = kpis.forecast_notice(
        start=date(2026, 10, 1), end=date(2026, 12, 31), supplier_ids=[supplier_a.pk]
    )
    value = expected[supplier_a.pk].advance_notice
    for page in (staff, portal):
        assert f"{value.numerator}/{value.denominator}" in page.content.decode()
    Supplier.objects.filter(pk=supplier_a.pk).update(stage=Stage.APPROVED)  # the portfolio lists active ones
    data = authed(api_client, buyer).get("/api/v1/scorecards/", {"period": "2026-Q4"}).json()
    card = next(row for row in data["results"] if row["supplier"] == supplier_a.pk)
    assert (card["advance_notice"]["numerator"], card["advance_notice"]["denominator"]) == (
        value.numerator,
        value.denominator,
    )


# --- The large-order warning ---------------------------------------------------------------------------------


@pytest.fixture
def capacity_a(supplier_a, quality):
    return CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality, monthly_capacity=10000)


def test_a_large_order_without_forecast_notice_is_refused_until_the_buyer_acknowledges(
    capacity_a, supplier_a, buyer
):
    draft = order(
        supplier_a, date(2026, 12, 5), ("A", 6000, date(2027, 2, 10)), status=PurchaseOrder.Status.DRAFT
    )
    with pytest.raises(ValidationError, match="short notice") as refused:
        order_services.order_send(order=draft, by=buyer)
    assert refused.value.code == "short_notice"
    draft.refresh_from_db()
    assert draft.status == PurchaseOrder.Status.DRAFT
    order_services.order_send(order=draft, by=buyer, acknowledge_short_notice=True)
    draft.refresh_from_db()
    assert draft.status == PurchaseOrder.Status.SENT


def test_a_large_order_announced_eight_weeks_ahead_or_a_small_one_sends_without_warning(
    capacity_a, supplier_a, buyer
):
    publish(supplier_a, buyer, [line("2027-02", 6000, sku="A")], on="2026-10-01")
    announced = order(supplier_a, date(2026, 12, 5), ("A", 6000, date(2027, 2, 10)), status="draft")
    small = order(supplier_a, date(2026, 12, 5), ("B", 4000, date(2027, 2, 10)), status="draft")
    for draft in (announced, small):
        assert order_services.order_short_notice_warning(order=draft) is None
        order_services.order_send(order=draft, by=buyer)


def test_the_registrations_declared_capacity_stands_in_for_a_missing_assessment(supplier_a, buyer):
    from datetime import timedelta

    from django.utils import timezone

    from planning.selectors import monthly_capacity
    from suppliers.models import Registration, RegistrationCapacity

    registration = Registration.objects.create(
        company_name=supplier_a.name,
        email="registrant@alpha.test",
        language="en",
        nonce="0" * 32,
        token_hash="1" * 64,
        expires_at=timezone.now() + timedelta(days=30),
        invited_by=buyer,
        status=Registration.Status.ACCEPTED,
        supplier=supplier_a,
    )
    for name, capacity in (("Bags", 60), ("Belts", 40)):
        RegistrationCapacity.objects.create(
            registration=registration, category=ProductCategoryFactory(name=name), monthly_capacity=capacity
        )
    assert monthly_capacity(supplier_ids=[supplier_a.pk]) == {supplier_a.pk: 100}
    draft = order(supplier_a, date(2026, 12, 5), ("A", 60, date(2027, 2, 10)), status="draft")
    assert "short notice" in order_services.order_short_notice_warning(order=draft)


def test_the_order_page_asks_the_buyer_to_confirm_a_short_notice_order(capacity_a, supplier_a, buyer, client):
    draft = order(supplier_a, date(2026, 12, 5), ("A", 6000, date(2027, 2, 10)), status="draft")
    client.force_login(buyer)
    page = client.get(draft.get_absolute_url())
    assert 'id="short-notice"' in page.content.decode()
    client.post(reverse("orders:send", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == PurchaseOrder.Status.DRAFT
    client.post(reverse("orders:send", args=[draft.pk]), {"acknowledge_short_notice": "1"})
    draft.refresh_from_db()
    assert draft.status == PurchaseOrder.Status.SENT


def test_the_api_send_answers_400_with_the_warning_unless_acknowledged(
    capacity_a, supplier_a, buyer, api_client
):
    draft = order(supplier_a, date(2026, 12, 5), ("A", 6000, date(2027, 2, 10)), status="draft")
    api = authed(api_client, buyer)
    refused = api.post(f"/api/v1/orders/{draft.pk}/send/", {}, format="json")
    assert refused.status_code == 400
    assert "short notice" in str(refused.json())
    sent = api.post(f"/api/v1/orders/{draft.pk}/send/", {"acknowledge_short_notice": True}, format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
