"""Journey (c): a buyer invites a new factory to register; the factory fills the form from the email's link on a
phone, in Vietnamese, saves a draft, adds a site, a capacity line and a certificate, submits; the buyer reviews
it and accepts it as a prospect."""

import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from suppliers.models import BankAccount, Certification, Registration, Stage, Supplier
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.factories import PDF_BYTES, ProductCategoryFactory

PDF = {"name": "licence.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def test_a_new_factory_registers_from_an_invitation_and_a_buyer_accepts_it_as_a_prospect(
    page, browser, live_server, buyer
):
    ProductCategoryFactory(name="Apparel")

    # The buyer invites the factory from the registrations page, in Vietnamese.
    login(page, buyer.email)
    page.goto(reverse("suppliers:registration_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="Invite a factory to register").click()
    page.locator("input[name=company_name]").fill("Hanoi Stitch")
    page.locator("input[name=email]").fill("owner@hanoistitch.test")
    page.locator("select[name=language]").select_option("vi")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Registration invitation sent.")).to_be_visible()

    # The factory opens the link from the email on a phone, in a browser of its own.
    [email] = mail.outbox
    assert email.to == ["owner@hanoistitch.test"]
    link = re.search(r"https?://\S+/portal/register/\S+/", email.body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    context = browser.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 390, "height": 844},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    phone = context.new_page()
    try:
        phone.goto(path)
        expect(phone.locator("html")).to_have_attribute("lang", "vi")
        expect(phone.get_by_role("heading", name="Đăng ký Hanoi Stitch làm nhà cung cấp")).to_be_visible()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

        # Company, contact, capability and bank details; saved as a draft first.
        phone.locator("input[name=legal_name]").fill("Hanoi Stitch Garment JSC")
        phone.locator("input[name=registration_number]").fill("0101234567")
        phone.locator("input[name=business_licence]").set_input_files(PDF)
        phone.locator("select[name=country]").select_option("VN")
        phone.locator("textarea[name=address]").fill("12 Tran Phu, Ha Dong, Hanoi")
        phone.locator("input[name=contact_name]").fill("Nguyen Van An")
        phone.locator("input[name=moq]").fill("500")
        phone.locator("input[name=bank_account_holder]").fill("Hanoi Stitch Garment JSC")
        phone.locator("input[name=bank_name]").fill("Vietcombank")
        phone.locator("input[name=bank_account_number]").fill("0011004567891234")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Lưu bản nháp").click()
        expect(phone.get_by_text("Đã lưu. Dùng cùng đường link để tiếp tục sau.")).to_be_visible()
        expect(phone.get_by_text("•••• 1234")).to_be_visible()
        assert "0011004567891234" not in phone.content()

        # A site and a capacity line.
        phone.locator("select[name=site-kind]").select_option("own_factory")
        phone.locator("input[name=site-name]").fill("Ha Dong factory")
        phone.locator("textarea[name=site-address]").fill("12 Tran Phu")
        with phone.expect_navigation():
            phone.locator("#sites").get_by_role("button", name="Thêm").click()
        phone.locator("select[name=capacity-category]").select_option(label="Apparel")
        phone.locator("input[name=capacity-monthly_capacity]").fill("80000")
        with phone.expect_navigation():
            phone.locator("#capacitys").get_by_role("button", name="Thêm").click()
        expect(phone.get_by_text("Ha Dong factory (Nhà máy riêng)")).to_be_visible()

        # A certificate with its document.
        phone.locator("select[name=certificate-standard]").select_option("bsci")
        phone.locator("input[name=certificate-valid_from]").fill("2026-01-01")
        phone.locator("input[name=certificate-valid_until]").fill("2027-12-31")
        phone.locator("input[name=certificate-document]").set_input_files({**PDF, "name": "bsci.pdf"})
        with phone.expect_navigation():
            phone.locator("#certificates").get_by_role("button", name="Thêm").click()

        with phone.expect_navigation():
            phone.get_by_role("button", name="Gửi đăng ký").click()
        expect(phone.get_by_role("heading", name="Đã gửi đăng ký")).to_be_visible()
    finally:
        context.close()
    assert not violations, violations
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.SUBMITTED

    # The buyer reviews it and accepts it as a prospect.
    page.goto(reverse("suppliers:registration_list") + "?status=submitted")
    with page.expect_navigation():
        page.get_by_role("link", name="Hanoi Stitch").click()
    expect(page.get_by_text("Hanoi Stitch Garment JSC").first).to_be_visible()
    expect(page.get_by_text("•••• 1234")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Accept as prospect").click()
    expect(page.get_by_text("Accepted as a prospect")).to_be_visible()

    supplier = Supplier.objects.get(name="Hanoi Stitch")
    assert supplier.stage == Stage.PROSPECT
    assert Certification.objects.get(supplier=supplier).status == Certification.Status.PENDING
    assert BankAccount.objects.get(supplier=supplier).account_masked == "•••• 1234"
    assert mail.outbox[-1].to == ["owner@hanoistitch.test"]  # the portal invitation, to choose a password
