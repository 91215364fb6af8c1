"""The vetting journey as people click it: a buyer adds a prospect, gathers the evidence and moves it to
vetting; a factory contact sees only its own company in the portal."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from suppliers.models import Certification, ClientReference, Stage, StageChange, Supplier
from tests.e2e.conftest import login
from tests.factories import PDF_BYTES, CertificationFactory, ContactFactory


def field(page, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def save(page):
    """Submit the form with its "Save" button and wait for the answer."""
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()


def open_tab(page, name):
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator(".nav-tabs .nav-link.active")).to_have_text(name)


def test_buyer_vets_a_new_supplier(page, buyer, tmp_path):
    today = timezone.localdate()
    login(page, buyer.email)

    # a. The dashboard, then a new prospect.
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    page.get_by_role("link", name="New supplier").click()
    expect(page.get_by_role("heading", name="New supplier", level=1)).to_be_visible()
    field(page, "Name").fill("Hanoi Stitchworks")
    field(page, "City").fill("Hanoi")
    field(page, "Country").select_option("VN")
    field(page, "Timezone").select_option("Asia/Ho_Chi_Minh")
    field(page, "Segment").select_option(label="Leverage")
    expect(field(page, "Owner (buyer)")).to_have_value("")  # left empty: the buyer becomes the owner
    save(page)

    supplier = Supplier.objects.get(name="Hanoi Stitchworks")
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/$"))
    header = page.get_by_role("heading", level=1)
    expect(header).to_contain_text("Hanoi Stitchworks")
    expect(header.get_by_text("Prospect", exact=True)).to_be_visible()
    expect(page.get_by_text("Hanoi, Vietnam")).to_be_visible()
    assert (supplier.country.code, supplier.timezone, supplier.segment, supplier.owner) == (
        "VN",
        "Asia/Ho_Chi_Minh",
        "leverage",
        buyer,
    )

    # b. A contact: the gate for vetting.
    open_tab(page, "Contacts")
    expect(page.get_by_text("No contacts yet.")).to_be_visible()
    page.get_by_role("link", name="Add a contact").click()
    field(page, "Name").fill("Nguyen Thi Lan")
    field(page, "Job title").fill("Export sales manager")
    field(page, "Role").select_option(label="Sales / account manager")
    field(page, "Email").fill("lan@stitchworks.test")
    field(page, "Primary contact").check()
    save(page)
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/contacts/$"))
    contact_row = page.get_by_role("row").filter(has_text="Nguyen Thi Lan")
    expect(contact_row).to_contain_text("lan@stitchworks.test")
    expect(contact_row).to_contain_text("primary")

    # c. A verified ISO 9001 certificate with its PDF.
    open_tab(page, "Certifications")
    page.get_by_role("link", name="Add a certification").click()
    expect(page.get_by_role("heading", name="Add a certification")).to_be_visible()
    field(page, "Standard").select_option(label="ISO 9001")
    field(page, "Certificate number").fill("VN-QMS-2024-0815")
    field(page, "Issued by").fill("Bureau Veritas")
    field(page, "Valid from").fill((today - timedelta(days=60)).isoformat())
    field(page, "Valid until").fill((today + timedelta(days=700)).isoformat())
    pdf = tmp_path / "iso9001.pdf"
    pdf.write_bytes(PDF_BYTES)
    field(page, "Certificate document").set_input_files(pdf)
    verified = field(page, "I checked the original document: mark as verified")
    expect(verified).to_be_checked()
    save(page)
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/certifications/$"))
    cert_row = page.get_by_role("row").filter(has_text="VN-QMS-2024-0815")
    expect(cert_row).to_contain_text("ISO 9001")
    expect(cert_row).to_contain_text("Bureau Veritas")
    expect(cert_row.get_by_role("cell").nth(3)).to_contain_text("Verified")
    expect(cert_row.get_by_role("link", name="Download")).to_be_visible()
    cert = Certification.objects.get(supplier=supplier)
    assert cert.status == Certification.Status.VERIFIED and cert.verified_by == buyer
    assert cert.document.name.endswith(".pdf")

    # d. A client reference, checked with a positive outcome.
    open_tab(page, "References")
    page.get_by_role("link", name="Add a client reference").click()
    field(page, "Company").fill("Nordic Outdoor AB")
    field(page, "Contact").fill("Erik Svensson")
    field(page, "Checked on").fill((today - timedelta(days=3)).isoformat())
    field(page, "Outcome").select_option(label="Positive")
    save(page)
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/references/$"))
    ref_row = page.get_by_role("row").filter(has_text="Nordic Outdoor AB")
    expect(ref_row).to_contain_text("Positive")
    expect(ref_row).to_contain_text((today - timedelta(days=3)).isoformat())
    assert ClientReference.objects.get(supplier=supplier).checked_by == buyer

    # e. Prospect -> vetting.
    page.get_by_role("link", name="Change stage").click()
    expect(page.get_by_role("heading", name="Change stage", level=1)).to_be_visible()
    new_stage = field(page, "New stage")
    # What a buyer may make of a prospect (offboarding needs a manager, so it is not offered).
    expect(new_stage.locator("option")).to_have_text(["---------", "Vetting"])
    new_stage.select_option(label="Vetting")
    field(page, "Why").fill("Certificate and a positive reference in hand; start the factory audit.")
    with page.expect_navigation():
        page.get_by_role("button", name="Change stage").click()
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Hanoi Stitchworks is now Vetting.")
    expect(page.get_by_role("heading", level=1).get_by_text("Vetting", exact=True)).to_be_visible()

    open_tab(page, "Stage history")
    move = page.get_by_role("row").filter(has_text="start the factory audit")
    expect(move).to_have_count(1)
    expect(move).to_contain_text(re.compile(r"Prospect\s*→\s*Vetting"))
    expect(move).to_contain_text(buyer.full_name)
    expect(move).to_contain_text("At least one active contact")

    # f. Vetting -> pilot is allowed, but pilot needs a capacity assessment, which nobody recorded.
    page.get_by_role("link", name="Change stage").click()
    field(page, "New stage").select_option(label="Pilot")
    field(page, "Why").fill("Place a trial order.")
    with page.expect_navigation():
        page.get_by_role("button", name="Change stage").click()
    expect(page).to_have_url(re.compile(rf"/suppliers/{supplier.pk}/stage/$"))
    missing = page.get_by_text("Missing for Pilot: A capacity and financial assessment")
    expect(missing).to_be_visible()
    expect(page.get_by_text("Missing for Pilot: A client reference")).to_have_count(0)  # that gate passes
    expect(field(page, "New stage")).to_have_value("pilot")  # the form keeps what the user chose
    expect(page.get_by_text(re.compile(r"^Now:")).get_by_text("Vetting", exact=True)).to_be_visible()

    supplier.refresh_from_db()
    assert supplier.stage == Stage.VETTING
    assert list(StageChange.objects.filter(supplier=supplier).values_list("from_stage", "to_stage")) == [
        (Stage.PROSPECT, Stage.VETTING)
    ]
    page.get_by_role("link", name="Hanoi Stitchworks").click()  # the breadcrumb
    expect(page.get_by_role("heading", level=1).get_by_text("Vetting", exact=True)).to_be_visible()


def test_factory_contact_sees_only_its_own_company(page, portal_a, supplier_a, supplier_b):
    ContactFactory(supplier=supplier_a, name="Ada Alpha-Sales", email="ada@alpha.test", is_primary=True)
    ContactFactory(supplier=supplier_b, name="Bo Beta-Secret", email="bo@beta.test")
    CertificationFactory(supplier=supplier_a, number="ALPHA-CERT-0001")
    b_cert = CertificationFactory(supplier=supplier_b, number="BETA-SECRET-4242")

    login(page, portal_a.email)
    expect(page).to_have_url(re.compile(r"/portal/$"))
    expect(page.get_by_role("heading", name="Alpha Factory", level=1)).to_be_visible()
    expect(page.get_by_text("Ada Alpha-Sales")).to_be_visible()
    expect(page.get_by_text("Bo Beta-Secret")).to_have_count(0)
    expect(page.get_by_text("Beta Works")).to_have_count(0)

    page.get_by_role("navigation").get_by_role("link", name="Contacts", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal/contacts/$"))
    expect(page.get_by_role("row").filter(has_text="Ada Alpha-Sales")).to_contain_text("ada@alpha.test")
    expect(page.get_by_text("Bo Beta-Secret")).to_have_count(0)
    expect(page.get_by_text("bo@beta.test")).to_have_count(0)

    page.get_by_role("navigation").get_by_role("link", name="Certificates", exact=True).click()
    expect(page).to_have_url(re.compile(r"/portal/certifications/$"))
    expect(page.get_by_role("row").filter(has_text="ALPHA-CERT-0001")).to_contain_text("Verified")
    expect(page.get_by_text("BETA-SECRET-4242")).to_have_count(0)

    # Staff pages, and the other supplier's things, answer 404 as if they did not exist.
    for url in (
        f"/suppliers/{supplier_b.pk}/",
        "/suppliers/",
        f"/suppliers/{supplier_a.pk}/",
        f"/portal/certifications/{b_cert.pk}/document/",
    ):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_text("Beta Works")).to_have_count(0)

    # The portal still works after the refusals.
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="Alpha Factory", level=1)).to_be_visible()
