"""Issue 18, point 7 (partnership ledger): the buyer publishes a market insight to two suppliers; a factory contact
reads it on a phone in Chinese and marks it read; the buyer sees the read receipt, and who has not read it yet."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from partnership.models import Announcement, AnnouncementRead
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE


def field(scope, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_a_market_insight_reaches_two_factories_and_the_buyer_sees_who_read_it(
    page, browser, live_server, buyer, supplier_a, supplier_b, portal_a, portal_b
):
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])

    # The buyer writes a market insight for two suppliers; an empty audience is refused first.
    login(page, buyer.email)
    page.goto(reverse("partnership:announcement_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Write an announcement").click()
    field(page, "Kind").select_option("market_insight")
    field(page, "Title").fill("Cotton prices up 8 % this quarter")
    field(page, "Text").fill("Cotton futures rose 8 %. Lock fabric for Q3 orders now.")
    page.get_by_label("Chosen suppliers", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    expect(page.locator("body")).to_contain_text("Choose at least one supplier.")
    assert not Announcement.objects.exists()
    page.locator("select[name=suppliers]").select_option([str(supplier_a.pk), str(supplier_b.pk)])
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    expect(page.locator(".alert-success")).to_contain_text("Published")
    announcement = Announcement.objects.get()
    expect(page.locator("#receipts")).to_contain_text("Not read yet")

    # Supplier A's contact, on a phone and in Chinese, opens it and marks it read.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:announcements"))
        expect(phone.locator("h1")).to_contain_text("公告")
        with phone.expect_navigation():
            phone.get_by_role("link", name=re.compile("Cotton prices up 8 %")).click()
        expect(phone.locator("#announcement-body")).to_contain_text("Lock fabric for Q3 orders now.")
        assert not AnnouncementRead.objects.exists()  # opening records nothing: the button does
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        with phone.expect_navigation():
            phone.get_by_role("button", name="标记为已读").click()
        expect(phone.locator("#read-receipt")).to_be_visible()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()
    assert AnnouncementRead.objects.get().user == portal_a

    # The buyer sees Alpha's receipt, and that Beta has not read it yet.
    page.goto(announcement.get_absolute_url())
    receipts = page.locator("#receipts")
    expect(receipts.get_by_role("row").filter(has_text=supplier_a.name)).to_contain_text("Read 20")
    expect(receipts.get_by_role("row").filter(has_text=supplier_b.name)).to_contain_text("Not read yet")
    expect(page.locator("body")).to_contain_text("1 of 2 suppliers read it")
