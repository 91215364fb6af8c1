"""The quality journey as people click it: QC records a pre-shipment inspection that fails and asks the
factory for a corrective action; the factory answers in the portal with evidence; QC verifies and closes it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from audits.models import CorrectiveAction, CorrectiveActionEvidence, QCInspection
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.factories import (
    PDF_BYTES,
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    SupplierFactory,
    UserFactory,
)

ANSWER = {
    "Owner at the supplier": "Nguyen Thi Lan, QA manager",
    "Containment": "All 1,000 totes re-inspected; 31 held back and re-stitched.",
    "Root cause": "Worn needles on sewing line 3 skipped stitches on the handles.",
    "Corrective action": "Needles on line 3 replaced; handle seams pull-tested on every 50th tote.",
    "Preventive action": "Needle changes every 8 hours, signed on the daily line checklist.",
}


def field(page, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def open_menu(page, menu, item):
    """Open a navbar dropdown and follow one of its links."""
    page.get_by_role("navigation").get_by_role("button", name=menu, exact=True).click()
    page.get_by_role("navigation").get_by_role("link", name=item, exact=True).click()


def click_and_wait(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name, exact=True).click()


@pytest.fixture
def new_page(browser, live_server):
    """Open more pages, each in its own fresh browser context (another person at another computer); like `page`,
    they must report no Content-Security-Policy violation."""
    contexts, violations = [], []

    def make():
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append((context, watch_for_csp_violations(context)))
        return context.new_page()

    yield make
    for context, seen in contexts:
        context.close()
        violations += seen
    assert not violations


def test_failed_inspection_leads_to_a_verified_corrective_action(page, new_page):
    today = timezone.localdate()
    qc = UserFactory(role=Role.QUALITY, full_name="Quinn Quality")
    supplier = SupplierFactory(name="Hanoi Stitchworks", stage=Stage.APPROVED)
    factory_contact = PortalUserFactory(supplier=supplier, full_name="Nguyen Thi Lan")
    order = PurchaseOrderFactory(supplier=supplier, number="PO-TOTE-0815")
    delivery = DeliveryFactory(order=order)

    # a. QC records the pre-shipment inspection of the lot.
    login(page, qc.email)
    open_menu(page, "Quality", "QC inspections")
    expect(page.get_by_role("heading", name="QC inspections", level=1)).to_be_visible()
    page.get_by_role("link", name="Record inspection").click()
    expect(page.get_by_role("heading", name="Record a QC inspection", level=1)).to_be_visible()
    field(page, "Supplier").select_option(label="Hanoi Stitchworks")
    field(page, "Order").select_option(label="PO-TOTE-0815")
    field(page, "Delivery").select_option(label=str(delivery))
    expect(field(page, "Checkpoint")).to_have_value("pre_shipment")
    expect(field(page, "Inspected on")).to_have_value(today.isoformat())
    field(page, "Lot").fill("LOT-TOTE-77")
    field(page, "Lot size").fill("1000")
    field(page, "Inspection level").select_option("II")
    field(page, "AQL major").select_option("2.5")
    field(page, "AQL minor").select_option("4.0")
    plan = page.locator("#sampling-plan")
    expect(plan).to_contain_text("Code letter J.")
    expect(plan).to_contain_text("Major: sample 80, accept ≤ 5, reject ≥ 6.")
    field(page, "Major defects").fill("7")
    field(page, "Defective units").fill("7")
    field(page, "Notes").fill("Handles come loose under a 5 kg pull.")
    click_and_wait(page, "button", "Save")

    inspection = QCInspection.objects.get()
    expect(page).to_have_url(re.compile(rf"/quality/inspections/{inspection.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Inspection recorded: Rejected.")
    expect(page.get_by_role("heading", level=1).get_by_text("Rejected", exact=True)).to_be_visible()
    assert (inspection.supplier, inspection.order, inspection.delivery) == (supplier, order, delivery)
    assert (inspection.code_letter, inspection.sample_size, inspection.result) == ("J", 80, "reject")

    # b. ... and asks the factory for a corrective action.
    page.get_by_role("link", name="Request corrective action").click()
    expect(page.get_by_role("heading", name="Request a corrective action", level=1)).to_be_visible()
    # Pre-filled with the inspection's facts, which the factory may read; QC's notes stay internal.
    problem = field(page, "Problem")
    expect(problem).to_have_value(
        re.compile(r"^Pre-shipment inspection on .*, lot LOT-TOTE-77: 0 critical, 7 major")
    )
    expect(problem).not_to_have_value(re.compile("Handles come loose"))
    field(page, "Title").fill("Loose tote handles on LOT-TOTE-77")
    field(page, "Problem").fill("7 major defects in a sample of 80 (Re 6): handles come loose.")
    field(page, "Due on").fill((today + timedelta(days=10)).isoformat())
    click_and_wait(page, "button", "Send to the supplier")

    action = CorrectiveAction.objects.get()
    expect(page).to_have_url(re.compile(rf"/quality/corrective-actions/{action.pk}/$"))
    expect(page.get_by_role("alert")).to_contain_text("Corrective action requested from the supplier.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open — waiting for the supplier")
    assert (action.supplier, action.inspection, action.raised_by) == (supplier, inspection, qc)

    # c. The factory contact answers in the portal and attaches evidence.
    portal = new_page()
    login(portal, factory_contact.email)
    expect(portal).to_have_url(re.compile(r"/portal/$"))
    open_menu(portal, "Quality", "Corrective actions")
    expect(portal.get_by_role("heading", name="Corrective actions", level=1)).to_be_visible()
    row = portal.get_by_role("row").filter(has_text="Loose tote handles on LOT-TOTE-77")
    expect(row).to_contain_text("Open — waiting for the supplier")
    row.get_by_role("link", name="Loose tote handles on LOT-TOTE-77").click()
    expect(portal.get_by_role("heading", level=1)).to_contain_text("Loose tote handles on LOT-TOTE-77")
    expect(
        portal.get_by_text("7 major defects in a sample of 80 (Re 6): handles come loose.")
    ).to_be_visible()
    for label, text in ANSWER.items():
        field(portal, label).fill(text)
    click_and_wait(portal, "button", "Submit for verification")
    expect(portal.get_by_role("alert").filter(has_text="Your answer was sent")).to_be_visible()
    expect(portal.get_by_text("Submitted. Our QC team will verify it.")).to_be_visible()
    expect(portal.get_by_role("heading", level=1)).to_contain_text("Submitted — waiting for QC")

    field(portal, "Evidence file").set_input_files(
        files=[{"name": "needle-log.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    field(portal, "What it shows").fill("Needle change log, line 3")
    # Attached in place (htmx): the page does not reload.
    portal.get_by_role("button", name="Attach", exact=True).click()
    expect(portal.get_by_role("status").filter(has_text="Evidence attached.")).to_be_visible()
    expect(portal.get_by_role("link", name="Needle change log, line 3")).to_be_visible()
    evidence = CorrectiveActionEvidence.objects.get()
    assert (evidence.action, evidence.uploaded_by) == (action, factory_contact)

    # d. QC signs in again, reads the answer and the evidence, and closes the action.
    qc_again = new_page()
    login(qc_again, qc.email)
    open_menu(qc_again, "Quality", "Corrective actions")
    row = qc_again.get_by_role("row").filter(has_text="Loose tote handles on LOT-TOTE-77")
    expect(row).to_contain_text("Hanoi Stitchworks")
    expect(row).to_contain_text("Submitted — waiting for QC")
    row.get_by_role("link", name="Loose tote handles on LOT-TOTE-77").click()
    expect(qc_again).to_have_url(re.compile(rf"/quality/corrective-actions/{action.pk}/$"))
    for text in ANSWER.values():
        expect(qc_again.get_by_text(text)).to_be_visible()
    evidence_link = qc_again.get_by_role("link", name="Needle change log, line 3")
    expect(evidence_link).to_have_attribute("href", evidence.file.url)
    click_and_wait(qc_again, "button", "Verify and close")
    expect(qc_again.get_by_role("alert")).to_contain_text("Corrective action verified and closed.")
    expect(qc_again.get_by_role("heading", level=1).get_by_text("Verified", exact=True)).to_be_visible()
    expect(qc_again.get_by_role("button", name="Verify and close")).to_have_count(0)

    action.refresh_from_db()
    assert (action.status, action.verified_by, action.submitted_by) == ("verified", qc, factory_contact)
    assert action.root_cause == ANSWER["Root cause"]

    # The factory sees it closed.
    portal.reload()
    expect(portal.get_by_text("Verified and closed. Thank you.")).to_be_visible()
