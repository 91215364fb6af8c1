"""The scorecard pages: the portfolio against targets (worst first, filters), a supplier's scorecard with the
evidence behind each number, the red-flag inbox and its workflow, and the factory's own scorecard in the portal.
Query counts are pinned by measuring a few rows first and many rows after: many may not cost more."""

import itertools
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from communications.models import Side, SupplierIssue
from orders.models import Delivery
from scorecards import services
from scorecards.models import Kpi, KpiSnapshot, RedFlag
from suppliers.models import ProductCategory, Segment, Stage
from tests.factories import (
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    SupplierFactory,
    UserFactory,
)
from tests.orders.builders import days
from tests.payments.factories import InvoiceFactory
from tests.scorecards.builders import queries, received_deliveries

pytestmark = pytest.mark.django_db

Rule = RedFlag.Rule
PORTFOLIO = reverse("scorecards:portfolio")
FLAGS = reverse("scorecards:flag_list")
_periods = itertools.count(1)


# --- Builders ---------------------------------------------------------------------------------------------------


def supplier(name: str, *, on_time: int = 0, late: int = 0, **fields):
    """An approved supplier with `on_time` deliveries received a day early and `late` ones three days late."""
    fields.setdefault("stage", Stage.APPROVED)
    made = SupplierFactory(name=name, **fields)
    if on_time or late:
        received_deliveries(PurchaseOrderFactory(supplier=made), on_time=on_time, late=late)
    return made


def busy(made, *, flags: int = 1, weeks: int = 1):
    """Give a supplier something for every KPI, open red flags and weekly snapshots."""
    QCInspectionFactory(supplier=made, sample_size=100, defective_units=2, inspected_on=days(-5), report="")
    for hours in (1, 2, 30):
        issue(made, hours_ago=100, answered_after=hours)
    for n in range(3):
        InvoiceFactory(order=PurchaseOrderFactory(supplier=made), invoice_date=days(-50 - n))
    for _n in range(flags):
        red_flag(made)
    for week in range(1, weeks + 1):
        for kpi in (Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE):
            KpiSnapshot.objects.create(
                supplier=made,
                kpi=kpi,
                week_start=services.week_start_of(days(0)) - timedelta(weeks=week),
                numerator=8,
                denominator=10,
                sample=10,
                value=Decimal("80"),
                target=Decimal("95"),
                met=False,
            )
    return made


def issue(made, *, hours_ago: float, answered_after=None, raised_at=None, side=Side.BUYER) -> SupplierIssue:
    raised_at = raised_at or timezone.now() - timedelta(hours=hours_ago)
    return SupplierIssue.objects.create(
        supplier=made,
        raised_by_side=side,
        category=SupplierIssue.Category.QUALITY,
        subject="Loose threads",
        description="See the photos.",
        raised_by=made.owner,
        owner=made.owner,
        raised_at=raised_at,
        first_response_at=None if answered_after is None else raised_at + timedelta(hours=answered_after),
        status=SupplierIssue.Status.OPEN if answered_after is None else SupplierIssue.Status.ANSWERED,
    )


def red_flag(made, rule=Rule.ON_TIME_DELIVERY, **fields) -> RedFlag:
    values = {
        "period": f"2026-W{next(_periods):02d}",
        "observed": "60.00 % (3/5)",
        "target": "≥ 95 %",
        "recommended_action": "Review production schedules with the supplier.",
        "owner": made.owner,
        **fields,
    }
    return RedFlag.objects.create(supplier=made, rule=rule, **values)


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def portfolio_names(response) -> list[str]:
    return [card.supplier.name for card in response.context["cards"]]


# --- Portfolio ---------------------------------------------------------------------------------------------------


