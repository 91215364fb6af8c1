"""Risk-based re-verification: a manager sets a policy for high-risk suppliers (an on-site audit every 12 months);
a high-risk supplier last audited 13 months ago shows "Lapsed — renew now" on its Re-verification card and a
"Verification due" flag in the red-flag inbox; quality record a passed audit and the flag resolves by itself."""

import re
from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit
from scorecards.models import RedFlag
from suppliers.models import RiskTier, Stage
from tests.e2e.conftest import login
from tests.e2e.steps import audit_record_performed, field
from tests.factories import AuditFactory


def test_a_lapsed_audit_of_a_high_risk_supplier_is_flagged_and_a_passed_audit_resolves_it(
    page, manager, quality, supplier_a
):
    supplier_a.stage, supplier_a.risk_tier = Stage.APPROVED, RiskTier.HIGH
    supplier_a.save(update_fields=["stage", "risk_tier"])
    today = timezone.localdate()
    last = today - timedelta(days=400)  # 13 months ago
    AuditFactory(
        supplier=supplier_a, status=Audit.Status.PERFORMED, planned_on=last, performed_on=last, result="pass"
    )
    audit = AuditFactory(
        supplier=supplier_a, audit_type=Audit.Type.PERIODIC, planned_on=today, lead_auditor=quality
    )

    # The manager adds the policy: high-risk suppliers, an on-site audit every 12 months.
    login(page, manager.email)
    page.goto(reverse("audits:policy_list"))
    expect(page.locator("#policies")).to_contain_text("No verification policy yet")
    with page.expect_navigation():
        page.get_by_role("link", name="Add a policy").click()
    field(page, "Risk tier").select_option(RiskTier.HIGH)
    field(page, "On-site audit every (months)").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Verification policy saved.")
    expect(page.locator("#policies")).to_contain_text("every 12 months")

    # The supplier's Re-verification card: the audit lapsed a month ago.
    page.goto(reverse("suppliers:detail", args=[supplier_a.pk]))
    card = page.locator("#verification")
    audit_row = card.get_by_role("row").filter(has_text="On-site audit")
    expect(audit_row).to_contain_text(last.isoformat())
    expect(audit_row).to_contain_text("Lapsed — renew now")

    # The nightly evaluation puts "Verification due" in the red-flag inbox.
    call_command("scan_red_flags")
    flag = RedFlag.objects.get(supplier=supplier_a, rule=RedFlag.Rule.VERIFICATION_DUE)
    assert (flag.severity, flag.state) == (RedFlag.Severity.HIGH, RedFlag.State.OPEN)
    page.goto(reverse("scorecards:flag_list"))
    row = page.get_by_role("row").filter(has_text=supplier_a.name).filter(has_text="Verification due")
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile("Verification due")).click()
    expect(page.get_by_text("Renew the evidence before it lapses")).to_be_visible()

    # Quality record the audit as performed (passed); the flag resolves by itself on that write.
    audit_record_performed(
        page, audit, by=quality, day=today, summary="All lines running; documents in order."
    )
    audit.refresh_from_db()
    assert (audit.status, audit.result) == (Audit.Status.PERFORMED, Audit.Result.PASS)
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED and flag.note.startswith("Resolved by itself")
    page.goto(flag.get_absolute_url())
    expect(page.locator("body")).to_contain_text("Resolved by itself: the evidence was renewed")
    page.goto(reverse("suppliers:detail", args=[supplier_a.pk]))
    audit_row = page.locator("#verification").get_by_role("row").filter(has_text="On-site audit")
    expect(audit_row).to_contain_text("Up to date")
