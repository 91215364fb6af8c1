"""Staff quality pages: recording an inspection with its live sampling plan, list pages with pinned query
counts, completing an audit from its checklist, the hold and verify forms, and the audit report PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audits import selectors, services
from audits.models import (
    Audit,
    AuditAnswer,
    BatchTest,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    CorrectiveAction,
    Finding,
    HoldProposal,
    QCInspection,
)
from suppliers.models import Stage, StageChange
from tests.factories import (
    PDF_BYTES,
    AuditFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ANSWER = {
    "supplier_owner": "Li Wei",
    "containment": "Sorted the lot.",
    "root_cause": "Worn needle.",
    "corrective_action": "Needles replaced.",
    "preventive_action": "Needle change on the checklist.",
}
SCRIPT = "<script>alert('owned')</script>"


def today():
    return timezone.localdate()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def quality_client(client, quality):
    client.force_login(quality)
    return client


@pytest.fixture
def checklist():
    template = ChecklistTemplate.objects.create(name="Factory audit v1")
    system = ChecklistSection.objects.create(template=template, title="Quality system", position=1)
    floor = ChecklistSection.objects.create(template=template, title="Production floor", position=2)
    return {
        "template": template,
        "gauges": ChecklistQuestion.objects.create(section=system, text="Gauges calibrated", weight=3),
        "sops": ChecklistQuestion.objects.create(section=system, text="SOPs signed", weight=1),
        "lighting": ChecklistQuestion.objects.create(section=floor, text="Lighting at benches", weight=2),
    }


# --- Recording an inspection ----------------------------------------------------------------------------------


@pytest.fixture
def order_a(supplier_a):
    return PurchaseOrderFactory(supplier=supplier_a)


def inspection_post(supplier, order, delivery=None, **overrides):
    data = {
        "supplier": supplier.pk,
        "order": order.pk,
        "delivery": delivery.pk if delivery else "",
        "checkpoint": "pre_shipment",
        "inspected_on": (today() - timedelta(days=1)).isoformat(),
        "lot_number": "LOT-42",
        "lot_size": "1000",
        "level": "II",
        "aql_major": "2.5",
        "aql_minor": "4.0",
        "critical_defects": "0",
        "major_defects": "7",
        "minor_defects": "2",
        "defective_units": "8",
        "result": "",
        "override_reason": "",
        "notes": "Loose seams on the handles.",
        "shared_with_supplier": "on",
    }
    data.update(overrides)
    return data


def test_inspection_form_offers_the_iso_2859_choices(quality_client):
    response = quality_client.get(reverse("audits:inspection_create"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="lot_size"' in body and 'hx-get="/quality/sampling-plan/"' in body
    assert '<option value="2.5" selected>' in body and '<option value="4.0" selected>' in body
    assert '<option value="II" selected>' in body


def test_valid_inspection_post_records_it_and_redirects_to_it(quality_client, quality, supplier_a, order_a):
    delivery = DeliveryFactory(order=order_a)
    response = quality_client.post(
        reverse("audits:inspection_create"), inspection_post(supplier_a, order_a, delivery)
    )
    inspection = QCInspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    assert (inspection.supplier, inspection.order, inspection.delivery, inspection.inspector) == (
        supplier_a,
        order_a,
        delivery,
        quality,
    )
    assert (inspection.code_letter, inspection.sample_size, inspection.major_reject) == ("J", 80, 6)
    assert inspection.result == inspection.computed_result == QCInspection.Result.REJECT
    assert "Inspection recorded: Rejected." in messages_of(response)
    page = quality_client.get(response.url).content.decode()
    assert "Rejected" in page and "Request corrective action" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"defective_units": "10"}, "defective_units", "More defective units than defects counted."),
        (
            {"result": "accept"},
            "override_reason",
            "The sampling plan says Rejected; say why you override it.",
        ),
        ({"lot_size": "1"}, "lot_size", "Ensure this value is greater than or equal to 2."),
        ({"inspected_on": ""}, "inspected_on", "This field is required."),
    ],
)
def test_invalid_inspection_post_shows_the_error_and_writes_nothing(
    quality_client, supplier_a, order_a, overrides, field, message
):
    response = quality_client.post(
        reverse("audits:inspection_create"), inspection_post(supplier_a, order_a, **overrides)
    )
    assert response.status_code == 400
    assert message in response.context["form"].errors[field]
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not QCInspection.objects.exists()


def test_inspection_of_another_suppliers_order_is_refused_on_the_form(quality_client, supplier_a, supplier_b):
    response = quality_client.post(
        reverse("audits:inspection_create"),
        inspection_post(supplier_a, PurchaseOrderFactory(supplier=supplier_b)),
    )
    assert response.status_code == 400
    # The form offers only the chosen supplier's orders, so another supplier's order is not a valid choice.
    assert "Select a valid choice" in response.context["form"].errors["order"][0]
    assert not QCInspection.objects.exists()


def test_buyer_cannot_open_the_inspection_form(buyer_client):
    assert buyer_client.get(reverse("audits:inspection_create")).status_code == 403


def test_sampling_plan_fragment_shows_the_plan_for_lot_1000_level_ii(quality_client):
    response = quality_client.get(
        reverse("audits:sampling_plan"),
        {"lot_size": "1000", "level": "II", "aql_major": "2.5", "aql_minor": "4.0"},
        HTTP_HX_REQUEST="true",
    )
    body = " ".join(response.content.decode().split())
    assert response.status_code == 200 and "<html" not in body
    assert "Code letter J." in body
    assert "Major: sample 80, accept ≤ 5, reject ≥ 6." in body
    assert "Minor: sample 80, accept ≤ 7, reject ≥ 8." in body
    assert "Inspect the whole lot." not in body


def test_sampling_plan_fragment_asks_for_the_whole_of_a_tiny_lot(quality_client):
    response = quality_client.get(
        reverse("audits:sampling_plan"),
        {"lot_size": "3", "level": "II", "aql_major": "2.5", "aql_minor": "4.0"},
    )
    assert "Inspect the whole lot." in response.content.decode()


def test_sampling_plan_fragment_explains_a_bad_lot_size_and_is_empty_without_one(quality_client):
    url = reverse("audits:sampling_plan")
    assert "Lot size must be at least 2" in quality_client.get(url, {"lot_size": "1"}).content.decode()
    assert quality_client.get(url).content.decode().strip() == ""


# --- List pages: constant query counts ------------------------------------------------------------------------


def assert_constant_queries(client, url, add_rows, django_assert_max_num_queries):
    """Load `url` with 2 rows, then with 22: the second load may not cost more queries than the first."""
    add_rows(2)
    with django_assert_max_num_queries(25) as few:
        assert client.get(url).status_code == 200
    add_rows(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    return response


def add_inspections(n):
    for _ in range(n):
        order = PurchaseOrderFactory()
        QCInspectionFactory(supplier=order.supplier, order=order, delivery=DeliveryFactory(order=order))


def add_audits(n):
    for i in range(n):
        audit = AuditFactory(passed=True, third_party=True, firm="SGS")
        for severity in ("critical", "major", "minor"):
            Finding.objects.create(audit=audit, supplier=audit.supplier, severity=severity, description="x")
        if i % 2:
            HoldProposal.objects.create(supplier=audit.supplier, audit=audit, reason="Critical finding")


def add_capas(n):
    for i in range(n):
        if i % 2:
            audit = AuditFactory(passed=True)
            finding = Finding.objects.create(
                audit=audit, supplier=audit.supplier, severity="major", description="x"
            )
            CorrectiveActionFactory(supplier=audit.supplier, finding=finding)
        else:
            inspection = QCInspectionFactory()
            CorrectiveActionFactory(supplier=inspection.supplier, inspection=inspection)


def add_lab_reports(n):
    reviewer = UserFactory(role="quality")
    for i in range(n):
        order = PurchaseOrderFactory()
        BatchTest.objects.create(
            supplier=order.supplier,
            order=order,
            lot_number=f"L{i}",
            standard="EN 71-3",
            laboratory="SGS",
            tested_on=today(),
            outcome="pass",
            report=ContentFile(PDF_BYTES, name="lab.pdf"),
            uploaded_by=PortalUserFactory(supplier=order.supplier),
            review="accepted" if i % 2 else "submitted",
            reviewed_by=reviewer if i % 2 else None,
            review_note="Fine" if i % 2 else "",
        )


@pytest.mark.parametrize(
    ("url_name", "add_rows", "row_marker"),
    [
        ("audits:inspection_list", add_inspections, "/quality/inspections/"),
        ("audits:audit_list", add_audits, "/quality/audits/"),
        ("audits:capa_list", add_capas, "/quality/corrective-actions/"),
        ("audits:batch_test_list", add_lab_reports, "EN 71-3"),
    ],
)
def test_quality_list_pages_have_constant_query_counts(
    quality_client, url_name, add_rows, row_marker, django_assert_max_num_queries
):
    response = assert_constant_queries(
        quality_client, reverse(url_name), add_rows, django_assert_max_num_queries
    )
    assert response.content.decode().count(row_marker) >= 22


# --- Audits ---------------------------------------------------------------------------------------------------


@pytest.fixture
def planned_audit(supplier_a, quality, checklist):
    return AuditFactory(supplier=supplier_a, lead_auditor=quality, template=checklist["template"])


def test_audit_detail_lists_the_checklist_to_score(quality_client, planned_audit):
    body = quality_client.get(planned_audit.get_absolute_url()).content.decode()
    for text in (
        "Quality system",
        "Production floor",
        "Gauges calibrated",
        "SOPs signed",
        "Record as performed",
    ):
        assert text in body
    assert body.index("Quality system") < body.index("SOPs signed") < body.index("Production floor")


def test_audit_detail_post_completes_the_audit_with_checklist_scores(
    quality_client, planned_audit, checklist
):
    gauges, sops, lighting = checklist["gauges"], checklist["sops"], checklist["lighting"]
    response = quality_client.post(
        planned_audit.get_absolute_url(),
        {
            "performed_on": today().isoformat(),
            "summary": "Tidy floor, gauges overdue.",
            f"score_{gauges.pk}": "5",
            f"note_{gauges.pk}": "All tagged",
            f"score_{sops.pk}": "0",
            f"note_{sops.pk}": "",
            f"score_{lighting.pk}": "",  # not applicable
            f"note_{lighting.pk}": "Night shift not seen",
        },
    )
    assert response.status_code == 302 and response.url == planned_audit.get_absolute_url()
    audit = Audit.objects.get(pk=planned_audit.pk)
    assert (audit.status, audit.performed_on, audit.summary) == (
        "performed",
        today(),
        "Tidy floor, gauges overdue.",
    )
    assert (audit.score, audit.result) == (Decimal("75.0"), Audit.Result.CONDITIONAL)
    assert {a.question_id: (a.score, a.note) for a in AuditAnswer.objects.filter(audit=audit)} == {
        gauges.pk: (5, "All tagged"),
        sops.pk: (0, ""),
        lighting.pk: (None, "Night shift not seen"),
    }
    assert "Audit recorded: Conditional pass." in messages_of(response)
    page = quality_client.get(audit.get_absolute_url()).content.decode()
    assert "75.0 %" in page and "Record as performed" not in page


def test_audit_performed_in_the_future_shows_the_error_and_writes_nothing(
    quality_client, planned_audit, checklist
):
    response = quality_client.post(
        planned_audit.get_absolute_url(),
        {"performed_on": (today() + timedelta(days=2)).isoformat(), f"score_{checklist['gauges'].pk}": "4"},
    )
    assert response.status_code == 400
    assert "An audit cannot be performed in the future." in response.content.decode()
    planned_audit.refresh_from_db()
    assert planned_audit.status == Audit.Status.PLANNED and not AuditAnswer.objects.exists()


def test_refused_audit_form_keeps_the_scores_entered(quality_client, planned_audit, checklist):
    gauges = checklist["gauges"]
    response = quality_client.post(
        planned_audit.get_absolute_url(),
        {
            "performed_on": (today() + timedelta(days=2)).isoformat(),
            f"score_{gauges.pk}": "4",
            f"note_{gauges.pk}": "Two gauges overdue",
        },
    )
    body = response.content.decode()
    select = re.search(rf'<select name="score_{gauges.pk}".*?</select>', body, re.S).group(0)
    assert re.search(r'<option value="4"[^>]*selected', select)
    assert "Two gauges overdue" in body


def test_buyer_cannot_complete_an_audit(buyer_client, planned_audit):
    response = buyer_client.post(planned_audit.get_absolute_url(), {"performed_on": today().isoformat()})
    assert response.status_code == 403
    planned_audit.refresh_from_db()
    assert planned_audit.status == Audit.Status.PLANNED


def test_critical_finding_added_on_the_page_proposes_a_hold(quality_client, quality, supplier_a):
    supplier_a.stage = "approved"  # a supplier that can be put on hold
    supplier_a.save()
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality, passed=True)
    response = quality_client.post(
        reverse("audits:finding_add", args=[audit.pk]),
        {"severity": "critical", "clause": "SA8000 4.1", "description": "Fire exit chained shut"},
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.result == Audit.Result.FAIL
    page = quality_client.get(audit.get_absolute_url()).content.decode()
    assert "Proposal: put the supplier on hold" in page and "Fire exit chained shut" in page


# --- Hold decision --------------------------------------------------------------------------------------------


@pytest.fixture
def proposal(supplier_a, quality):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save()
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality)
    services.finding_add(audit=audit, by=quality, severity="critical", description="Fire exit chained shut")
    services.audit_complete(audit=audit, by=quality, performed_on=today())
    return HoldProposal.objects.get(audit=audit)


def test_hold_decision_form_puts_the_supplier_on_hold(buyer_client, buyer, proposal):
    page = buyer_client.get(proposal.audit.get_absolute_url()).content.decode()
    assert "Proposal: put the supplier on hold" in page and ">Put on hold</button>" in page
    response = buyer_client.post(
        reverse("audits:hold_decide", args=[proposal.pk]),
        {"decision": "accept", "note": "Until the exits are unchained."},
    )
    assert response.status_code == 302 and response.url == proposal.audit.get_absolute_url()
    assert "The supplier is on hold." in messages_of(response)
    proposal.refresh_from_db()
    proposal.supplier.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (HoldProposal.Status.ACCEPTED, buyer)
    assert proposal.supplier.stage == Stage.ON_HOLD
    assert StageChange.objects.get(supplier=proposal.supplier).to_stage == Stage.ON_HOLD
    page = buyer_client.get(proposal.audit.get_absolute_url()).content.decode()
    assert "Supplier put on hold" in page and "Until the exits are unchained." in page
    assert ">Put on hold</button>" not in page


def test_hold_decision_form_dismisses_with_the_note(buyer_client, proposal):
    buyer_client.post(
        reverse("audits:hold_decide", args=[proposal.pk]),
        {"decision": "dismiss", "note": "Fixed on the spot."},
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note) == (HoldProposal.Status.DISMISSED, "Fixed on the spot.")
    proposal.supplier.refresh_from_db()
    assert proposal.supplier.stage == Stage.APPROVED


def test_hold_decision_without_a_note_changes_nothing(buyer_client, proposal):
    response = buyer_client.post(reverse("audits:hold_decide", args=[proposal.pk]), {"decision": "accept"})
    assert response.status_code == 302
    assert "Write down the reason for the decision." in messages_of(response)
    proposal.refresh_from_db()
    assert proposal.status == HoldProposal.Status.PROPOSED
    assert not StageChange.objects.exists()


def test_quality_user_cannot_decide_a_hold(quality_client, proposal):
    response = quality_client.post(
        reverse("audits:hold_decide", args=[proposal.pk]), {"decision": "accept", "note": "Hold them."}
    )
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == HoldProposal.Status.PROPOSED


# --- Corrective action: verify form ---------------------------------------------------------------------------


@pytest.fixture
def submitted_capa(supplier_a, quality, portal_a):
    action = CorrectiveActionFactory(supplier=supplier_a, raised_by=quality, title="Loose seams")
    return services.capa_submit(action=action, by=portal_a, **ANSWER)


def test_capa_detail_shows_the_answer_and_the_verify_form(quality_client, submitted_capa):
    body = quality_client.get(submitted_capa.get_absolute_url()).content.decode()
    for text in ANSWER.values():
        assert text in body
    assert "Verify and close" in body and "Reject: send back" in body


def test_capa_verify_form_closes_the_action(quality_client, quality, submitted_capa):
    response = quality_client.post(
        reverse("audits:capa_verify", args=[submitted_capa.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302 and response.url == submitted_capa.get_absolute_url()
    assert "Corrective action verified and closed." in messages_of(response)
    submitted_capa.refresh_from_db()
    assert (submitted_capa.status, submitted_capa.verified_by) == (CorrectiveAction.Status.VERIFIED, quality)
    body = quality_client.get(submitted_capa.get_absolute_url()).content.decode()
    assert "Verified" in body and "Verify and close" not in body


def test_capa_reject_without_a_note_is_refused(quality_client, submitted_capa):
    response = quality_client.post(
        reverse("audits:capa_verify", args=[submitted_capa.pk]), {"decision": "reject"}
    )
    assert response.status_code == 302
    assert "Say what is missing; the supplier sees this note." in messages_of(response)
    submitted_capa.refresh_from_db()
    assert submitted_capa.status == CorrectiveAction.Status.SUBMITTED


def test_capa_reject_with_a_note_sends_it_back(quality_client, submitted_capa):
    quality_client.post(
        reverse("audits:capa_verify", args=[submitted_capa.pk]),
        {"decision": "reject", "note": "Attach the new needle log."},
    )
    submitted_capa.refresh_from_db()
    assert (submitted_capa.status, submitted_capa.verification_note) == (
        "rejected",
        "Attach the new needle log.",
    )


def test_buyer_cannot_verify_a_corrective_action(buyer_client, submitted_capa):
    response = buyer_client.post(
        reverse("audits:capa_verify", args=[submitted_capa.pk]), {"decision": "accept"}
    )
    assert response.status_code == 403
    submitted_capa.refresh_from_db()
    assert submitted_capa.status == CorrectiveAction.Status.SUBMITTED


def test_capa_raised_from_a_failed_inspection_on_the_page(quality_client, supplier_a):
    inspection = QCInspectionFactory(
        supplier=supplier_a, major_defects=7, defective_units=7, computed_result="reject", result="reject"
    )
    url = reverse("audits:capa_create") + f"?inspection={inspection.pk}"
    assert quality_client.get(url).status_code == 200
    response = quality_client.post(
        url,
        {
            "title": "Loose seams",
            "problem": "7 major defects",
            "due_on": (today() + timedelta(days=7)).isoformat(),
        },
    )
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert (action.supplier, action.inspection, action.status) == (supplier_a, inspection, "open")


def test_capa_from_an_unshared_inspection_carries_its_facts_but_not_its_notes_to_the_factory(
    client, quality, supplier_a, portal_a
):
    inspection = QCInspectionFactory(
        supplier=supplier_a,
        lot_number="L-77",
        major_defects=7,
        defective_units=7,
        computed_result="accept",
        result="reject",
        override_reason="STAFFONLY override: the buyer wants leverage",
        notes="STAFFONLY note: their QC manager hides rejects",
        shared_with_supplier=False,
    )
    url = reverse("audits:capa_create") + f"?inspection={inspection.pk}"
    client.force_login(quality)
    page = client.get(url)
    problem = page.context["form"].initial["problem"]
    assert "STAFFONLY" not in page.content.decode()
    assert "L-77" in problem and "7 major" in problem and "sample of 80" in problem and "Rejected" in problem
    # QC sends the form as it was pre-filled; the factory then opens the corrective action.
    due_on = (today() + timedelta(days=14)).isoformat()
    client.post(url, {"title": "Loose seams", "problem": problem, "due_on": due_on})
    action = CorrectiveAction.objects.get(inspection=inspection)
    assert action.problem == problem
    client.force_login(portal_a)
    for name in ("portal:capa_detail", "api:corrective-action-detail"):
        body = client.get(reverse(name, args=[action.pk])).content.decode()
        assert "L-77" in body and "STAFFONLY" not in body, name
    assert "inspection" not in client.get(reverse("api:corrective-action-detail", args=[action.pk])).json()


def test_capa_due_in_the_past_is_refused_on_the_page(quality_client, supplier_a):
    inspection = QCInspectionFactory(supplier=supplier_a)
    response = quality_client.post(
        reverse("audits:capa_create") + f"?inspection={inspection.pk}",
        {"title": "x", "problem": "y", "due_on": (today() - timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 400 and "The due date is in the past." in response.content.decode()
    assert not CorrectiveAction.objects.exists()


# --- Audit report PDF -----------------------------------------------------------------------------------------


@pytest.fixture
def reported_audit(supplier_a, quality, checklist):
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality, template=checklist["template"])
    finding = services.finding_add(
        audit=audit,
        by=quality,
        severity="major",
        clause="ISO 9001 7.1.5",
        description="Torque wrench uncalibrated",
    )
    services.audit_complete(
        audit=audit,
        by=quality,
        performed_on=today(),
        scores={checklist["gauges"].pk: (4, "Two overdue"), checklist["sops"].pk: (None, "")},
        summary="Second visit needed.",
    )
    CorrectiveActionFactory(supplier=supplier_a, finding=finding, title="Calibrate torque wrenches")
    audit.refresh_from_db()
    return audit


def report_html(audit, user) -> str:
    """The report HTML with the context audits.views.audit_pdf_response gives the template."""
    return render_to_string(
        "pdf/audit_report.html",
        {
            "audit": audit,
            "checklist": selectors.audit_checklist(audit=audit),
            "findings": selectors.audit_findings(user=user, audit=audit),
            "generated_at": timezone.now(),
        },
    )


def test_audit_pdf_endpoint_returns_a_pdf_download(quality_client, reported_audit):
    response = quality_client.get(reverse("audits:audit_pdf", args=[reported_audit.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")


def test_audit_report_names_the_supplier_the_findings_and_the_checklist(reported_audit, quality):
    # No PDF text extractor is installed (WeasyPrint's output is compressed), so the report is read as HTML.
    text = " ".join(re.sub(r"<[^>]+>", " ", report_html(reported_audit, quality)).split())
    assert "Audit report: Alpha Factory" in text
    assert "Conditional pass — score 80.0 %" in text
    assert "Major ISO 9001 7.1.5 Torque wrench uncalibrated" in text
    assert "Calibrate torque wrenches — Open — waiting for the supplier" in text
    assert "Gauges calibrated 4/5 Two overdue" in text and "SOPs signed n/a" in text
    assert "Second visit needed." in text


def test_entered_text_is_escaped_in_the_audit_report(supplier_a, quality, client):
    supplier_a.name = f"Alpha {SCRIPT}"
    supplier_a.save()
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality, third_party=True, firm=SCRIPT)
    finding = services.finding_add(
        audit=audit, by=quality, severity="minor", clause=SCRIPT, description=SCRIPT
    )
    services.audit_complete(audit=audit, by=quality, performed_on=today(), summary=SCRIPT)
    CorrectiveActionFactory(supplier=supplier_a, finding=finding, title=SCRIPT)
    audit.refresh_from_db()

    html = report_html(audit, quality)
    assert "<script" not in html.lower()
    assert html.count("&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;") == 6

    client.force_login(quality)
    response = client.get(reverse("audits:audit_pdf", args=[audit.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    page = client.get(audit.get_absolute_url()).content.decode()
    assert SCRIPT not in page and "&lt;script&gt;" in page
