"""Notifications as a factory contact clicks them: looking at the list reads nothing; opening one marks that one
read and goes to its page; "Mark all read" clears the rest."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from communications.models import Notification
from tests.e2e.conftest import login


def test_a_factory_contact_opens_one_notification_then_marks_the_rest_read(page, portal_a):
    first = Notification.objects.create(
        user=portal_a, title="New issue from your buyer: Loose threads", url=reverse("portal:issues")
    )
    Notification.objects.create(user=portal_a, title="Reply from your buyer: Late sample")
    login(page, portal_a.email)

    page.goto(reverse("portal:notifications"))
    expect(page.locator("#unread-count")).to_have_text("2")
    expect(page.get_by_role("button", name=re.compile("Loose threads"))).to_be_visible()
    page.reload()
    expect(page.locator("#unread-count")).to_have_text("2")  # reading the list changed nothing

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Loose threads")).click()
    expect(page).to_have_url(re.compile(r"/portal/issues/$"))
    expect(page.locator("#unread-count")).to_have_text("1")
    first.refresh_from_db()
    assert first.read_at is not None

    page.goto(reverse("portal:notifications"))
    with page.expect_navigation():
        page.get_by_role("button", name="Mark all read").click()
    expect(page).to_have_url(re.compile(r"/portal/notifications/$"))
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark all read")).to_have_count(0)
    assert not Notification.objects.filter(user=portal_a, read_at__isnull=True).exists()
