"""The period picker on the pages and the API: the staff portfolio and scorecard over a calendar month or quarter,
monthly and quarterly trends, the pages of rows behind each KPI, the portal scorecard and GET /api/v1/scorecards/.

The pages measure against the real today (business_today), so the months used here are computed from it: "last month"
has ended whatever day the tests run. The quarter 2026-Q3 is fixed: it has ended for good.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from communications.models import Side
from core.clock import business_today
from orders.models import Delivery
from payments.models import Invoice
from scorecards import kpis, periods, selectors
from scorecards.models import Kpi
from suppliers.models import Stage, Supplier
from tests.factories import (
    PortalUserFactory,
    SupplierFactory,
)
from tests.helpers import authed
from tests.scorecards.builders import delivery, inspection, invoice, issue, queries

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
PORTFOLIO = reverse("scorecards:portfolio")
API = "/api/v1/scorecards/"
NOT_A_PERIOD = "is not a period: use 90d, 2026-W48, 2026-11 or 2026-Q4."
Q3 = periods.Period("quarter", date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")


# --- Builders ---------------------------------------------------------------------------------------------------


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def every_kpi(supplier, period: periods.Period, *, late: int):
    """Rows for every KPI in a past period: 5 deliveries (`late` of them late, the last late one never received)
    and a cancelled one; 2 inspections (3/100 and 0/100); 3 issues each way; 3 invoices (1 on time) and a
    rejected one."""
    first = period.start
    for n in range(5):
        promised = first + timedelta(days=2 + n)
        if n < late - 1:
            delivery(supplier, promised, promised + timedelta(days=2))
        elif n < late:
            delivery(supplier, promised)  # never received
        else:
            delivery(supplier, promised, promised)
    delivery(supplier, first + timedelta(days=3), status=Delivery.Status.CANCELLED)
    inspection(supplier, first + timedelta(days=4), 100, 3)
    inspection(supplier, first + timedelta(days=9), 100, 0)
    for n, hours in enumerate((2, 30, 5)):
        issue(supplier, at(first + timedelta(days=5 + n), 6), hours)
        issue(supplier, at(first + timedelta(days=12 + n), 6), hours + 1, Side.SUPPLIER)
    invoice(supplier, first + timedelta(days=10), first + timedelta(days=10))
    invoice(supplier, first + timedelta(days=11), first + timedelta(days=14))  # 3 days late
    invoice(supplier, first + timedelta(days=12))  # unpaid: late
    invoice(supplier, first + timedelta(days=13), status=Invoice.Status.REJECTED)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def warnings(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


def figures(value) -> tuple:
    return value.numerator, value.denominator, value.sample, value.value


def card_figures(card) -> dict:
    return {kpi: figures(cell.value) for kpi, cell in card.cells.items()}


def kpi_figures(period, supplier, today) -> dict:
    families = kpis.all_kpis(start=period.start, end=period.end, today=today)
    return {kpi: figures(families[kpi].get(supplier.pk, selectors.EMPTY_BY_KPI[kpi])) for kpi in Kpi.values}


@pytest.fixture
def today():
    return business_today()


@pytest.fixture
def last_month(today):
    """The calendar month before the running one: over whatever day the tests run."""
    return periods.period_of("month", today).previous()


@pytest.fixture
def kestrel(buyer, last_month):
    """An approved supplier with every KPI last month (4 of 5 deliveries on time) and the month before (5 of 5)."""
    made = SupplierFactory(name="Kestrel Textiles", owner=buyer, stage=Stage.APPROVED)
    every_kpi(made, last_month, late=1)
    before = last_month.previous()
    for n in range(5):
        promised = before.start + timedelta(days=6 + n)
        delivery(made, promised, promised - timedelta(days=1))
    return made


# --- The portfolio over a period -----------------------------------------------------------------------------------


def test_portfolio_over_last_month_shows_the_period_and_that_months_numbers(
    staff, kestrel, last_month, today
):
    response = staff.get(PORTFOLIO, {"period": last_month.key})
    page = html(response)
    assert response.context["period"] == last_month
    assert warnings(response) == []
    assert (
        f"<strong>{last_month.label}</strong> ({last_month.start:%Y-%m-%d} – {last_month.end:%Y-%m-%d})"
        in page
    )
    assert f'<option value="{last_month.key}" selected>{last_month.label}</option>' in page
    (card,) = response.context["cards"]
    assert card_figures(card) == kpi_figures(last_month, kestrel, today)
    otd = card.cells[Kpi.ON_TIME_DELIVERY].value
    assert figures(otd) == (4, 5, 5, Decimal("80.00"))
    for text in ("80.00 %", "4/5 · target 95", "1.50 %", "3/200 · target 1", "5.0 h", "2/3 · target 24"):
        assert text in page, text
    # 100 % the month before, 80 % now: a red arrow down, against the period before.
    assert '<span class="text-danger" title="against the period before">▼</span>' in page
    # The supplier's scorecard opens over the same period.
    assert f'href="{reverse("scorecards:supplier", args=[kestrel.pk])}?period={last_month.key}"' in page


def test_portfolio_without_a_period_is_the_rolling_90_days(staff, kestrel, today):
    response = staff.get(PORTFOLIO)
    page = html(response)
    assert response.context["period"] == periods.rolling(today)
    assert "<strong>Last 90 days</strong>" in page
    (card,) = response.context["cards"]
    assert card_figures(card) == kpi_figures(periods.rolling(today), kestrel, today)
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.denominator == 10  # both months
    assert f'href="{reverse("scorecards:supplier", args=[kestrel.pk])}"' in page


@pytest.mark.parametrize("key", ["xyz", "2026-13", "2026-Q5", "2026-W00"])
def test_a_malformed_period_says_so_and_shows_the_rolling_90_days(staff, kestrel, today, key):
    response = staff.get(PORTFOLIO, {"period": key})
    page = html(response)
    message = f"“{key}” {NOT_A_PERIOD}"
    assert warnings(response) == [message]
    assert message in page
    assert response.context["period"] == periods.rolling(today)
    assert "<strong>Last 90 days</strong>" in page
    (card,) = response.context["cards"]
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.denominator == 10


def test_a_period_key_is_escaped_in_the_warning(staff, kestrel):
    page = html(staff.get(PORTFOLIO, {"period": "<script>alert(1)</script>"}))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_future_period_says_it_has_not_started_and_shows_the_rolling_90_days(staff, kestrel, today):
    running = periods.period_of("month", today)
    following = periods.period_of("month", running.end + timedelta(days=1))
    response = staff.get(PORTFOLIO, {"period": following.key})
    page = html(response)
    assert warnings(response) == [f"{following.label} has not started yet."]
    assert f"{following.label} has not started yet." in page
    assert response.context["period"] == periods.rolling(today)


def test_the_running_month_is_shown_to_date(staff, kestrel, today):
    running = periods.period_of("month", today)
    response = staff.get(PORTFOLIO, {"period": running.key})
    assert response.context["period"] == running
    assert warnings(response) == []
    if running.end > today:
        assert f"{running.end:%Y-%m-%d}, to date)" in html(response)


def test_a_period_in_year_1_does_not_break_the_portfolio(staff, kestrel):
    response = staff.get(PORTFOLIO, {"period": "0001-01"})
    assert response.status_code == 200
    assert response.context["period"].kind == "rolling"
    assert warnings(response) == ["Periods before 1900 are not kept."]


# --- A supplier's scorecard with monthly and quarterly trends --------------------------------------------------------


def scorecard(pk) -> str:
    return reverse("scorecards:supplier", args=[pk])


def section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</table>", start)]


@pytest.mark.parametrize(("trend", "count"), [("month", 12), ("quarter", 8)])
def test_scorecard_with_a_calendar_trend_shows_the_series_table_and_charts(
    staff, kestrel, today, trend, count
):
    response = staff.get(scorecard(kestrel.pk), {"trend": trend})
    page = html(response)
    assert response.context["trend"] == trend
    series = response.context["series"]
    expected = periods.series(trend, count=count, today=today)
    assert [row["period"] for row in series] == expected[::-1]  # the table is newest first
    table = section(page, 'id="series"')
    assert table.count("<tr>") == count + 1  # the header and one row per period
    # Each row's cells are the supplier's KPIs over that period, in the KPI order of the header.
    computed = selectors.supplier_series(supplier=kestrel, kind=trend, today=today)
    for row in series:
        index = expected.index(row["period"])
        assert [figures(c.value) for c in row["cells"]] == [
            figures(computed[k][index].value) for k in Kpi.values
        ]
    assert len(response.context["charts"]) == 5
    assert page.count("<svg") >= 5
    assert f'<option value="{trend}" selected>' in page
    assert ("to date" in table) == (expected[-1].end > today)  # the running period, unless it ends today


def test_scorecard_monthly_series_shows_last_months_figures(staff, kestrel, last_month):
    response = staff.get(scorecard(kestrel.pk), {"trend": "month"})
    row = next(r for r in response.context["series"] if r["period"] == last_month)
    otd, defects, response_time, payments, ours = row["cells"]
    assert (otd.value.numerator, otd.value.denominator, otd.value.value) == (4, 5, Decimal("80.00"))
    assert (defects.value.numerator, defects.value.denominator) == (3, 200)
    assert (response_time.value.denominator, str(response_time.value.value)) == (3, "5.0")
    assert (payments.value.numerator, payments.value.denominator) == (1, 3)
    assert (ours.value.denominator, str(ours.value.value)) == (3, "6.0")
    table = section(html(response), 'id="series"')
    assert f'<th class="fw-normal">{last_month.label}</th>' in table
    assert '<span class="text-danger">80.00 %</span> <span class="small text-muted">4/5</span>' in table
    assert '<span class="text-success">5.0 h</span> <span class="small text-muted">2/3</span>' in table


@pytest.mark.parametrize("trend", ["month", "quarter"])
def test_scorecard_with_a_calendar_trend_takes_the_same_queries_with_3_or_30_deliveries(
    client, manager, buyer, today, trend
):
    client.force_login(manager)
    made = SupplierFactory(name="Kestrel Textiles", owner=buyer, stage=Stage.APPROVED)
    span = periods.series(trend, count=periods.SERIES_LENGTH[trend], today=today)
    for n in range(3):
        delivery(made, span[n].start + timedelta(days=1), span[n].start + timedelta(days=1))
    url = f"{scorecard(made.pk)}?trend={trend}"
    client.get(url)
    few = queries(client, url)
    for n in range(27):
        promised = span[n % (len(span) - 1)].start + timedelta(days=2 + n // len(span))
        delivery(made, promised, promised + timedelta(days=n % 2))
    response = client.get(url)
    assert sum(row["cells"][0].value.denominator for row in response.context["series"]) == 30
    many = queries(client, url)
    assert many == few, f"{few} queries with 3 deliveries, {many} with 30"


def test_an_unknown_trend_falls_back_to_weekly(staff, kestrel):
    response = staff.get(scorecard(kestrel.pk), {"trend": "bogus"})
    page = html(response)
    assert response.context["trend"] == "week"
    assert response.context["series"] == []
    assert 'id="series"' not in page
    assert len(response.context["charts"]) == 5
    assert '<option value="week" selected>' in page
    assert "Weekly, rolling 90 days (52 weeks)" in page


def test_scorecard_over_a_period_states_the_kpis_and_links_over_it(staff, kestrel, last_month, today):
    response = staff.get(scorecard(kestrel.pk), {"period": last_month.key})
    page = html(response)
    assert card_figures(response.context["card"]) == kpi_figures(last_month, kestrel, today)
    assert f"{last_month.label}: {last_month.start:%Y-%m-%d} – {last_month.end:%Y-%m-%d}" in page
    deliveries = reverse("scorecards:deliveries", args=[kestrel.pk])
    assert f'<a href="{deliveries}?late=1&amp;period={last_month.key}">late deliveries</a>' in page
    for kpi in ("defect_rate", "response_time", "payment_timeliness", "buyer_response_time"):
        assert (
            f'href="{reverse("scorecards:behind", args=[kestrel.pk, kpi])}?period={last_month.key}"' in page
        )


# --- The rows behind each KPI -------------------------------------------------------------------------------------------


BEHIND_COUNTS = {  # (good, all) last month, from every_kpi(late=1)
    Kpi.ON_TIME_DELIVERY: (4, 5),
    Kpi.DEFECT_RATE: (1, 2),  # inspections without a defective unit
    Kpi.RESPONSE_TIME: (2, 3),
    Kpi.PAYMENT_TIMELINESS: (1, 3),
    Kpi.BUYER_RESPONSE_TIME: (2, 3),
}


def behind(pk, kpi) -> str:
    return reverse("scorecards:behind", args=[pk, kpi])


@pytest.mark.parametrize("kpi", Kpi.values)
def test_the_rows_behind_each_kpi_over_a_period(staff, kestrel, last_month, today, kpi):
    response = staff.get(behind(kestrel.pk, kpi), {"period": last_month.key})
    page = html(response)
    assert response.context["period"] == last_month
    rows = response.context["rows"]
    expected = selectors.rows_behind(supplier=kestrel, kpi=kpi, period=last_month, today=today)
    assert [(r.obj.pk, r.good) for r in rows] == [(r.obj.pk, r.good) for r in expected]
    assert (sum(r.good for r in rows), len(rows)) == BEHIND_COUNTS[kpi]
    value = kpis.all_kpis(start=last_month.start, end=last_month.end, today=today)[kpi][kestrel.pk]
    if kpi == Kpi.DEFECT_RATE:
        assert sum(r.obj.defective_units for r in rows) == value.numerator
    else:
        assert (sum(r.good for r in rows), len(rows)) == (value.numerator, value.denominator)
    assert f"{last_month.label}: {last_month.start:%Y-%m-%d} – {last_month.end:%Y-%m-%d}" in page
    assert f"{len(rows)} rows" in page


@pytest.mark.parametrize("kpi", Kpi.values)
def test_late_shows_only_the_rows_against_the_kpi(staff, kestrel, last_month, kpi):
    response = staff.get(behind(kestrel.pk, kpi), {"period": last_month.key, "late": "1"})
    page = html(response)
    rows = response.context["rows"]
    good, total = BEHIND_COUNTS[kpi]
    assert len(rows) == total - good
    assert not any(r.good for r in rows)
    everything = staff.get(behind(kestrel.pk, kpi), {"period": last_month.key}).context["rows"]
    assert {r.obj.pk for r in rows} == {r.obj.pk for r in everything if not r.good}
    assert "Show all" in page
    if kpi == Kpi.ON_TIME_DELIVERY:
        assert "Late deliveries" in page
        assert page.count(">late</span>") == 1 and ">on time</span>" not in page


def test_the_deliveries_page_is_the_on_time_delivery_rows_over_a_period(staff, kestrel, last_month):
    old = staff.get(reverse("scorecards:deliveries", args=[kestrel.pk]), {"period": last_month.key})
    new = staff.get(behind(kestrel.pk, Kpi.ON_TIME_DELIVERY), {"period": last_month.key})
    assert [r.obj.pk for r in old.context["rows"]] == [r.obj.pk for r in new.context["rows"]]
    assert len(old.context["rows"]) == 5
    assert 'id="deliveries-behind"' in html(old)


def test_a_malformed_period_on_a_behind_page_warns_and_uses_the_rolling_90_days(staff, kestrel, today):
    response = staff.get(behind(kestrel.pk, Kpi.ON_TIME_DELIVERY), {"period": "abc"})
    assert response.status_code == 200
    assert warnings(response) == [f"“abc” {NOT_A_PERIOD}"]
    assert response.context["period"] == periods.rolling(today)
    assert len(response.context["rows"]) == 10


def test_an_unknown_kpi_behind_page_is_404(staff, kestrel):
    assert staff.get(behind(kestrel.pk, "happiness")).status_code == 404
    assert staff.get(behind(kestrel.pk, "late_changes"), {"period": "90d"}).status_code == 404


def test_a_behind_page_of_an_unknown_supplier_is_404(staff, kestrel):
    assert staff.get(behind(kestrel.pk + 1000, Kpi.DEFECT_RATE)).status_code == 404


@pytest.mark.parametrize("kpi", Kpi.values)
def test_a_factory_contact_gets_404_on_the_staff_behind_pages_even_its_own(client, kestrel, last_month, kpi):
    contact = PortalUserFactory(supplier=kestrel)
    client.force_login(contact)
    assert client.get(behind(kestrel.pk, kpi), {"period": last_month.key}).status_code == 404
    assert client.get(reverse("scorecards:deliveries", args=[kestrel.pk])).status_code == 404
    assert client.get(PORTFOLIO, {"period": last_month.key}).status_code == 404


# --- The portal scorecard over a period ------------------------------------------------------------------------------


@pytest.fixture
def q3_data(supplier_a, supplier_b):
    """Every KPI of supplier A (Shanghai) in 2026-Q3, and issues around the turn of Q3 to Q4 in Shanghai."""
    for made in (supplier_a, supplier_b):
        made.stage = Stage.APPROVED
        made.timezone = "Asia/Shanghai"
        made.save(update_fields=["stage", "timezone"])
    every_kpi(supplier_a, periods.period_of("month", date(2026, 8, 1)), late=2)
    every_kpi(supplier_b, periods.period_of("month", date(2026, 9, 1)), late=0)
    issue(supplier_a, at(date(2026, 9, 30), 15), 40)  # 23:00 on 30 September in Shanghai: Q3
    issue(supplier_a, at(date(2026, 9, 30), 17), 50)  # 01:00 on 1 October in Shanghai: Q4
    delivery(supplier_a, date(2026, 10, 1), date(2026, 10, 9))  # Q4
    delivery(supplier_a, date(2026, 6, 30), date(2026, 7, 9))  # Q2
    return supplier_a


def test_portal_scorecard_over_a_quarter_shows_what_staff_see(client, manager, q3_data):
    client.force_login(manager)
    staff_view = client.get(scorecard(q3_data.pk), {"period": "2026-Q3"})
    contact = PortalUserFactory(supplier=q3_data, timezone="America/New_York")
    client.force_login(contact)
    portal_view = client.get(reverse("portal:scorecard"), {"period": "2026-Q3"})
    page = html(portal_view)
    assert portal_view.context["period"] == Q3
    assert card_figures(portal_view.context["card"]) == card_figures(staff_view.context["card"])
    assert card_figures(portal_view.context["card"]) == kpi_figures(Q3, q3_data, business_today())
    otd = portal_view.context["card"].cells[Kpi.ON_TIME_DELIVERY].value
    assert (otd.numerator, otd.denominator) == (3, 5)
    issues = portal_view.context["card"].cells[Kpi.RESPONSE_TIME].value
    assert (issues.numerator, issues.denominator, str(issues.value)) == (2, 4, "17.5")  # 2, 5, 30 and 40 h
    assert "Q3 2026: 2026-07-01 – 2026-09-30" in page
    assert "60.00 %" in page and "3/5 · target 95" in page
    assert reverse("scorecards:deliveries", args=[q3_data.pk]) not in page
    assert reverse("scorecards:behind", args=[q3_data.pk, Kpi.DEFECT_RATE]) not in page


def test_portal_scorecard_with_a_malformed_period_warns_and_shows_the_rolling_90_days(client, q3_data):
    client.force_login(PortalUserFactory(supplier=q3_data))
    response = client.get(reverse("portal:scorecard"), {"period": "2026-Q9", "trend": "quarter"})
    assert response.status_code == 200
    assert warnings(response) == [f"“2026-Q9” {NOT_A_PERIOD}"]
    assert response.context["period"] == periods.rolling(business_today())
    assert len(response.context["series"]) == 8


# --- GET /api/v1/scorecards/?period= ---------------------------------------------------------------------------------------


def api_figures(row) -> dict:
    return {
        kpi: (v["numerator"], v["denominator"], None if v["value"] is None else float(v["value"]))
        for kpi, v in row["kpis"].items()
    }


def test_api_over_a_quarter_gives_each_suppliers_period_and_its_kpis(
    api_client, manager, q3_data, supplier_b
):
    response = authed(api_client, manager).get(API, {"period": "2026-Q3"})
    assert response.status_code == 200
    rows = {row["supplier"]: row for row in response.json()["results"]}
    assert set(rows) == {q3_data.pk, supplier_b.pk}
    families = kpis.all_kpis(start=Q3.start, end=Q3.end, today=business_today())
    for sid, row in rows.items():
        assert row["period"] == {"key": "2026-Q3", "start": "2026-07-01", "end": "2026-09-30"}
        expected = {}
        for kpi in Kpi.values:
            value = families[kpi].get(sid, selectors.EMPTY_BY_KPI[kpi])
            expected[kpi] = (
                value.numerator,
                value.denominator,
                None if value.value is None else float(value.value),
            )
        assert api_figures(row) == expected
    assert api_figures(rows[q3_data.pk])[Kpi.ON_TIME_DELIVERY] == (3, 5, 60.0)
    assert api_figures(rows[supplier_b.pk])[Kpi.ON_TIME_DELIVERY] == (5, 5, 100.0)


def test_api_without_a_period_is_the_rolling_90_days(api_client, manager, q3_data):
    today = business_today()
    rows = authed(api_client, manager).get(API).json()["results"]
    assert {row["period"]["key"] for row in rows} == {"90d"}
    assert rows[0]["period"]["end"] == today.isoformat()
    assert rows[0]["period"]["start"] == (today - timedelta(days=90)).isoformat()


def test_api_for_a_factory_token_gives_its_own_supplier_over_the_period(api_client, q3_data):
    contact = PortalUserFactory(supplier=q3_data)
    rows = authed(api_client, contact).get(API, {"period": "2026-Q3"}).json()["results"]
    assert [row["supplier"] for row in rows] == [q3_data.pk]
    assert api_figures(rows[0])[Kpi.ON_TIME_DELIVERY] == (3, 5, 60.0)


@pytest.mark.parametrize("key", ["2026-Q9", "xyz", "2026-W54"])
def test_api_with_a_malformed_period_is_400_with_a_period_error(api_client, manager, q3_data, key):
    response = authed(api_client, manager).get(API, {"period": key})
    assert response.status_code == 400
    assert response.json() == {"period": [f"“{key}” {NOT_A_PERIOD}"]}


def test_api_with_a_future_period_is_400(api_client, manager, q3_data):
    following = periods.period_of(
        "quarter", periods.period_of("quarter", business_today()).end + timedelta(days=1)
    )
    response = authed(api_client, manager).get(API, {"period": following.key})
    assert response.status_code == 400
    assert response.json() == {"period": [f"{following.label} has not started yet."]}


def test_api_with_a_period_in_year_1_is_a_client_error(api_client, manager, q3_data):
    response = authed(api_client, manager).get(API, {"period": "0001-Q1"})
    assert response.status_code == 400
    assert response.json() == {"period": ["Periods before 1900 are not kept."]}


def test_suppliers_are_the_active_ones_only(api_client, manager, q3_data):
    SupplierFactory(name="Prospect Ltd", stage=Stage.PROSPECT)
    rows = authed(api_client, manager).get(API, {"period": "2026-Q3"}).json()["results"]
    assert "Prospect Ltd" not in {row["name"] for row in rows}
    assert Supplier.objects.count() == 3


def test_the_schema_describes_the_pages_of_cards_the_api_returns(api_client, manager, q3_data):
    client = authed(api_client, manager)
    rows = client.get(API, {"period": "2026-Q3"}).json()["results"]
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()

    answer = schema["paths"][API]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/PaginatedScorecardList"}
    components = schema["components"]["schemas"]
    assert components["PaginatedScorecardList"]["properties"]["results"]["items"] == {
        "$ref": "#/components/schemas/Scorecard"
    }
    card, cell = components["Scorecard"], components["ScorecardKpi"]
    assert len(rows) == 2
    for row in rows:
        assert set(row) == set(card["properties"]) == set(card["required"])
        assert set(row["period"]) == set(components["ScorecardPeriod"]["required"])
        assert all(set(kpi) == set(cell["required"]) for kpi in row["kpis"].values())
        assert row["standing"] in components["StandingEnum"]["enum"]
