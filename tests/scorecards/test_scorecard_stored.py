"""A supplier's scorecard (staff and portal) over the rolling window reads the supplier's stored KPI row when that
row runs to today over the same dates, and shows exactly the figures kpis.py gives now: the response times, which
move with the clock alone, are computed now; a row from another day is never read."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from core.clock import business_today
from orders.models import Delivery
from scorecards import kpis, periods, services
from scorecards.models import CurrentKpi, Kpi
from scorecards.selectors import portfolio
from suppliers.models import Supplier
from tests.factories import (
    DeliveryFactory,
    OrderLineFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
)
from tests.orders.builders import days
from tests.scorecards.builders import queries
from tests.scorecards.test_scorecard_pages import busy, figures, issue, supplier

pytestmark = pytest.mark.django_db

# 02:00 UTC: the same business day a few hours either side, whatever the business timezone east of UTC.
NOW = datetime(2026, 11, 10, 2, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture
def made(buyer):
    with time_machine.travel(NOW, tick=False):
        kestrel = busy(supplier("Kestrel Textiles", on_time=4, late=2, owner=buyer))
        # Unanswered for 22 hours when the row is stored: within the 24-hour target then, a breach 3 hours later.
        issue(kestrel, hours_ago=22)
        OrderLineFactory(
            order=PurchaseOrderFactory(supplier=kestrel, ordered_on=days(-5)), required_on=days(30)
        )
        services.current_kpis_refresh(today=business_today(), now=NOW, supplier_ids=[kestrel.pk])
    return kestrel


def live(user, made) -> tuple[dict, kpis.ForecastNotice]:
    """Return the card's figures and forecast figures as kpis.py computes them now (the scorecard's old path)."""
    today = business_today()
    period = periods.rolling(today)
    (card,) = portfolio(user=user, suppliers=Supplier.objects.filter(pk=made.pk), today=today, period=period)
    cells = {
        kpi: (cell.value.value, cell.value.numerator, cell.value.denominator, cell.target, cell.met)
        for kpi, cell in card.cells.items()
    }
    notice = kpis.forecast_notice(start=period.start, end=period.end, supplier_ids=[made.pk])
    return cells, notice.get(made.pk, kpis.ForecastNotice())


def test_scorecard_from_the_stored_row_shows_the_live_figures_as_the_clock_moves(client, manager, made):
    client.force_login(manager)
    url = reverse("scorecards:supplier", args=[made.pk])
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        assert CurrentKpi.objects.get(supplier=made, period=periods.ROLLING_KEY).today == business_today()
        response = client.get(url)
        cells, notice = live(manager, made)
        assert figures(response) == cells
        assert response.context["forecasting"] == notice
        # The unanswered issue crossed its target after the row was stored: shown as the breach it now is.
        stored = CurrentKpi.objects.get(supplier=made, period=periods.ROLLING_KEY).kpi_values()
        assert stored[Kpi.RESPONSE_TIME] != response.context["card"].cells[Kpi.RESPONSE_TIME].value


def test_portal_scorecard_from_the_stored_row_shows_the_figures_staff_see(client, manager, made):
    factory_contact = PortalUserFactory(supplier=made)
    with time_machine.travel(NOW + timedelta(hours=3), tick=False):
        client.force_login(manager)
        staff_view = client.get(reverse("scorecards:supplier", args=[made.pk]))
        client.force_login(factory_contact)
        portal_view = client.get(reverse("portal:scorecard"))
        assert figures(portal_view) == figures(staff_view) == live(factory_contact, made)[0]
        assert portal_view.context["forecasting"] == live(factory_contact, made)[1]


def test_reading_the_stored_row_saves_queries(client, manager, made):
    client.force_login(manager)
    url = reverse("scorecards:supplier", args=[made.pk])
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        client.get(url)
        stored = queries(client, url)
        CurrentKpi.objects.filter(supplier=made).delete()
        computed = queries(client, url)
    # The four GROUP BYs the row holds (deliveries, inspections, invoices, forecast) no longer run; the response
    # times and the lookup of the row itself do.
    assert stored < computed, (stored, computed)


def test_a_row_from_another_day_is_not_read(client, manager, made):
    client.force_login(manager)
    url = reverse("scorecards:supplier", args=[made.pk])
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        # Received late since, with no refresh: the stored row (yesterday's) does not count it.
        DeliveryFactory(
            order=PurchaseOrderFactory(supplier=made),
            promised_on=days(-3),
            received_on=days(-1),
            status=Delivery.Status.RECEIVED,
            quantity_received=1000,
        )
        response = client.get(url)
        assert figures(response) == live(manager, made)[0]
        on_time = response.context["card"].cells[Kpi.ON_TIME_DELIVERY].value
        stored = CurrentKpi.objects.get(supplier=made, period=periods.ROLLING_KEY).kpi_values()
        assert stored[Kpi.ON_TIME_DELIVERY].denominator + 1 == on_time.denominator