def test_portfolio_lists_each_active_supplier_with_its_kpis_against_target(staff, buyer):
    kestrel = busy(supplier("Kestrel Textiles", on_time=3, late=2, owner=buyer))
    supplier("Prospect Only", stage=Stage.PROSPECT, owner=buyer)
    response = staff.get(PORTFOLIO)
    page = html(response)
    assert portfolio_names(response) == ["Kestrel Textiles"]
    (card,) = response.context["cards"]
    cells = {
        kpi: (cell.value.value, cell.value.numerator, cell.value.denominator, cell.target, cell.met)
        for kpi, cell in card.cells.items()
    }
    assert cells[Kpi.ON_TIME_DELIVERY] == (Decimal("60.00"), 3, 5, Decimal("95"), False)
    assert cells[Kpi.DEFECT_RATE] == (Decimal("2.00"), 2, 100, Decimal("1"), False)
    assert cells[Kpi.RESPONSE_TIME] == (Decimal("2.0"), 2, 3, Decimal("24"), True)
    for text in ("60.00 %", "3/5 · target 95", "2.00 %", "2/100 · target 1", "2.0 h", "2/3 · target 24"):
        assert text in page
    assert "Prospect Only" not in page
    assert f'href="{reverse("scorecards:supplier", args=[kestrel.pk])}"' in page


def test_kpi_below_the_minimum_sample_shows_insufficient_data(staff, buyer):
    supplier("Wren Ceramics", on_time=4, owner=buyer)  # 4 of 5 deliveries needed
    response = staff.get(PORTFOLIO)
    (card,) = response.context["cards"]
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.value is None
    assert (card.score, card.standing) == (None, "unrated")
    assert "insufficient data" in html(response)
    assert "100.00 %" not in html(response)


def test_per_supplier_target_is_the_one_shown(staff, buyer, admin_user):
    kestrel = supplier("Kestrel Textiles", on_time=9, late=1, owner=buyer)  # 90 %
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("85"), supplier=kestrel)
    response = staff.get(PORTFOLIO)
    (card,) = response.context["cards"]
    assert (card.cells[Kpi.ON_TIME_DELIVERY].target, card.cells[Kpi.ON_TIME_DELIVERY].met) == (
        Decimal("85"),
        True,
    )
    assert "9/10 · target 85" in html(response)


def test_a_round_target_set_by_an_administrator_is_printed_plainly(staff, buyer, admin_user):
    kestrel = busy(supplier("Kestrel Textiles", owner=buyer))
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("20"), supplier=kestrel)
    page = html(staff.get(PORTFOLIO))
    assert "2E+1" not in page
    assert "2/3 · target 20" in page


def test_worst_first_puts_the_lowest_score_first_and_the_unrated_last(staff, buyer):
    supplier("Heron Plastics", on_time=5, owner=buyer)  # 100 %
    supplier("Kestrel Textiles", on_time=2, late=3, owner=buyer)  # 40 %
    supplier("Osprey Metals", on_time=9, late=1, owner=buyer)  # 90 %
    supplier("Alder Unrated", owner=buyer)
    worst = staff.get(PORTFOLIO, {"sort": "worst"})
    assert portfolio_names(worst) == ["Kestrel Textiles", "Osprey Metals", "Heron Plastics", "Alder Unrated"]
    scores = [card.score for card in worst.context["cards"]]
    assert scores[:3] == sorted(scores[:3]) and scores[3] is None
    page = html(worst)
    assert page.index("Kestrel Textiles") < page.index("Osprey Metals") < page.index("Heron Plastics")
    assert 'value="worst" selected' in page
    by_name = staff.get(PORTFOLIO, {"sort": "name"})
    assert portfolio_names(by_name) == [
        "Alder Unrated",
        "Heron Plastics",
        "Kestrel Textiles",
        "Osprey Metals",
    ]


def test_worst_first_breaks_ties_by_open_red_flags(staff, buyer):
    calm = supplier("Heron Plastics", on_time=2, late=3, owner=buyer)
    troubled = supplier("Kestrel Textiles", on_time=2, late=3, owner=buyer)
    red_flag(troubled)
    red_flag(troubled, rule=Rule.CAPA_OVERDUE)
    red_flag(calm, state=RedFlag.State.RESOLVED)
    assert portfolio_names(staff.get(PORTFOLIO)) == ["Kestrel Textiles", "Heron Plastics"]


