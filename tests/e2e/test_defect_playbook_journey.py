"""Issue 18's journey (b), defect variant: the nightly scan raises a defect-rate red flag; a manager takes the
defect playbook's steps from the flag (a corrective action, then a process audit), each made by the quality
app's own services; eight simulated weeks of clean inspections later the nightly pass records on the flag that
the KPI recovered, and the "What worked" page counts both steps."""

import re
from datetime import timedelta

import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from audits.models import Audit, CorrectiveAction
from scorecards.models import RedFlag
from scorecards.playbooks.models import REVIEW_WEEKS, PlaybookAction
from scorecards.tasks import playbook_reviews_task
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.scorecards.builders import inspection

Kind = PlaybookAction.Kind


def test_a_defect_flag_gets_a_corrective_action_and_a_process_audit_and_eight_weeks_later_shows_they_worked(
    page, manager, supplier_a
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    today = timezone.localdate()
    for days in (10, 24):  # 24 defective units in 400 inspected: 6 %, against a target below 1 %
        inspection(supplier_a, today - timedelta(days=days), sample=200, defective=12)

    # The nightly evaluation raises the defect-rate flag; the manager opens it from the red-flag inbox.
    call_command("scan_red_flags")
    flag = RedFlag.objects.get(supplier=supplier_a, rule=RedFlag.Rule.DEFECT_RATE)
    login(page, manager.email)
    page.goto(reverse("scorecards:flag_list"))
    row = page.get_by_role("row").filter(has_text=supplier_a.name).filter(has_text="Defect rate above target")
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile("Defect rate above target")).click()
    expect(page.locator("#playbook")).to_contain_text("Raise a corrective action")

    # Step one: a corrective action, due in a month.
    step = page.locator("form[data-playbook=corrective_action]")
    step.get_by_label("Due on").fill((today + timedelta(days=30)).isoformat())
    step.get_by_label("Internal note").fill("Sorting at the end of line 2.")
    with page.expect_navigation():
        step.get_by_role("button", name="Raise a corrective action").click()
    expect(page.locator(".alert-success")).to_contain_text("Raise a corrective action")
    expect(page.locator("form[data-playbook=corrective_action]")).to_have_count(0)  # taken once
    # Step two: a process audit in two weeks.
    step = page.locator("form[data-playbook=process_audit]")
    step.get_by_label("Planned for").fill((today + timedelta(days=14)).isoformat())
    with page.expect_navigation():
        step.get_by_role("button", name="Plan a process audit").click()
    expect(page.locator(".alert-success")).to_contain_text("Plan a process audit")
    actions = page.locator("#playbook .playbook-action")
    expect(actions).to_have_count(2)
    expect(actions.first).to_contain_text("Recovery checked on")

    # Both were made by the quality app: the corrective action says what the flag saw; the audit is planned.
    capa = CorrectiveAction.objects.get(supplier=supplier_a)
    assert capa.title == "Reduce the defect rate" and flag.observed in capa.problem
    audit = Audit.objects.get(supplier=supplier_a)
    assert (audit.status, audit.planned_on) == (Audit.Status.PLANNED, today + timedelta(days=14))
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.ACKNOWLEDGED  # acting on a flag is handling it

    # Eight weeks of clean inspections, then the nightly pass of the day the review falls due.
    for week in range(1, 8):
        inspection(supplier_a, today + timedelta(weeks=week), sample=200, defective=0)
    with time_machine.travel(timezone.now() + timedelta(weeks=REVIEW_WEEKS, hours=1), tick=False):
        assert playbook_reviews_task() == 2
    assert set(PlaybookAction.objects.values_list("outcome", flat=True)) == {PlaybookAction.Outcome.RECOVERED}

    page.goto(flag.get_absolute_url())
    outcomes = page.locator("#playbook .playbook-outcome")
    expect(outcomes).to_have_count(2)
    expect(outcomes.first).to_have_text("Recovered")
    expect(outcomes.last).to_have_text("Recovered")
    page.goto(reverse("scorecards:portfolio"))
    with page.expect_navigation():
        page.get_by_role("link", name="What worked").click()
    for kind in (Kind.CORRECTIVE_ACTION, Kind.PROCESS_AUDIT):
        row = page.locator(f"#what-worked tr[data-kind={kind}]")
        expect(row).to_contain_text("Defect rate above target")
        expect(row.locator(".recovered")).to_have_text("1")
