"""A buyer invites a factory contact to the portal; the contact follows the link from the email, chooses a
password, switches the portal to Vietnamese with the navbar's language menu and acknowledges an order."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from orders.models import PurchaseOrder
from suppliers.models import PortalInvitation
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.factories import ContactFactory, PurchaseOrderFactory

NEW_PASSWORD = "my-own-portal-password-9"


def test_a_buyer_invites_a_contact_who_joins_and_acknowledges_an_order_in_vietnamese(
    page, browser, live_server, buyer, supplier_a
):
    contact = ContactFactory(supplier=supplier_a, name="Tran Van Minh", email="minh@alpha.test")
    order = PurchaseOrderFactory(supplier=supplier_a, number="PO-INV-001")

    # The buyer invites the contact from the supplier's contacts tab (the language preset is Chinese: CN).
    login(page, buyer.email)
    page.goto(reverse("suppliers:tab", kwargs={"pk": supplier_a.pk, "tab": "contacts"}))
    expect(page.get_by_text("portal: not invited")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Invite to the portal").click()
    expect(page.locator("select[name=language]")).to_have_value("zh-hans")
    page.locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Invitation sent to Tran Van Minh.")).to_be_visible()
    expect(page.get_by_text("portal: invited")).to_be_visible()

    # The contact opens the link from the email, on a phone, in a browser of their own.
    [email] = mail.outbox
    assert email.to == ["minh@alpha.test"]
    link = re.search(r"https?://\S+/portal/welcome/\S+/", email.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    phone = context.new_page()
    try:
        phone.goto(path)
        expect(phone.get_by_role("heading", name="Welcome to the supplier portal")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
        phone.locator("input[name=password1]").fill(NEW_PASSWORD)
        phone.locator("input[name=password2]").fill(NEW_PASSWORD)
        with phone.expect_navigation():
            phone.get_by_role("button", name="Set my password and open the portal").click()
        expect(phone).to_have_url(re.compile(r"/portal/$"))
        expect(phone.get_by_text("Welcome to the supplier portal.")).to_be_visible()

        # Switch to Vietnamese with the navbar's language menu (behind the menu button on a phone).
        # Each click waits for what it opens: a click while Bootstrap's collapse is still sliding open can miss
        # the language button (it moves under the pointer), and the menu then never shows its languages.
        phone.get_by_role("button", name="Menu").click()
        expect(phone.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
        phone.get_by_role("button", name="Language").click()
        expect(phone.get_by_role("button", name="Tiếng Việt")).to_be_visible()
        with phone.expect_navigation():
            phone.get_by_role("button", name="Tiếng Việt").click()
        expect(phone.locator("html")).to_have_attribute("lang", "vi")

        # Acknowledge the order, in Vietnamese.
        phone.goto(reverse("portal:order_detail", kwargs={"pk": order.pk}))
        with phone.expect_navigation():
            phone.get_by_role("button", name="Xác nhận đơn hàng").click()
        expect(phone.locator("html")).to_have_attribute("lang", "vi")

        # The link works once: the page says so (in Vietnamese now), with 410 Gone.
        response = phone.goto(path)
        assert response.status == 410
        expect(phone.get_by_role("heading", name="Liên kết mời này không dùng được")).to_be_visible()
    finally:
        context.close()
    assert not violations, violations

    user = User.objects.get(email="minh@alpha.test")
    assert (user.supplier, user.language, user.is_active) == (supplier_a, "vi", True)
    assert PortalInvitation.objects.get().status == PortalInvitation.Status.ACCEPTED
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.ACKNOWLEDGED

    # The buyer sees the contact as active.
    page.goto(reverse("suppliers:tab", kwargs={"pk": supplier_a.pk, "tab": "contacts"}))
    expect(page.get_by_text("portal: active")).to_be_visible()
    assert contact.name in page.content()
