"""The switching journey as QC clicks it: QC rejects two lots of a SKU out of five (ISO 2859-1), and the next
inspection's page says the lot is inspected under tightened inspection, why (the two lots), and shows the
tightened plan (Table 2-B: same sample of 80, accept ≤ 3 instead of 5)."""

import re
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from audits import services
from audits.models import InspectionSeverity, QCInspection
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import OrderLineFactory, PurchaseOrderFactory, SupplierFactory, UserFactory


def field(page, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def accepted_lot(supplier, qc, order, lot):
    """A lot QC accepted earlier (recorded as the API or another inspector would)."""
    services.inspection_record(
        supplier=supplier,
        by=qc,
        order=order,
        lot_number=lot,
        checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
        inspected_on=timezone.localdate() - timedelta(days=2),
        lot_size=1000,
        aql_major=Decimal("2.5"),
    )


def reject_in_the_browser(page, order, lot, expected_plan):
    """Open the inspection form for the order, check the plan shown, record the lot with 7 major defects."""
    page.goto(f"/quality/inspections/new/?order={order.pk}")
    expect(page.get_by_role("heading", name="Record a QC inspection", level=1)).to_be_visible()
    field(page, "Lot").fill(lot)
    field(page, "Lot size").fill("1000")
    field(page, "Inspection level").select_option("II")  # a change: the plan follows
    plan = page.locator("#sampling-plan")
    expect(plan).to_contain_text(expected_plan)
    field(page, "Major defects").fill("7")
    field(page, "Defective units").fill("7")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Inspection recorded: Rejected.")


def test_two_rejected_lots_make_the_next_inspection_tightened_with_the_reason_shown(page):
    qc = UserFactory(role=Role.QUALITY, full_name="Quinn Quality")
    supplier = SupplierFactory(name="Hanoi Stitchworks", stage=Stage.APPROVED)
    order = PurchaseOrderFactory(supplier=supplier, number="PO-TOTE-0815")
    OrderLineFactory(order=order, sku="TOTE-01")
    accepted_lot(supplier, qc, order, "A1")

    login(page, qc.email)
    # a. QC rejects lot B2: still normal inspection (Table 2-A: accept ≤ 5).
    reject_in_the_browser(page, order, "B2", "Major: sample 80, accept ≤ 5, reject ≥ 6.")
    expect(page.locator("#inspected-under")).to_contain_text("normal inspection · TOTE-01")
    accepted_lot(supplier, qc, order, "C3")
    accepted_lot(supplier, qc, order, "D4")
    # ... the form says normal, with the one rejection counted so far.
    reject_in_the_browser(page, order, "E5", "Major: sample 80, accept ≤ 5, reject ≥ 6.")

    # b. The next inspection of the SKU is tightened, the reason names the two lots, the plan is Table 2-B.
    page.get_by_role("link", name="Inspect the next lot").click()
    expect(page.get_by_role("heading", name="Record a QC inspection", level=1)).to_be_visible()
    plan = page.locator("#sampling-plan")
    expect(plan.locator("#severity-in-force")).to_have_text(
        re.compile(r"Severity: tightened — 2 of the last 5 lots rejected \(lots B2, E5\)")
    )
    field(page, "Lot size").fill("1000")
    field(page, "AQL major").select_option("2.5")
    expect(plan).to_contain_text("Tightened plan (Table 2-B).")
    expect(plan).to_contain_text("Major: sample 80, accept ≤ 3, reject ≥ 4.")
    state = InspectionSeverity.objects.get(supplier=supplier, sku="TOTE-01")
    assert (state.severity, state.lots) == ("tightened", ["B2", "E5"])
