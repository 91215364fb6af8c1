"""One "today" (core/clock.py): the staff page, the portal, the API, the weekly email and its PDF, the rows behind
a KPI and the late marks cut the KPI window on the same day, whatever the viewer's timezone. Time is frozen around
midnight UTC, when Kiritimati (UTC+14) and Ho Chi Minh City (UTC+7) are already on the next day and Los Angeles
(UTC−8) is not."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from core.clock import business_today
from scorecards import digest, periods, selectors
from scorecards.models import Kpi
from suppliers.models import Stage
from tests.factories import PortalUserFactory, UserFactory, api_token_for
from tests.scorecards.builders import delivery, inspection

pytestmark = pytest.mark.django_db

ZONES = ("Pacific/Kiritimati", "Asia/Ho_Chi_Minh", "America/Los_Angeles", "UTC")
# Tuesday 1 December 2026, 23:30 UTC: Wednesday 2 December in Kiritimati and Ho Chi Minh City.
NOW = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
UTC_DAY, NEXT_DAY = date(2026, 12, 1), date(2026, 12, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def factory(supplier_a):
    """Five deliveries received on time in November, one promised on 1 December and not received yet; an
    inspection on 30 November (1/100) and one a Ho Chi Minh City inspector dates on their 2 December (5/100)."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    for n in range(5):
        promised = date(2026, 11, 10 + n)
        delivery(supplier_a, promised, promised)
    delivery(supplier_a, UTC_DAY)
    inspection(supplier_a, date(2026, 11, 30), 100, 1)
    inspection(supplier_a, NEXT_DAY, 100, 5)
    return supplier_a


def figures(value) -> tuple:
    return value.numerator, value.denominator


def what_everyone_sees(client, api_client, supplier, zone: str) -> dict:
    """Return the KPI day and the on-time and defect figures of every surface, for viewers in `zone`."""
    manager = UserFactory(role="manager", timezone=zone)
    contact = PortalUserFactory(supplier=supplier, timezone=zone)
    seen = {}

    client.force_login(manager)
    page = client.get(reverse("scorecards:supplier", args=[supplier.pk]))
    card = page.context["card"]
    seen["staff page"] = (
        page.context["period"].end,
        figures(card.cells[Kpi.ON_TIME_DELIVERY].value),
        figures(card.cells[Kpi.DEFECT_RATE].value),
    )
    behind = client.get(reverse("scorecards:deliveries", args=[supplier.pk]))
    seen["rows behind"] = behind.context["period"].end, len(behind.context["rows"])

    context = digest.digest_context(manager=manager, iso_week=digest.current_iso_week(manager))
    (mailed,) = [c for c in context["cards"] if c.supplier.pk == supplier.pk]
    seen["email and PDF"] = (
        context["today"],
        figures(mailed.cells[Kpi.ON_TIME_DELIVERY].value),
        figures(mailed.cells[Kpi.DEFECT_RATE].value),
    )
    _subject, text, html = digest.digest_render(context)
    assert f"– {context['today']:%Y-%m-%d}" in text
    assert f"as of {context['today']:%Y-%m-%d} ({context['business_timezone_name']})" in html

    client.force_login(contact)
    portal = client.get(reverse("portal:scorecard"))
    seen["portal"] = (
        portal.context["period"].end,
        figures(portal.context["card"].cells[Kpi.ON_TIME_DELIVERY].value),
        figures(portal.context["card"].cells[Kpi.DEFECT_RATE].value),
    )

    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(contact)}")
    (row,) = api_client.get("/api/v1/scorecards/").json()["results"]
    seen["API"] = (
        date.fromisoformat(row["period"]["end"]),
        (row["kpis"][Kpi.ON_TIME_DELIVERY]["numerator"], row["kpis"][Kpi.ON_TIME_DELIVERY]["denominator"]),
        (row["kpis"][Kpi.DEFECT_RATE]["numerator"], row["kpis"][Kpi.DEFECT_RATE]["denominator"]),
    )
    return seen