@pytest.fixture
def three_suppliers(buyer, quality):
    apparel = ProductCategory.objects.create(name="Apparel")
    electronics = ProductCategory.objects.create(name="Electronics")
    kestrel = supplier("Kestrel Textiles", owner=buyer, segment=Segment.STRATEGIC, country="VN")
    kestrel.categories.add(apparel)
    osprey = supplier("Osprey Metals", owner=quality, segment=Segment.ROUTINE, country="CN")
    osprey.categories.add(electronics)
    heron = supplier("Heron Plastics", owner=buyer, segment=Segment.ROUTINE, country="CN")
    heron.categories.add(apparel, electronics)
    return {"apparel": apparel, "electronics": electronics}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Heron Plastics", "Kestrel Textiles", "Osprey Metals"]),
        ({"segment": Segment.ROUTINE}, ["Heron Plastics", "Osprey Metals"]),
        ({"country": "VN"}, ["Kestrel Textiles"]),
        ({"owner": "quality"}, ["Osprey Metals"]),
        ({"category": "apparel"}, ["Heron Plastics", "Kestrel Textiles"]),
        ({"category": "electronics", "segment": Segment.ROUTINE, "owner": "buyer"}, ["Heron Plastics"]),
    ],
)
def test_filters_narrow_the_portfolio(staff, three_suppliers, buyer, quality, filters, expected):
    objects = {"quality": quality.pk, "buyer": buyer.pk, **{k: v.pk for k, v in three_suppliers.items()}}
    query = {key: objects.get(value, value) for key, value in filters.items()}
    response = staff.get(PORTFOLIO, {**query, "sort": "name"})
    assert portfolio_names(response) == expected
    for key, value in query.items():
        assert response.context["filters"][key] == str(value)


def test_a_malformed_filter_does_not_break_the_portfolio(staff, three_suppliers):
    assert staff.get(PORTFOLIO, {"owner": "abc"}).status_code in (200, 400)


def test_portfolio_queries_do_not_grow_with_suppliers(client, manager, buyer):
    client.force_login(manager)
    category = ProductCategory.objects.create(name="Apparel")
    numbers = itertools.count(1)

    def add(count):
        """Add `count` suppliers, each with its own owner, every KPI, two open flags and last week's snapshot."""
        for _n in range(count):
            made = busy(
                supplier(f"Factory {next(numbers):03d}", on_time=4, late=1, owner=UserFactory()), flags=2
            )
            made.categories.add(category)

    add(3)
    client.get(PORTFOLIO)  # warm the session and the caches
    few = queries(client, PORTFOLIO)
    add(17)
    response = client.get(PORTFOLIO)
    assert len(response.context["cards"]) == 20
    many = queries(client, PORTFOLIO)
    assert many <= few, f"{few} queries for 3 suppliers, {many} for 20"


def test_portfolio_pages_fifty_rows_ranked_over_every_supplier(staff):
    for n in range(55):
        supplier(f"Steady {n:02d}", on_time=0 if n else 5)
    supplier("Zeta Late Works", late=5)  # last by name, first worst first
    we_pay_late = supplier("Steady 55")
    for n in range(
        3
    ):  # unpaid and overdue: our payment timeliness misses, which is not the factory's failing
        InvoiceFactory(order=PurchaseOrderFactory(supplier=we_pay_late), invoice_date=days(-50 - n))
    first = staff.get(PORTFOLIO)
    names = [card.supplier.name for card in first.context["cards"]]
    assert len(names) == 50 and names[:2] == ["Zeta Late Works", "Steady 00"]
    page = first.content.decode()
    assert "57 active suppliers" in page and "1 misses at least one target" in page and "showing 1–50" in page
    assert 'href="?page=2"' in page
    late_payer = staff.get(PORTFOLIO, {"sort": "name", "page": 2}).context["cards"][-2]
    assert (late_payer.supplier, late_payer.cells[Kpi.PAYMENT_TIMELINESS].met) == (we_pay_late, False)
    assert "sort=worst" not in page  # the form's defaults are not repeated in the page links
    second = staff.get(PORTFOLIO, {"sort": "name", "page": 2})
    assert [card.supplier.name for card in second.context["cards"]][-1] == "Zeta Late Works"
    assert len(second.context["cards"]) == 7
    assert 'href="?sort=name&amp;page=1"' in second.content.decode()
    assert len(staff.get(PORTFOLIO, {"page": "999"}).context["cards"]) == 7  # past the end: the last page


# --- A supplier's scorecard and the evidence behind it -----------------------------------------------------------


