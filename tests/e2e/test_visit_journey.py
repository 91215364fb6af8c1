"""Issue 18's visit reports, point 2: a manager sets a yearly visit cadence; the nightly scan raises "Site visit
due"; the quality person performs the on-site audit, records the people met and a shared note; the factory, on a
phone, sees the note and adds an idea; the flag has resolved by itself."""

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit, VisitNote
from communications.models import Notification
from scorecards.models import RedFlag
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE
from tests.e2e.steps import audit_record_performed, field
from tests.factories import AuditFactory


def test_a_yearly_visit_falls_due_is_performed_and_the_factory_adds_an_idea(
    page, browser, live_server, manager, quality, supplier_a, portal_a
):
    supplier_a.stage = Stage.STRATEGIC
    supplier_a.save(update_fields=["stage"])
    today = timezone.localdate()
    AuditFactory(  # the last site visit, 13 months ago
        supplier=supplier_a,
        status=Audit.Status.PERFORMED,
        planned_on=today - timedelta(days=400),
        performed_on=today - timedelta(days=400),
        result="pass",
    )
    audit = AuditFactory(
        supplier=supplier_a, audit_type=Audit.Type.PERIODIC, planned_on=today, lead_auditor=quality
    )

    # The manager sets a yearly cadence from the supplier's page; a bad value is refused with a clear message.
    login(page, manager.email)
    page.goto(reverse("suppliers:detail", args=[supplier_a.pk]))
    with page.expect_navigation():
        page.get_by_role("link", name="Visit cadence").click()
    field(page, "Visit every (months)").fill("72")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator("#visit-cadence-form")).to_contain_text("1 to 60")
    field(page, "Visit every (months)").fill("12")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Visit cadence saved.")
    expect(page.locator("#visit-status")).to_contain_text("12 months")

    # The nightly evaluation: "Site visit due", with what to do about it.
    call_command("scan_red_flags")
    flag = RedFlag.objects.get(supplier=supplier_a, rule=RedFlag.Rule.VISIT_DUE)
    page.goto(reverse("scorecards:flag_list"))
    row = page.get_by_role("row").filter(has_text=supplier_a.name).filter(has_text="Site visit due")
    with page.expect_navigation():
        row.get_by_role("link", name="Site visit due").click()
    expect(
        page.get_by_text("Plan a site visit: compare actual production with what was claimed.")
    ).to_be_visible()
    page.goto(reverse("audits:audit_list"))
    expect(page.locator("#visits-due")).to_contain_text(supplier_a.name)

    # The quality person performs the on-site audit, with the people met and a shared note.
    audit_record_performed(page, audit, by=quality, day=today, summary="Lines 1–3 running; line 4 idle.")
    people = page.locator(f"form[action='{reverse('audits:visit_person_add', args=[audit.pk])}']")
    field(people, "Role").select_option("supervisor")
    field(people, "Name").fill("Ms Lin")
    with page.expect_navigation():
        people.get_by_role("button", name="Add").click()
    notes = page.locator(f"form[action='{reverse('audits:visit_note_add', args=[audit.pk])}']")
    field(notes, "Kind").select_option("challenge")
    field(notes, "Text").fill("Dye lots vary between shifts.")
    with page.expect_navigation():
        notes.get_by_role("button", name="Add").click()
    expect(page.locator("#visit-report")).to_contain_text("Ms Lin")
    expect(page.locator("#visit-report")).to_contain_text("Dye lots vary between shifts.")

    # The factory, on a phone, sees the shared note and adds an idea.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:audit_detail", args=[audit.pk]))
        report = phone.locator("#visit-report")
        expect(report).to_contain_text("Dye lots vary between shifts.")
        expect(report).to_contain_text("Supervisor")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        field(report, "Kind").select_option("idea")
        field(report, "Text").fill("Batch dyeing per shift, with a shade card.")
        with phone.expect_navigation():
            report.get_by_role("button", name="Add").click()
        expect(phone.locator(".alert-success")).to_contain_text("Added to the visit report.")
        expect(phone.locator("#visit-report")).to_contain_text("Batch dyeing per shift")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()
    assert VisitNote.objects.get(kind="idea").added_by == portal_a

    # The audit's lead auditor heard of the idea; the flag resolved by itself once the visit was recorded.
    assert Notification.objects.filter(user=quality, message_key="visit_note_added_by_factory").exists()
    call_command("scan_red_flags")
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED
    page.goto(flag.get_absolute_url())
    expect(page.locator("body")).to_contain_text("Resolved")
