"""Choosing a date on the supplier's public holiday or declared closure warns before saving (an audit, a check-in
schedule, an order line's required date); "Save anyway" keeps it. A check-in time is proposed inside both sides'
office hours and shown in both timezones."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audits.models import Audit
from communications import calendar
from communications.models import CheckIn, CheckInSchedule, Closure
from core.partner_calendar import day_off_reason
from orders.models import OrderChange, OrderLine, PurchaseOrder
from suppliers.models import Stage
from tests.factories import OrderLineFactory, PurchaseOrderFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NATIONAL_DAY = date(2026, 10, 1)  # a public holiday in China (supplier_a's country), a Thursday


@pytest.fixture
def frozen():
    with time_machine.travel("2026-09-20 03:00 +00:00", tick=False):
        yield


def test_the_hook_names_a_holiday_and_a_declared_closure(supplier_a, buyer):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2026, 9, 28),
        ends_on=date(2026, 9, 29),
        reason="Annual maintenance",
        declared_by=buyer,
    )
    assert day_off_reason(supplier_a, NATIONAL_DAY) == "National Day"
    assert day_off_reason(supplier_a, date(2026, 9, 29)) == "Annual maintenance"
    assert day_off_reason(supplier_a, date(2026, 9, 24)) == ""


def plan(client, supplier, day, **extra):
    return client.post(
        reverse("audits:audit_create"),
        {
            "supplier": supplier.pk,
            "audit_type": Audit.Type.PERIODIC,
            "announced": "on",
            "planned_on": day,
            **extra,
        },
    )


def test_an_audit_planned_on_a_holiday_warns_and_saves_nothing(client, quality, supplier_a):
    client.force_login(quality)
    response = plan(client, supplier_a, NATIONAL_DAY.isoformat())
    assert response.status_code == 400
    page = response.content.decode()
    assert "is a day off at Alpha Factory (National Day)" in page
    assert 'name="save_anyway"' in page and 'type="checkbox"' in page
    assert not Audit.objects.exists()


def test_save_anyway_plans_the_audit_on_the_holiday(client, quality, supplier_a):
    client.force_login(quality)
    response = plan(client, supplier_a, NATIONAL_DAY.isoformat(), save_anyway="on")
    assert response.status_code == 302
    assert Audit.objects.get().planned_on == NATIONAL_DAY


def test_an_audit_on_a_working_day_saves_without_a_word(client, quality, supplier_a):
    client.force_login(quality)
    assert plan(client, supplier_a, "2026-09-24").status_code == 302


def schedule_data(**fields):
    return {
        "cadence": "weekly",
        "weekday": "3",
        "local_time": "10:00",
        "channel": "visit",
        "starts_on": "2026-09-28",
        "is_active": "on",
        **fields,
    }


def test_a_check_in_schedule_whose_first_visit_falls_on_a_holiday_warns(client, buyer, supplier_a):
    client.force_login(buyer)
    url = reverse("communications:schedule_create", args=[supplier_a.pk])
    response = client.post(url, schedule_data())
    assert response.status_code == 400
    assert "is a day off at Alpha Factory (National Day)" in response.content.decode()
    assert not CheckInSchedule.objects.exists()
    assert client.post(url, schedule_data(save_anyway="on")).status_code == 302
    assert CheckInSchedule.objects.exists()


def test_a_check_in_time_is_proposed_inside_both_sides_office_hours_and_shown_in_both_timezones(
    client, buyer, supplier_a
):
    buyer.timezone = "Asia/Bangkok"
    buyer.save(update_fields=["timezone"])
    client.force_login(buyer)
    response = client.get(reverse("communications:schedule_create", args=[supplier_a.pk]))
    form = response.context["form"]
    # 09:00 in Shanghai is 08:00 in Bangkok, before office hours: 10:00 there is 09:00 here.
    assert form.initial["local_time"] == time(10)
    assert "10:00 Asia/Shanghai (supplier) = 09:00 Asia/Bangkok (you)" in response.content.decode()


def test_no_proposal_where_office_hours_never_meet():
    assert (
        calendar.proposed_checkin_time(
            supplier_timezone="Asia/Shanghai", user_timezone="America/Los_Angeles", on=date(2026, 9, 21)
        )
        is None
    )


def test_moving_a_required_date_onto_a_declared_closure_warns(client, buyer, supplier_a):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 6),
        reason="Factory move",
        declared_by=buyer,
    )
    line = OrderLineFactory(order=PurchaseOrderFactory(supplier=supplier_a, buyer=buyer))
    client.force_login(buyer)
    url = reverse("orders:line_change", args=[line.order.pk, line.pk])
    data = {"quantity": line.quantity, "required_on": "2026-11-04", "reason": "Store opening moved"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "(Factory move)" in response.content.decode()
    assert OrderLine.objects.get(pk=line.pk).required_on != date(2026, 11, 4)
    assert client.post(url, {**data, "save_anyway": "on"}).status_code == 302
    # The order was sent: the new date is a proposal the factory answers (the old date stands until then).
    (change,) = line.changes.all()
    assert change.new_required_on == date(2026, 11, 4) and change.status == OrderChange.Status.PROPOSED


def order_post(supplier, required_on: str, **extra) -> dict:
    return {
        "supplier": supplier.pk,
        "number": "PO-CAL-1",
        "ordered_on": "2026-09-20",
        "currency": "USD",
        "incoterm": "FOB",
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-sku": "TOTE-01",
        "lines-0-description": "Canvas tote bag",
        "lines-0-quantity": "100",
        "lines-0-unit": "pcs",
        "lines-0-unit_price": "3.40",
        "lines-0-required_on": required_on,
        **extra,
    }


def test_a_new_order_line_required_on_a_holiday_warns_before_the_order_is_saved(client, buyer, supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    client.force_login(buyer)
    url = reverse("orders:create")
    response = client.post(url, order_post(supplier_a, NATIONAL_DAY.isoformat()))
    assert response.status_code == 400
    page = response.content.decode()
    assert "a day off at Alpha Factory (National Day)" in page and 'type="checkbox"' in page
    assert not PurchaseOrder.objects.exists()
    assert (
        client.post(url, order_post(supplier_a, NATIONAL_DAY.isoformat(), save_anyway="on")).status_code
        == 302
    )
    assert PurchaseOrder.objects.get().lines.get().required_on == NATIONAL_DAY


def test_the_calendar_shows_each_check_in_in_both_timezones(client, buyer, supplier_a):
    buyer.timezone = "Asia/Bangkok"
    buyer.save(update_fields=["timezone"])
    CheckIn.objects.create(
        supplier=supplier_a,
        original_date=date(2026, 9, 24),
        date=date(2026, 9, 24),
        scheduled_at=datetime(2026, 9, 24, 2, 0, tzinfo=ZoneInfo("UTC")),
    )
    client.force_login(buyer)
    page = client.get(reverse("communications:calendar", args=[supplier_a.pk])).content.decode()
    assert "2026-09-24 09:00" in page and "10:00 Asia/Shanghai" in page