@pytest.fixture
def kestrel(buyer):
    """Deliveries of every kind around the 90-day window."""
    made = SupplierFactory(name="Kestrel Textiles", owner=buyer, stage=Stage.APPROVED)
    order = PurchaseOrderFactory(supplier=made, number="PO-K-1")

    def delivery(promised, received=None, **fields):
        if received is not None:
            fields.update(status=Delivery.Status.RECEIVED, quantity_received=1000)
        return DeliveryFactory(
            order=order,
            promised_on=days(promised),
            received_on=None if received is None else days(received),
            **fields,
        )

    made.evidence = {
        "on_time": [delivery(-10, -11), delivery(-20, -20), delivery(-30, -35)],
        "late": [delivery(-40, -38), delivery(-50, -45), delivery(-5)],  # the last one is still missing
        "not_counted": [
            delivery(0),  # promised today: not late before the day is over
            delivery(12),  # not due yet
            delivery(-15, status=Delivery.Status.CANCELLED),
            delivery(-95, -80),  # promised before the window
        ],
    }
    return made


def test_scorecard_shows_the_kpis_with_the_counts_behind_them(staff, kestrel):
    response = staff.get(reverse("scorecards:supplier", args=[kestrel.pk]))
    page = html(response)
    on_time = response.context["card"].cells[Kpi.ON_TIME_DELIVERY]
    assert (on_time.value.numerator, on_time.value.denominator, on_time.value.value) == (
        3,
        6,
        Decimal("50.00"),
    )
    assert "50.00 %" in page and "3/6 · target 95" in page
    assert "Two-way card: our side" in page


def test_scorecard_links_each_number_to_its_evidence(staff, kestrel):
    page = html(staff.get(reverse("scorecards:supplier", args=[kestrel.pk])))
    deliveries = reverse("scorecards:deliveries", args=[kestrel.pk])
    assert f'<a href="{deliveries}?late=1&amp;period=90d">late deliveries</a>' in page
    assert f'<a href="{deliveries}?period=90d">all</a>' in page
    for kpi in ("defect_rate", "response_time", "payment_timeliness", "buyer_response_time"):
        assert f'href="{reverse("scorecards:behind", args=[kestrel.pk, kpi])}?period=90d"' in page


def test_late_deliveries_page_lists_exactly_the_late_ones(staff, kestrel):
    url = reverse("scorecards:deliveries", args=[kestrel.pk])
    response = staff.get(url, {"late": "1"})
    page = html(response)
    assert {row.obj.pk for row in response.context["rows"]} == {d.pk for d in kestrel.evidence["late"]}
    assert page.count('class="table-danger"') == 3
    assert page.count(">late</span>") == 3 and ">on time</span>" not in page
    assert "not yet" in page  # the missing one
    assert "Late deliveries" in page


def test_all_deliveries_page_lists_the_ones_the_on_time_figure_counts(staff, kestrel):
    response = staff.get(reverse("scorecards:deliveries", args=[kestrel.pk]))
    rows = response.context["rows"]
    assert {r.obj.pk for r in rows} == {d.pk for d in kestrel.evidence["on_time"] + kestrel.evidence["late"]}
    # The same counts the scorecard shows: 3 on time of 6 due.
    assert (sum(r.good for r in rows), len(rows)) == (3, 6)
    assert html(response).count(">on time</span>") == 3


def test_scorecard_lists_the_suppliers_open_flags(staff, kestrel, supplier_b, buyer):
    mine = red_flag(kestrel, observed="50.00 % (3/6)")
    red_flag(kestrel, rule=Rule.CAPA_OVERDUE, state=RedFlag.State.RESOLVED, observed="due 2026-01-01")
    red_flag(supplier_b, rule=Rule.PRICE_ABOVE_AGREED, observed="3.65")
    page = html(staff.get(reverse("scorecards:supplier", args=[kestrel.pk])))
    assert f'href="{mine.get_absolute_url()}"' in page
    assert "50.00 % (3/6)" in page
    assert "due 2026-01-01" not in page and "3.65" not in page


