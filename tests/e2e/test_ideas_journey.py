"""Issue 18, point 7 (partnership ledger): the factory proposes an improvement idea on a phone; the buyer accepts it
and records it implemented with a realised saving; the supplier's scorecard, the buyer's and the factory's, shows
the credit."""

import re

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from communications.models import Notification
from partnership.models import ImprovementIdea
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE


def field(scope, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_the_factory_proposes_an_idea_the_buyer_implements_it_and_the_scorecard_credits_it(
    page, browser, live_server, buyer, supplier_a, portal_a
):
    today = timezone.localdate()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        # The factory, on a phone, proposes an idea; a negative saving is refused first.
        login(phone, portal_a.email)
        phone.goto(reverse("portal:partnership_ideas"))
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        with phone.expect_navigation():
            phone.get_by_role("link", name="Propose an idea").click()
        field(phone, "Kind of improvement").select_option("cost_saving")
        field(phone, "Title").fill("Three-fold packing")
        field(phone, "Description").fill("60 tees per carton instead of 48.")
        field(phone, "Estimated saving per year (optional)").fill("-5")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send to the buyer").click()
        expect(phone.locator("#idea-form")).to_contain_text("greater than or equal to 0")
        assert not ImprovementIdea.objects.exists()
        field(phone, "Estimated saving per year (optional)").fill("18000")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send to the buyer").click()
        expect(phone.locator(".alert-success")).to_contain_text("your idea was sent to the buyer")
        expect(phone.locator("#idea-status")).to_have_text("Proposed")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()
    idea = ImprovementIdea.objects.get()
    assert Notification.objects.filter(user=buyer, message_key="idea_proposed_by_factory").exists()

    # The buyer finds it in the list, accepts it and records it implemented with the realised saving.
    login(page, buyer.email)
    page.goto(reverse("partnership:idea_list"))
    page.locator("#status").select_option("proposed")
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Three-fold packing").click()
    field(page, "Move to").select_option("accepted")
    with page.expect_navigation():
        page.get_by_role("button", name="Move").click()
    expect(page.locator("#idea-status")).to_have_text("Accepted")
    implement = page.locator("#implement-form")
    field(implement, "Implemented on").fill(today.isoformat())
    field(implement, "Realised saving").fill("3650.50")
    with page.expect_navigation():
        implement.get_by_role("button", name="Record as implemented").click()
    expect(page.locator("#idea-status")).to_have_text("Implemented")
    expect(page.locator("#realised-saving")).to_contain_text("3,650.50 USD")
    idea.refresh_from_db()
    assert idea.status == ImprovementIdea.Status.IMPLEMENTED
    assert Notification.objects.filter(user=portal_a, message_key="idea_implemented").exists()

    # The scorecard credits the factory: on the buyer's page and in the factory's portal.
    page.goto(reverse("scorecards:supplier", args=[supplier_a.pk]))
    credit = page.locator("#ideas-credit")
    expect(credit).to_contain_text("1 implemented")
    expect(credit).to_contain_text("realised saving 3,650.50 USD (estimated 18,000 USD)")
    page.context.clear_cookies()
    login(page, portal_a.email)
    page.goto(reverse("portal:scorecard"))
    expect(page.locator("#ideas-credit")).to_contain_text("3,650.50 USD")
