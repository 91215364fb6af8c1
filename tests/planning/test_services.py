"""Publishing a forecast makes a numbered version with what changed; the factory answers each month of the newest."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from communications.models import Notification
from core.inputs import MAX_QUANTITY
from planning import selectors, services
from planning.models import CapacityAnswer, Forecast
from tests.factories import ProductCategoryFactory
from tests.planning.builders import line, publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


def test_publishing_numbers_versions_and_keeps_the_previous_readable(supplier_a, buyer):
    first = publish(supplier_a, buyer, [line("2027-01", 1000)])
    second = publish(supplier_a, buyer, [line("2027-01", 1200), line("2027-02", 800)])
    assert (first.version, second.version) == (1, 2)
    assert list(first.lines.values_list("quantity", flat=True)) == [1000]
    assert second.published_on == date(2026, 12, 5)


def test_a_forecast_for_a_past_month_is_refused_and_nothing_is_written(supplier_a, buyer):
    with pytest.raises(ValidationError, match="past month"):
        publish(supplier_a, buyer, [line("2027-01", 10), line("2026-11", 10)])
    assert not Forecast.objects.exists()


def test_the_current_month_is_allowed_and_a_month_more_than_twelve_ahead_is_refused(supplier_a, buyer):
    publish(supplier_a, buyer, [line("2026-12", 10), line("2027-12", 10)])
    with pytest.raises(ValidationError, match="12 months ahead"):
        publish(supplier_a, buyer, [line("2028-01", 10)])


@pytest.mark.parametrize("quantity", [0, -5, MAX_QUANTITY + 1, "12", 2.5, True])
def test_a_quantity_out_of_bounds_is_refused(supplier_a, buyer, quantity):
    with pytest.raises(ValidationError, match="quantity"):
        publish(supplier_a, buyer, [line("2027-01", quantity)])


def test_a_line_names_a_sku_or_a_category_never_both_nor_neither(supplier_a, buyer):
    category = ProductCategoryFactory()
    both = {**line("2027-01", 10), "category": category}
    neither = {**line("2027-01", 10), "sku": ""}
    for bad in (both, neither):
        with pytest.raises(ValidationError, match="SKU or a product category"):
            publish(supplier_a, buyer, [bad])
    publish(supplier_a, buyer, [line("2027-01", 10, category=category)])


def test_the_same_sku_twice_in_a_month_is_refused(supplier_a, buyer):
    with pytest.raises(ValidationError, match="twice"):
        publish(supplier_a, buyer, [line("2027-01", 10), line("2027-01", 20)])


def test_no_lines_is_refused(supplier_a, buyer):
    with pytest.raises(ValidationError, match="at least one"):
        publish(supplier_a, buyer, [])


def test_only_buyers_publish(supplier_a, quality, portal_a):
    for user in (quality, portal_a):
        with pytest.raises(PermissionDenied):
            publish(supplier_a, user, [line("2027-01", 10)])


def test_a_new_version_shows_what_changed_per_line_and_month(supplier_a, buyer):
    publish(
        supplier_a,
        buyer,
        [line("2027-01", 1000), line("2027-02", 500), line("2027-03", 300), line("2027-04", 100)],
    )
    second = publish(
        supplier_a,
        buyer,
        [line("2027-01", 1000), line("2027-02", 700), line("2027-03", 200), line("2027-05", 50)],
    )
    previous, rows = selectors.forecast_diff(forecast=second)
    assert previous.version == 1
    assert [(f"{r.month:%Y-%m}", r.change, r.before, r.after) for r in rows] == [
        ("2027-01", "same", 1000, 1000),
        ("2027-02", "up", 500, 700),
        ("2027-03", "down", 300, 200),
        ("2027-04", "removed", 100, None),
        ("2027-05", "added", None, 50),
    ]


def test_the_factory_commits_capacity_and_the_buyer_hears_of_it(supplier_a, buyer, portal_a):
    forecast = publish(supplier_a, buyer, [line("2027-01", 1000)])
    assert Notification.objects.filter(user=portal_a, message_key="forecast_published").exists()
    answer = services.capacity_answer(
        forecast=forecast, by=portal_a, month=date(2027, 1, 15), status="committed", committed_quantity=1000
    )
    assert answer.month == date(2027, 1, 1)
    assert Notification.objects.filter(user=buyer, message_key="forecast_answered").exists()
    months = selectors.forecast_months(forecast=forecast)
    assert months[0].answer == answer and months[0].total == 1000


def test_a_shortfall_without_reason_is_refused_and_with_one_replaces_the_answer(supplier_a, buyer, portal_a):
    forecast = publish(supplier_a, buyer, [line("2027-01", 1000)])
    january = date(2027, 1, 1)
    services.capacity_answer(
        forecast=forecast, by=portal_a, month=january, status="committed", committed_quantity=1000
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.capacity_answer(
            forecast=forecast, by=portal_a, month=january, status="shortfall", committed_quantity=600
        )
    services.capacity_answer(
        forecast=forecast,
        by=portal_a,
        month=january,
        status="shortfall",
        committed_quantity=600,
        reason="Chinese New Year closure",
    )
    answer = CapacityAnswer.objects.get()
    assert (answer.status, answer.committed_quantity) == ("shortfall", 600)


def test_another_suppliers_contact_cannot_answer(supplier_a, buyer, portal_b):
    forecast = publish(supplier_a, buyer, [line("2027-01", 1000)])
    with pytest.raises(PermissionDenied):
        services.capacity_answer(
            forecast=forecast, by=portal_b, month=date(2027, 1, 1), status="committed", committed_quantity=1
        )
    assert not CapacityAnswer.objects.exists()


def test_staff_do_not_answer_for_the_factory(supplier_a, buyer):
    forecast = publish(supplier_a, buyer, [line("2027-01", 1000)])
    with pytest.raises(PermissionDenied):
        services.capacity_answer(
            forecast=forecast, by=buyer, month=date(2027, 1, 1), status="committed", committed_quantity=1
        )


def test_an_old_version_and_a_month_without_lines_cannot_be_answered(supplier_a, buyer, portal_a):
    old = publish(supplier_a, buyer, [line("2027-01", 1000)])
    new = publish(supplier_a, buyer, [line("2027-01", 900)])
    with pytest.raises(ValidationError, match="replaced"):
        services.capacity_answer(
            forecast=old, by=portal_a, month=date(2027, 1, 1), status="committed", committed_quantity=1
        )
    with pytest.raises(ValidationError, match="no line"):
        services.capacity_answer(
            forecast=new, by=portal_a, month=date(2027, 3, 1), status="committed", committed_quantity=1
        )


@pytest.mark.parametrize("quantity", [-1, MAX_QUANTITY + 1])
def test_a_committed_quantity_out_of_bounds_is_refused(supplier_a, buyer, portal_a, quantity):
    forecast = publish(supplier_a, buyer, [line("2027-01", 1000)])
    with pytest.raises(ValidationError):
        services.capacity_answer(
            forecast=forecast,
            by=portal_a,
            month=date(2027, 1, 1),
            status="committed",
            committed_quantity=quantity,
        )


def test_forecasts_to_answer_lists_the_newest_version_until_every_month_is_answered(
    supplier_a, buyer, portal_a
):
    publish(supplier_a, buyer, [line("2027-01", 1000)])
    newest = publish(supplier_a, buyer, [line("2027-01", 900), line("2027-02", 900)])
    assert list(selectors.forecasts_to_answer(user=portal_a)) == [newest]
    for month in (date(2027, 1, 1), date(2027, 2, 1)):
        services.capacity_answer(
            forecast=newest, by=portal_a, month=month, status="committed", committed_quantity=900
        )
    assert not selectors.forecasts_to_answer(user=portal_a).exists()