def test_scorecard_queries_do_not_grow_with_flags_and_weeks(client, manager, buyer):
    client.force_login(manager)
    made = busy(supplier("Kestrel Textiles", on_time=4, late=1, owner=buyer), flags=3, weeks=3)
    url = reverse("scorecards:supplier", args=[made.pk])
    client.get(url)
    few = queries(client, url)
    for _n in range(17):
        red_flag(made, owner=UserFactory())
    for week in range(4, 21):
        KpiSnapshot.objects.create(
            supplier=made,
            kpi=Kpi.ON_TIME_DELIVERY,
            week_start=services.week_start_of(days(0)) - timedelta(weeks=week),
            value=Decimal("90"),
            target=Decimal("95"),
            met=False,
        )
    many = queries(client, url)
    assert many <= few, f"{few} queries for 3 flags and weeks, {many} for 20"


def test_deliveries_page_queries_do_not_grow_with_deliveries(client, manager, buyer):
    client.force_login(manager)
    made = supplier("Kestrel Textiles", on_time=2, late=1, owner=buyer)
    url = reverse("scorecards:deliveries", args=[made.pk])
    client.get(url)
    few = queries(client, url)
    for n in range(17):
        DeliveryFactory(order=PurchaseOrderFactory(supplier=made), promised_on=days(-30 - n))
    assert len(client.get(url).context["rows"]) == 20
    many = queries(client, url)
    assert many <= few, f"{few} queries for 3 deliveries, {many} for 20"


# --- Red flags: the inbox -----------------------------------------------------------------------------------------


@pytest.fixture
def inbox(supplier_a, supplier_b, buyer, quality):
    return {
        "open": red_flag(supplier_a, detail="Lot 4", severity=RedFlag.Severity.HIGH),
        "acknowledged": red_flag(
            supplier_a,
            rule=Rule.CAPA_OVERDUE,
            state=RedFlag.State.ACKNOWLEDGED,
            observed="due 2026-10-01",
            target="",
        ),
        "resolved": red_flag(
            supplier_a, rule=Rule.CERTIFICATION, state=RedFlag.State.RESOLVED, observed="expired 2026-09-30"
        ),
        "theirs": red_flag(
            supplier_b,
            rule=Rule.PRICE_ABOVE_AGREED,
            observed="3.65",
            target="3.4",
            owner=quality,
            escalated=True,
        ),
    }


def flag_pks(response) -> set[int]:
    return {flag.pk for flag in response.context["page"]}


def test_red_flag_list_shows_open_and_acknowledged_flags(staff, inbox):
    response = staff.get(FLAGS)
    assert flag_pks(response) == {inbox[k].pk for k in ("open", "acknowledged", "theirs")}
    page = html(response)
    assert "60.00 % (3/5) / ≥ 95 %" in page  # observed / target
    assert "3.65 / 3.4" in page
    assert "escalated" in page
    assert "expired 2026-09-30" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state": "resolved"}, ["resolved"]),
        ({"state": "acknowledged"}, ["acknowledged"]),
        ({"supplier": "a"}, ["open", "acknowledged"]),
        ({"rule": Rule.PRICE_ABOVE_AGREED}, ["theirs"]),
        ({"severity": RedFlag.Severity.HIGH}, ["open"]),
        ({"mine": "1"}, ["open", "acknowledged"]),
    ],
)
def test_red_flag_list_filters(client, buyer, inbox, supplier_a, query, expected):
    client.force_login(buyer)
    if query.get("supplier") == "a":
        query = {"supplier": supplier_a.pk}
    assert flag_pks(client.get(FLAGS, query)) == {inbox[k].pk for k in expected}


def test_red_flag_list_queries_do_not_grow_with_flags(client, manager, supplier_a):
    client.force_login(manager)
    for _n in range(3):
        red_flag(supplier_a, owner=UserFactory())
    client.get(FLAGS)
    few = queries(client, FLAGS)
    for _n in range(17):
        red_flag(SupplierFactory(), owner=UserFactory())
    assert len(client.get(FLAGS).context["page"]) == 20
    many = queries(client, FLAGS)
    assert many <= few, f"{few} queries for 3 flags, {many} for 20"


