"""Issue 18's journey (b), on-time variant: the buyer opens an on-time delivery red flag, schedules the
production-review check-in from it in one step (its agenda lists the late deliveries behind the figure), the
factory sees the check-in; eight simulated weeks of on-time deliveries later the nightly pass records that the
KPI recovered, and the portfolio's "what worked" page counts it."""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from communications.calendar import next_working_day
from communications.models import CheckIn
from scorecards.models import RedFlag
from scorecards.playbooks.models import REVIEW_WEEKS, PlaybookAction
from scorecards.tasks import playbook_reviews_task
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.scorecards.builders import delivery


def test_an_on_time_flag_gets_a_production_review_and_eight_weeks_later_shows_it_worked(
    page, live_server, buyer, supplier_a
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    today = timezone.localdate()
    for days in (20, 27, 34):  # the late deliveries behind the figure
        promised = today - timedelta(days=days)
        delivery(supplier_a, promised, promised + timedelta(days=5))
    flag = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.ON_TIME_DELIVERY,
        period="2026-W48",
        observed="62.50 % (5/8)",
        target="≥ 95 %",
        recommended_action="Review production schedules with the supplier.",
        owner=buyer,
    )

    login(page, buyer.email)
    page.goto(flag.get_absolute_url())
    review = page.locator("form[data-playbook=production_review]")
    day = next_working_day(supplier_a, today + timedelta(days=3))[0]  # never the factory's day off
    review.get_by_label("Date").fill(day.isoformat())
    review.get_by_label("Time (supplier's timezone)").fill("10:00")
    with page.expect_navigation():
        review.get_by_role("button", name="Schedule a production review").click()
    expect(page.locator(".alert-success")).to_contain_text("Schedule a production review")
    expect(page.locator("#playbook .playbook-action")).to_contain_text("Recovery checked on")
    expect(page.locator("form[data-playbook=production_review]")).to_have_count(0)  # taken once

    checkin = CheckIn.objects.get(supplier=supplier_a)
    assert checkin.agenda.count("promised") == 3
    with page.expect_navigation():
        page.locator("#playbook .playbook-action a").first.click()
    expect(page.get_by_text("Agenda")).to_be_visible()

    # Eight weeks of on-time deliveries, then the nightly pass of the day the review falls due.
    for week in range(1, 7):
        promised = today + timedelta(weeks=week)
        delivery(supplier_a, promised, promised)
    with time_machine.travel(timezone.now() + timedelta(weeks=REVIEW_WEEKS, hours=1), tick=False):
        assert playbook_reviews_task() == 1
    assert PlaybookAction.objects.get().outcome == PlaybookAction.Outcome.RECOVERED

    page.goto(flag.get_absolute_url())
    expect(page.locator("#playbook .playbook-outcome")).to_have_text("Recovered")
    page.goto(reverse("scorecards:portfolio"))
    with page.expect_navigation():
        page.get_by_role("link", name="What worked").click()
    row = page.locator("#what-worked tr[data-kind=production_review]")
    expect(row).to_contain_text("On-time delivery below target")
    expect(row.locator(".recovered")).to_have_text("1")
