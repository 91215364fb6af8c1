"""The manager's journey as people click it: open the scorecards worst first, open the worst supplier's scorecard,
follow its on-time figure to the late deliveries behind it, then acknowledge the red flag it raised."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import Delivery
from scorecards import alerts
from scorecards.models import RedFlag
from suppliers import triggers
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import PurchaseOrderFactory, SupplierFactory, UserFactory
from tests.scorecards.builders import received_deliveries


def supplier_with_deliveries(name, *, owner, on_time: int, late: int):
    """An approved supplier with received deliveries in the last 90 days: `late` ones three days late."""
    supplier = SupplierFactory(name=name, owner=owner, stage=Stage.APPROVED)
    order = PurchaseOrderFactory(supplier=supplier, number=f"PO-{name.split()[0].upper()}-1")
    received_deliveries(order, on_time=on_time, late=late, step=3)
    return supplier


def nav(page, name):
    with page.expect_navigation():
        page.get_by_role("navigation").get_by_role("link", name=name, exact=True).click()


def click_and_wait(page, role, name, **kwargs):
    with page.expect_navigation():
        page.get_by_role(role, name=name, **kwargs).click()


def test_manager_finds_the_worst_supplier_its_late_deliveries_and_acknowledges_the_flag(page):
    manager = UserFactory(role=Role.MANAGER, full_name="Mona Manager")
    buyer = UserFactory(role=Role.PROCUREMENT, full_name="Bea Buyer")
    # Built with the per-write checks off; the nightly scan then raises the flags once.
    with triggers.muted():
        supplier_with_deliveries("Osprey Metals", owner=buyer, on_time=10, late=0)
        kestrel = supplier_with_deliveries("Kestrel Textiles", owner=buyer, on_time=2, late=8)
    alerts.flags_evaluate(today=timezone.localdate(), now=timezone.now())
    flag = RedFlag.objects.get(supplier=kestrel, rule=RedFlag.Rule.ON_TIME_DELIVERY)
    assert flag.observed == "20.00 % (2/10)"

    # The portfolio, worst first.
    login(page, manager.email)
    nav(page, "Scorecards")
    expect(page.get_by_role("heading", name="Supplier scorecards", level=1)).to_be_visible()
    page.get_by_label("Sort").select_option(label="Worst first")
    click_and_wait(page, "button", "Apply", exact=True)
    expect(page).to_have_url(re.compile(r"/scorecards/\?.*sort=worst"))
    rows = page.locator("#portfolio tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Kestrel Textiles")
    expect(rows.nth(0)).to_contain_text("20.00 %")
    expect(rows.nth(1)).to_contain_text("Osprey Metals")

    # The worst supplier's scorecard, and the late deliveries behind its on-time figure.
    with page.expect_navigation():
        rows.nth(0).get_by_role("link", name="Kestrel Textiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard: Kestrel Textiles")
    expect(page.get_by_text("2/10 · target 95")).to_be_visible()
    click_and_wait(page, "link", "late deliveries", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Late deliveries")
    late_rows = page.locator("#deliveries-behind tbody tr")
    expect(late_rows).to_have_count(8)
    expect(late_rows.first).to_contain_text("PO-KESTREL-1")
    expect(late_rows.first.get_by_text("late", exact=True)).to_be_visible()
    expect(page.get_by_text("on time", exact=True)).to_have_count(0)

    # The red flag it raised: acknowledge it.
    nav(page, "Red flags")
    expect(page.get_by_role("heading", name="Red flags", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Kestrel Textiles")
    expect(row).to_contain_text("20.00 % (2/10) / ≥ 95 %")
    expect(row).to_contain_text("Open")
    with page.expect_navigation():
        row.get_by_role("link", name="On-time delivery below target").click()
    expect(page).to_have_url(re.compile(rf"/scorecards/red-flags/{flag.pk}/$"))
    expect(page.get_by_text("Review production schedules with the supplier.")).to_be_visible()
    page.get_by_label("Note", exact=True).fill("Calling the plant manager about line 3.")
    click_and_wait(page, "button", "Acknowledge", exact=True)
    expect(page.get_by_role("alert").filter(has_text="Acknowledged.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acknowledged")
    expect(page.get_by_role("button", name="Acknowledge", exact=True)).to_have_count(0)

    flag.refresh_from_db()
    assert (flag.state, flag.acknowledged_by, flag.note) == (
        RedFlag.State.ACKNOWLEDGED,
        manager,
        "Calling the plant manager about line 3.",
    )


def test_manager_reads_a_supplier_month_by_month_and_opens_one_months_late_deliveries(page):
    from scorecards import periods

    manager = UserFactory(role=Role.MANAGER, full_name="Mona Manager")
    buyer = UserFactory(role=Role.PROCUREMENT, full_name="Bea Buyer")
    with triggers.muted():
        kestrel = supplier_with_deliveries("Kestrel Textiles", owner=buyer, on_time=6, late=8)
    today = timezone.localdate()
    # What each calendar month should show, from the data itself.
    by_month = {}
    for delivery in Delivery.objects.filter(supplier=kestrel):
        key = periods.period_of("month", delivery.promised_on).key
        late, due = by_month.get(key, (0, 0))
        by_month[key] = (late + (delivery.received_on > delivery.promised_on), due + 1)
    month_key, (late, due) = max(((k, v) for k, v in by_month.items() if v[1] >= 5), key=lambda kv: kv[1][1])
    month = periods.parse(month_key, today=today)

    login(page, manager.email)
    nav(page, "Scorecards")
    click_and_wait(page, "link", "Kestrel Textiles", exact=True)
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard: Kestrel Textiles")
    page.get_by_label("Trend", exact=True).select_option(label="By month (12)")
    page.get_by_label("Period", exact=True).select_option(label=month.label)
    click_and_wait(page, "button", "Show", exact=True)
    expect(page).to_have_url(re.compile(rf"period={month_key}.*trend=month"))
    series = page.locator("#series tbody tr")
    expect(series).to_have_count(12)
    expect(series.first).to_contain_text(periods.period_of("month", today).label)
    row = series.filter(has_text=month.label)
    on_time = due - late
    expect(row).to_contain_text(f"{on_time}/{due}")
    expect(page.get_by_text(f"{on_time}/{due} · target 95")).to_be_visible()

    click_and_wait(page, "link", "late deliveries", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text(month.label)
    expect(page.locator("#deliveries-behind tbody tr")).to_have_count(late)