def test_red_flag_detail_shows_what_was_observed_against_which_target_and_what_to_do(
    staff, inbox, supplier_a
):
    flag = inbox["open"]
    page = html(staff.get(flag.get_absolute_url()))
    for text in (
        "On-time delivery below target",
        "60.00 % (3/5)",
        "≥ 95 %",
        flag.period_label,
        "Review production schedules with the supplier.",
        "Bea Buyer",
        "Lot 4",
    ):
        assert text in page, text
    assert f'href="{reverse("scorecards:supplier", args=[supplier_a.pk])}"' in page
    assert ">Acknowledge</button>" in page and ">Resolve</button>" in page


def test_acknowledged_flag_offers_resolve_but_not_acknowledge(staff, inbox):
    page = html(staff.get(inbox["acknowledged"].get_absolute_url()))
    assert ">Acknowledge</button>" not in page and ">Resolve</button>" in page


def test_resolved_flag_offers_no_actions(staff, inbox):
    page = html(staff.get(inbox["resolved"].get_absolute_url()))
    assert ">Acknowledge</button>" not in page and ">Resolve</button>" not in page
    assert ">Assign</button>" not in page


# --- Red flags: the workflow through the page ---------------------------------------------------------------------


def post(client, flag, **data):
    return client.post(flag.get_absolute_url(), data, follow=True)


def test_acknowledging_through_the_page(client, quality, inbox):
    client.force_login(quality)
    flag = inbox["open"]
    response = post(client, flag, action="acknowledge", note="Calling the plant manager.")
    assert response.redirect_chain == [(flag.get_absolute_url(), 302)]
    page = html(response)
    assert "Acknowledged." in page
    assert 'badge text-bg-secondary">Acknowledged</span>' in page
    flag.refresh_from_db()
    assert (flag.state, flag.acknowledged_by, flag.note) == (
        RedFlag.State.ACKNOWLEDGED,
        quality,
        "Calling the plant manager.",
    )


def test_acknowledging_twice_through_the_page_says_why_not(client, buyer, inbox):
    client.force_login(buyer)
    flag = inbox["acknowledged"]
    page = html(post(client, flag, action="acknowledge"))
    assert "Only an open flag can be acknowledged." in page
    flag.refresh_from_db()
    assert flag.acknowledged_by is None


def test_resolving_through_the_page_needs_a_note(client, buyer, inbox):
    client.force_login(buyer)
    flag = inbox["open"]
    page = html(post(client, flag, action="resolve", note=""))
    assert "Say what was done about it." in page
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.OPEN
    page = html(post(client, flag, action="resolve", note="New schedule agreed with the plant."))
    assert "Resolved." in page
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.note) == (
        RedFlag.State.RESOLVED,
        buyer,
        "New schedule agreed with the plant.",
    )
    assert ">Resolve</button>" not in page
    assert flag.pk not in flag_pks(client.get(FLAGS))


def test_assigning_through_the_page(client, buyer, quality, inbox):
    client.force_login(buyer)
    flag = inbox["open"]
    page = html(post(client, flag, action="assign", owner=quality.pk))
    assert "Assigned to" in page and "Quinn Quality" in page
    flag.refresh_from_db()
    assert flag.owner == quality
    assert flag.pk not in flag_pks(client.get(FLAGS, {"mine": "1"}))
    client.force_login(quality)
    assert flag.pk in flag_pks(client.get(FLAGS, {"mine": "1"}))


def test_a_flag_cannot_be_assigned_to_a_factory_contact_through_the_page(client, buyer, inbox, portal_a):
    client.force_login(buyer)
    flag = inbox["open"]
    response = client.post(flag.get_absolute_url(), {"action": "assign", "owner": portal_a.pk}, follow=True)
    assert response.status_code == 200
    assert "Assign to: Select a valid choice" in html(response)
    flag.refresh_from_db()
    assert flag.owner == buyer


def test_an_unknown_flag_action_says_so_on_the_flag_and_changes_nothing(client, buyer, inbox):
    client.force_login(buyer)
    flag = inbox["open"]
    response = client.post(flag.get_absolute_url(), {"action": "delete"}, follow=True)
    assert response.redirect_chain[-1][0] == flag.get_absolute_url()
    assert "Action: Select a valid choice" in html(response)
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.OPEN


def test_factory_contact_cannot_open_or_work_a_flag(client, portal_a, inbox):
    client.force_login(portal_a)
    flag = inbox["open"]
    assert client.get(flag.get_absolute_url()).status_code == 404
    assert client.post(flag.get_absolute_url(), {"action": "acknowledge"}).status_code == 404
    assert client.get(FLAGS).status_code == 404
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.OPEN