@pytest.mark.parametrize("zone", ZONES)
def test_every_surface_cuts_the_kpi_window_on_the_business_day_whatever_the_viewers_timezone(
    client, api_client, factory, zone
):
    seen = what_everyone_sees(client, api_client, factory, zone)

    # The business calendar is UTC (the default): still 1 December. The delivery promised today is not due yet,
    # and the inspection dated 2 December is not in the window yet — on every surface alike.
    assert business_today() == UTC_DAY
    expected = (UTC_DAY, (5, 5), (1, 100))
    assert {name: value for name, value in seen.items() if name != "rows behind"} == {
        "staff page": expected,
        "email and PDF": expected,
        "portal": expected,
        "API": expected,
    }
    assert seen["rows behind"] == (UTC_DAY, 5)


@pytest.mark.parametrize("zone", ZONES)
def test_a_team_at_utc_plus_7_counts_its_days_entries_the_same_day(
    client, api_client, factory, zone, settings
):
    settings.FORGELINE_BUSINESS_TIMEZONE = "Asia/Ho_Chi_Minh"
    seen = what_everyone_sees(client, api_client, factory, zone)

    # 06:30 on 2 December in Ho Chi Minh City: the delivery promised yesterday is late, today's inspection counts.
    assert business_today() == NEXT_DAY
    expected = (NEXT_DAY, (5, 6), (6, 200))
    assert {name: value for name, value in seen.items() if name != "rows behind"} == {
        "staff page": expected,
        "email and PDF": expected,
        "portal": expected,
        "API": expected,
    }
    assert seen["rows behind"] == (NEXT_DAY, 6)


@pytest.mark.parametrize(
    ("moment", "zone", "day"),
    [
        (datetime(2026, 12, 31, 9, 59, tzinfo=UTC), "Pacific/Kiritimati", date(2026, 12, 31)),
        (datetime(2026, 12, 31, 10, 0, tzinfo=UTC), "Pacific/Kiritimati", date(2027, 1, 1)),
        (datetime(2026, 12, 31, 16, 59, tzinfo=UTC), "Asia/Ho_Chi_Minh", date(2026, 12, 31)),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), "Asia/Ho_Chi_Minh", date(2027, 1, 1)),
        (datetime(2027, 1, 1, 7, 59, tzinfo=UTC), "America/Los_Angeles", date(2026, 12, 31)),
        (datetime(2027, 1, 1, 8, 0, tzinfo=UTC), "America/Los_Angeles", date(2027, 1, 1)),
    ],
)
def test_the_business_day_turns_at_midnight_on_the_business_calendar(moment, zone, day, settings):
    settings.FORGELINE_BUSINESS_TIMEZONE = zone
    with time_machine.travel(moment, tick=False):
        assert business_today() == day
        assert periods.rolling(business_today()).end == day
        # The quarter a page defaults to turns with it (the last day of Q4, then Q1).
        assert periods.period_of("quarter", business_today()).start == date(
            day.year, 10 if day.month == 12 else 1, 1
        )


def test_the_order_page_marks_late_as_the_on_time_kpi_counts(client, factory, settings):
    promised_today = factory.deliveries.get(promised_on=UTC_DAY)
    client.force_login(UserFactory(role="manager", timezone="Pacific/Kiritimati"))
    page = client.get(reverse("orders:detail", args=[promised_today.order_id]))
    marked = {d.pk: d.late for d in page.context["deliveries"]}
    assert marked[promised_today.pk] is False  # still 1 December on the business calendar
    settings.FORGELINE_BUSINESS_TIMEZONE = "Pacific/Kiritimati"
    page = client.get(reverse("orders:detail", args=[promised_today.order_id]))
    assert {d.pk: d.late for d in page.context["deliveries"]}[promised_today.pk] is True
    rows = selectors.rows_behind(
        supplier=factory, kpi=Kpi.ON_TIME_DELIVERY, period=periods.rolling(NEXT_DAY), today=NEXT_DAY, now=NOW
    )
    assert {row.obj.pk: row.good for row in rows}[promised_today.pk] is False