def test_working_a_flag_never_redirects_off_site(client, buyer, inbox):
    client.force_login(buyer)
    response = client.post(
        inbox["open"].get_absolute_url(), {"action": "acknowledge", "next": "https://evil.example.com/"}
    )
    assert not response["Location"].startswith("https://evil.example.com")


# --- The factory's own scorecard in the portal ----------------------------------------------------------------------


@pytest.fixture
def portal_data(supplier_a, supplier_b, buyer):
    for made in (supplier_a, supplier_b):
        made.stage = Stage.APPROVED
        made.save(update_fields=["stage"])
    order = PurchaseOrderFactory(supplier=supplier_a)
    for n in range(5):
        promised = days(-10 - n)
        DeliveryFactory(
            order=order,
            promised_on=promised,
            received_on=promised + timedelta(days=2 if n < 2 else 0),
            status=Delivery.Status.RECEIVED,
            quantity_received=1000,
        )
    busy(supplier_a, flags=0)
    other = PurchaseOrderFactory(supplier=supplier_b)
    for n in range(5):
        DeliveryFactory(
            order=other,
            promised_on=days(-10 - n),
            received_on=days(-10 - n),
            status=Delivery.Status.RECEIVED,
            quantity_received=1000,
        )
    return {
        "otd": red_flag(supplier_a, observed="60.00 % (3/5)"),
        "capa": red_flag(
            supplier_a,
            rule=Rule.CAPA_OVERDUE,
            observed="due 2026-11-01",
            target="",
            detail="Internal note: chase the QA manager",
            state=RedFlag.State.ACKNOWLEDGED,
        ),
        "resolved": red_flag(
            supplier_a, rule=Rule.CERTIFICATION, state=RedFlag.State.RESOLVED, observed="expired"
        ),
        "other": red_flag(supplier_b, rule=Rule.PRICE_ABOVE_AGREED, observed="3.65", target="3.4"),
    }


def figures(response) -> dict:
    card = response.context["card"]
    return {
        kpi: (cell.value.value, cell.value.numerator, cell.value.denominator, cell.target, cell.met)
        for kpi, cell in card.cells.items()
    }


def test_portal_scorecard_shows_the_factorys_own_kpis_with_the_figures_staff_see(
    client, manager, portal_a, supplier_a, portal_data
):
    client.force_login(manager)
    staff_view = client.get(reverse("scorecards:supplier", args=[supplier_a.pk]))
    client.force_login(portal_a)
    portal_view = client.get(reverse("portal:scorecard"))
    page = html(portal_view)
    assert portal_view.context["supplier"] == supplier_a
    assert figures(portal_view) == figures(staff_view)
    assert figures(portal_view)[Kpi.ON_TIME_DELIVERY][:3] == (Decimal("60.00"), 3, 5)
    for text in (
        "Your scorecard",
        "60.00 %",
        "3/5 · target 95",
        "2.00 %",
        "2/100 · target 1",
        "Two-way card",
    ):
        assert text in page, text
    # The portal shows the numbers, not links into the staff pages.
    assert reverse("scorecards:deliveries", args=[supplier_a.pk]) not in page


def test_portal_scorecard_words_the_factorys_flags_for_a_partner(client, portal_a, portal_data):
    client.force_login(portal_a)
    response = client.get(reverse("portal:scorecard"))
    page = html(response)
    assert {f.pk for f in response.context["partner_flags"]} == {
        portal_data["otd"].pk,
        portal_data["capa"].pk,
    }
    assert "On-time delivery is below the target we agreed." in page
    assert "A corrective action is past its due date." in page
    # Not the internal alarm: no recommended action, internal detail, owner or link to the staff flag page.
    for internal in (
        "Review production schedules with the supplier.",
        "Internal note",
        "Bea Buyer",
        portal_data["otd"].get_absolute_url(),
        "On-time delivery below target",
    ):
        assert internal not in page, internal


def test_portal_scorecard_never_shows_another_suppliers_flags_or_resolved_ones(
    client, portal_a, portal_b, portal_data
):
    client.force_login(portal_a)
    page = html(client.get(reverse("portal:scorecard")))
    assert "An invoice price is above the price agreed on the order." not in page
    assert "3.65" not in page
    assert "A certificate expires soon or has expired" not in page
    client.force_login(portal_b)
    response = client.get(reverse("portal:scorecard"))
    assert [f.pk for f in response.context["partner_flags"]] == [portal_data["other"].pk]
    assert response.context["supplier"].pk == portal_b.supplier_id
    assert "On-time delivery is below the target we agreed." not in html(response)


EXPLAINED = [  # supplier A of portal_data: 3/5 on time, 2 % defects, replies in 2 h, two open flags
    "On-time delivery: 0 / 100 × weight 40.",
    "Defect rate: 0 / 100 × weight 40.",
    "Response time to issues: 100 / 100 × weight 20.",
    "Score 20.0 → grade D; 2 open red flags → probation.",
]


def explained(page: str) -> list[str]:
    """Return the lines of "How the score was reached" as the page shows them (in whatever language)."""
    section = page.split('<details class="small mt-1"><summary>', 1)[1].split("</ul>", 1)[0]
    return [line.split("</li>", 1)[0] for line in section.split("<li>")[1:]]


def test_the_scorecards_explain_the_score_line_by_line(client, manager, portal_a, supplier_a, portal_data):
    client.force_login(manager)
    staff_view = client.get(reverse("scorecards:supplier", args=[supplier_a.pk]))
    assert explained(html(staff_view)) == staff_view.context["card"].explanation == EXPLAINED
    client.force_login(portal_a)
    portal_view = client.get(reverse("portal:scorecard"))
    # The factory's count leaves out the flags the portal does not show it; the rest reads the same.
    card = portal_view.context["card"]
    assert explained(html(portal_view)) == [
        *EXPLAINED[:3],
        f"Score 20.0 → grade D; {card.open_flags} open red flags → probation.",
    ]


def test_the_explanation_is_worded_in_the_readers_language(client, portal_a, supplier_a, portal_data):
    portal_a.language = "vi"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    page = html(client.get(reverse("portal:scorecard")))
    assert explained(page)[:2] == [
        "Giao hàng đúng hạn: 0 / 100 × trọng số 40.",
        "Tỷ lệ lỗi: 0 / 100 × trọng số 40.",
    ]


def test_the_portfolio_and_the_api_never_word_the_explanation(staff, api_client, manager, monkeypatch):
    busy(supplier("Kestrel Textiles", on_time=3, late=2))
    worded = []
    monkeypatch.setattr(
        "scorecards.selectors.cards.score_explanation", lambda card: worded.append(card) or []
    )
    assert portfolio_names(staff.get(PORTFOLIO)) == ["Kestrel Textiles"]
    api_client.force_authenticate(manager)
    assert api_client.get("/api/v1/scorecards/").status_code == 200
    assert worded == []


def test_staff_cannot_open_the_portal_scorecard(client, buyer):
    client.force_login(buyer)
    assert client.get(reverse("portal:scorecard")).status_code in (403, 404)


def test_portal_and_staff_see_the_same_response_time_whatever_their_timezones(client, manager, supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    contact = PortalUserFactory(supplier=supplier_a, timezone="Asia/Shanghai")
    utc, shanghai = ZoneInfo("UTC"), ZoneInfo("Asia/Shanghai")
    # The first instant of each viewer's 90-day window; an issue raised between the two is in one window only.
    starts = [
        datetime.combine(timezone.localdate(timezone=zone) - timedelta(days=90), clock.min, tzinfo=zone)
        for zone in (utc, shanghai)
    ]
    issue(supplier_a, hours_ago=0, raised_at=min(starts) + (max(starts) - min(starts)) / 2, answered_after=1)
    for hours in (2, 3, 4):
        issue(supplier_a, hours_ago=240, answered_after=hours)
    client.force_login(manager)
    staff_view = figures(client.get(reverse("scorecards:supplier", args=[supplier_a.pk])))
    client.force_login(contact)
    portal_view = figures(client.get(reverse("portal:scorecard")))
    assert portal_view[Kpi.RESPONSE_TIME] == staff_view[Kpi.RESPONSE_TIME]
