"""Writes on quality records: inspections sampled by ISO 2859-1, lab reports, audits with weighted checklists,
findings, hold proposals and corrective actions. Services are called directly; outcomes are read back."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audits import services
from audits.models import (
    Audit,
    AuditAnswer,
    BatchTest,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistTemplate,
    CorrectiveAction,
    CorrectiveActionEvidence,
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
    PurchaseOrderFactory,
    QCInspectionFactory,
)

pytestmark = pytest.mark.django_db

ANSWER = {
    "supplier_owner": "Li Wei, QA manager",
    "containment": "Sorted all 1,000 units in the warehouse; 14 held back.",
    "root_cause": "Worn stitching needle on line 3.",
    "corrective_action": "Needles replaced; changed every 8 hours.",
    "preventive_action": "Needle changes on the daily line checklist.",
}


def today():
    return timezone.localdate()


def record(supplier, by, **overrides):
    """Record a pre-shipment inspection of a lot of 1000, level II, AQL 2.5 major / 4.0 minor."""
    fields = {
        "checkpoint": QCInspection.Checkpoint.PRE_SHIPMENT,
        "inspected_on": today() - timedelta(days=1),
        "lot_size": 1000,
        "level": "II",
        "aql_major": Decimal("2.5"),
        "aql_minor": Decimal("4.0"),
    }
    fields.update(overrides)
    return services.inspection_record(supplier=supplier, by=by, **fields)


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def checklist():
    """Two sections: a weight-3 and a weight-1 question, then a weight-2 one."""
    template = ChecklistTemplate.objects.create(name="Factory audit v1")
    quality_system = ChecklistSection.objects.create(template=template, title="Quality system", position=1)
    production = ChecklistSection.objects.create(template=template, title="Production", position=2)
    return {
        "template": template,
        "heavy": ChecklistQuestion.objects.create(section=quality_system, text="Calibrated gauges", weight=3),
        "light": ChecklistQuestion.objects.create(section=quality_system, text="Signed SOPs", weight=1),
        "medium": ChecklistQuestion.objects.create(section=production, text="First article check", weight=2),
    }


@pytest.fixture
def planned_audit(supplier_a, quality, checklist):
    # An approved supplier: one that a failed audit can put on hold.
    supplier_a.stage = "approved"
    supplier_a.save()
    return AuditFactory(supplier=supplier_a, lead_auditor=quality, template=checklist["template"])


def complete(audit, by, **kwargs):
    kwargs.setdefault("performed_on", today())
    return services.audit_complete(audit=audit, by=by, **kwargs)


def add_finding(audit, by, severity, description="Finding"):
    return services.finding_add(audit=audit, by=by, severity=severity, description=description)


# --- QC inspections -------------------------------------------------------------------------------------------


def test_inspection_plan_fields_come_from_iso_2859_1(supplier_a, quality):
    inspection = record(supplier_a, quality)
    inspection.refresh_from_db()
    plan = (
        inspection.code_letter,
        inspection.sample_size,
        inspection.major_accept,
        inspection.major_reject,
        inspection.minor_accept,
        inspection.minor_reject,
    )
    assert plan == ("J", 80, 5, 6, 7, 8)
    assert inspection.result == inspection.computed_result == QCInspection.Result.ACCEPT
    assert inspection.inspector == quality and not inspection.is_overridden


@pytest.mark.parametrize(
    ("critical", "major", "minor", "units", "expected"),
    [
        (0, 5, 0, 5, "accept"),  # major Ac 5
        (0, 6, 0, 6, "reject"),  # major Re 6
        (0, 0, 7, 7, "accept"),  # minor Ac 7
        (0, 0, 8, 8, "reject"),  # minor Re 8
        (0, 5, 7, 12, "accept"),  # each class judged by its own Ac
        (1, 0, 0, 1, "reject"),  # any critical defect rejects
    ],
)
def test_inspection_result_follows_from_the_defects_at_the_ac_re_boundary(
    supplier_a, quality, critical, major, minor, units, expected
):
    inspection = record(
        supplier_a,
        quality,
        critical_defects=critical,
        major_defects=major,
        minor_defects=minor,
        defective_units=units,
    )
    inspection.refresh_from_db()
    assert inspection.computed_result == inspection.result == expected


@pytest.mark.parametrize("reason", ["", "   "])
def test_overriding_the_result_without_a_reason_is_refused_and_writes_nothing(supplier_a, quality, reason):
    with pytest.raises(ValidationError) as excinfo:
        record(
            supplier_a, quality, major_defects=7, defective_units=7, result="accept", override_reason=reason
        )
    assert "override_reason" in excinfo.value.message_dict
    assert not QCInspection.objects.exists()


def test_overridden_result_is_stored_with_its_reason(supplier_a, quality):
    inspection = record(
        supplier_a,
        quality,
        major_defects=7,
        defective_units=7,
        result="accept",
        override_reason="  Cosmetic marks on the carton only; customer agreed in writing.  ",
    )
    inspection.refresh_from_db()
    assert (inspection.computed_result, inspection.result) == ("reject", "accept")
    assert inspection.is_overridden
    assert inspection.override_reason == "Cosmetic marks on the carton only; customer agreed in writing."


def test_a_reason_given_for_the_result_the_plan_gives_anyway_is_dropped(supplier_a, quality):
    inspection = record(supplier_a, quality, result="accept", override_reason="Looks fine")
    assert not inspection.is_overridden and inspection.override_reason == ""


def test_more_defective_units_than_defects_counted_is_refused(supplier_a, quality):
    with pytest.raises(ValidationError) as excinfo:
        record(supplier_a, quality, major_defects=2, minor_defects=1, defective_units=4)
    assert "defective_units" in excinfo.value.message_dict
    assert not QCInspection.objects.exists()


def test_defects_without_defective_units_are_refused(supplier_a, quality):
    with pytest.raises(ValidationError) as excinfo:
        record(supplier_a, quality, major_defects=2, defective_units=0)
    assert "defective_units" in excinfo.value.message_dict


def test_more_defective_units_than_the_sample_is_refused(supplier_a, quality):
    with pytest.raises(ValidationError):
        record(supplier_a, quality, minor_defects=100, defective_units=81)  # the sample is 80
    assert not QCInspection.objects.exists()


def test_inspection_of_an_order_of_another_supplier_is_refused(supplier_a, supplier_b, quality):
    order_b = PurchaseOrderFactory(supplier=supplier_b)
    with pytest.raises(ValidationError) as excinfo:
        record(supplier_a, quality, order=order_b)
    assert "order" in excinfo.value.message_dict
    with pytest.raises(ValidationError):
        record(supplier_a, quality, delivery=DeliveryFactory(order=order_b))  # the order comes from it
    assert not QCInspection.objects.exists()


def test_inspection_of_a_delivery_of_another_order_is_refused(supplier_a, quality):
    order, other_order = PurchaseOrderFactory(supplier=supplier_a), PurchaseOrderFactory(supplier=supplier_a)
    with pytest.raises(ValidationError) as excinfo:
        record(supplier_a, quality, order=order, delivery=DeliveryFactory(order=other_order))
    assert "delivery" in excinfo.value.message_dict
    assert not QCInspection.objects.exists()


def test_inspection_of_a_delivery_takes_its_order(supplier_a, quality):
    delivery = DeliveryFactory(order=PurchaseOrderFactory(supplier=supplier_a))
    inspection = record(supplier_a, quality, delivery=delivery)
    assert inspection.order == delivery.order


def test_a_buyer_cannot_record_an_inspection(supplier_a, buyer):
    with pytest.raises(PermissionDenied):
        record(supplier_a, buyer)


# --- Batch tests ----------------------------------------------------------------------------------------------


def lab_report(supplier, by, **overrides):
    fields = {
        "lot_number": "LOT-7",
        "standard": "EN 71-3",
        "laboratory": "SGS Shenzhen",
        "tested_on": today() - timedelta(days=2),
        "outcome": BatchTest.Outcome.PASS,
        "report": pdf("lab.pdf"),
    }
    fields.update(overrides)
    return services.batch_test_submit(supplier=supplier, by=by, **fields)


def test_factory_contact_submits_a_lab_report_for_review(supplier_a, portal_a):
    test = lab_report(supplier_a, portal_a, order=PurchaseOrderFactory(supplier=supplier_a))
    test.refresh_from_db()
    assert (test.supplier, test.uploaded_by, test.review) == (
        supplier_a,
        portal_a,
        BatchTest.Review.SUBMITTED,
    )


def test_factory_contact_of_b_cannot_submit_a_lab_report_for_a(supplier_a, portal_b):
    with pytest.raises(PermissionDenied):
        lab_report(supplier_a, portal_b)
    assert not BatchTest.objects.exists()


def test_lab_report_for_an_order_of_another_supplier_is_refused(supplier_a, supplier_b, portal_a):
    with pytest.raises(ValidationError) as excinfo:
        lab_report(supplier_a, portal_a, order=PurchaseOrderFactory(supplier=supplier_b))
    assert "order" in excinfo.value.message_dict


def test_lab_report_rejection_needs_a_note(supplier_a, portal_a, quality):
    test = lab_report(supplier_a, portal_a)
    with pytest.raises(ValidationError) as excinfo:
        services.batch_test_review(test=test, by=quality, accept=False, note="  ")
    assert "note" in excinfo.value.message_dict
    test.refresh_from_db()
    assert test.review == BatchTest.Review.SUBMITTED
    rejected = services.batch_test_review(
        test=test, by=quality, accept=False, note="Lead value not reported."
    )
    assert (rejected.review, rejected.review_note, rejected.reviewed_by) == (
        "rejected",
        "Lead value not reported.",
        quality,
    )


def test_lab_report_cannot_be_reviewed_twice(supplier_a, portal_a, quality, manager):
    test = lab_report(supplier_a, portal_a)
    services.batch_test_review(test=test, by=quality, accept=True)
    with pytest.raises(ValidationError):
        services.batch_test_review(test=test, by=manager, accept=False, note="Changed my mind")
    test.refresh_from_db()
    assert (test.review, test.reviewed_by) == (BatchTest.Review.ACCEPTED, quality)


def test_a_factory_contact_cannot_review_its_own_lab_report(supplier_a, portal_a):
    test = lab_report(supplier_a, portal_a)
    with pytest.raises(PermissionDenied):
        services.batch_test_review(test=test, by=portal_a, accept=True)


# --- Audits: planning, score and result ------------------------------------------------------------------------


def test_third_party_audit_needs_a_firm(supplier_a, quality):
    fields = {
        "audit_type": Audit.Type.SOCIAL,
        "planned_on": today() + timedelta(days=10),
        "third_party": True,
    }
    with pytest.raises(ValidationError) as excinfo:
        services.audit_plan(supplier=supplier_a, by=quality, firm="  ", **fields)
    assert "firm" in excinfo.value.message_dict
    assert not Audit.objects.exists()
    audit = services.audit_plan(supplier=supplier_a, by=quality, firm="Bureau Veritas", **fields)
    assert (audit.firm, audit.lead_auditor, audit.status) == ("Bureau Veritas", quality, Audit.Status.PLANNED)


def test_follow_up_of_another_suppliers_audit_is_refused(supplier_a, supplier_b, quality):
    other = AuditFactory(supplier=supplier_b, passed=True)
    with pytest.raises(ValidationError) as excinfo:
        services.audit_plan(
            supplier=supplier_a,
            by=quality,
            audit_type=Audit.Type.FOLLOW_UP,
            planned_on=today(),
            follows_up=other,
        )
    assert "follows_up" in excinfo.value.message_dict


def test_a_buyer_cannot_plan_an_audit(supplier_a, buyer):
    with pytest.raises(PermissionDenied):
        services.audit_plan(supplier=supplier_a, by=buyer, audit_type=Audit.Type.VETTING, planned_on=today())


def answers(checklist, **scores):
    return [AuditAnswer(question=checklist[name], score=score) for name, score in scores.items()]


def test_audit_score_is_weighted(checklist):
    # 5 × 3 + 0 × 1 = 15 of 5 × (3 + 1) = 20
    assert services.audit_score(answers(checklist, heavy=5, light=0)) == Decimal("75.0")


def test_audit_score_ignores_questions_not_applicable(checklist):
    assert services.audit_score(answers(checklist, heavy=5, light=0, medium=None)) == Decimal("75.0")
    assert services.audit_score(answers(checklist, heavy=4, light=3, medium=2)) == Decimal("63.3")  # 19/30
    assert services.audit_score(answers(checklist, heavy=None)) is None
    assert services.audit_score([]) is None


@pytest.mark.parametrize(
    ("score", "severities", "expected"),
    [
        (Decimal("100"), {"critical"}, "fail"),
        (None, {"critical", "minor"}, "fail"),
        (Decimal("69.9"), set(), "fail"),
        (Decimal("70.0"), set(), "conditional"),
        (Decimal("84.9"), {"minor"}, "conditional"),
        (Decimal("95.0"), {"major"}, "conditional"),
        (None, {"major"}, "conditional"),
        (Decimal("85.0"), {"minor"}, "pass"),
        (None, set(), "pass"),
    ],
)
def test_audit_result_follows_from_score_and_findings(score, severities, expected):
    assert services.audit_result(score=score, severities=severities) == expected


# --- Audits: completing ---------------------------------------------------------------------------------------


def test_completing_an_audit_stores_answers_score_and_result(planned_audit, quality, checklist):
    audit = complete(
        planned_audit,
        quality,
        scores={
            checklist["heavy"].pk: (5, "All in date"),
            checklist["light"].pk: (3, ""),
            checklist["medium"].pk: (None, ""),
        },
        summary="Good shop floor.",
    )
    audit.refresh_from_db()
    assert (audit.status, audit.performed_on, audit.summary) == ("performed", today(), "Good shop floor.")
    assert audit.score == Decimal("90.0")  # (15 + 3) / 20
    assert audit.result == Audit.Result.PASS
    stored = {a.question_id: (a.score, a.note) for a in audit.answers.all()}
    assert stored == {
        checklist["heavy"].pk: (5, "All in date"),
        checklist["light"].pk: (3, ""),
        checklist["medium"].pk: (None, ""),
    }
    assert not HoldProposal.objects.exists()


def test_audit_performed_in_the_future_is_refused(planned_audit, quality):
    with pytest.raises(ValidationError) as excinfo:
        complete(planned_audit, quality, performed_on=today() + timedelta(days=1))
    assert "performed_on" in excinfo.value.message_dict
    planned_audit.refresh_from_db()
    assert planned_audit.status == Audit.Status.PLANNED and planned_audit.performed_on is None


def test_an_audit_cannot_be_completed_twice(planned_audit, quality, checklist):
    complete(planned_audit, quality, scores={checklist["heavy"].pk: (5, "")})
    with pytest.raises(ValidationError):
        complete(planned_audit, quality, scores={checklist["heavy"].pk: (0, "")})
    planned_audit.refresh_from_db()
    assert planned_audit.score == Decimal("100.0")
    assert list(planned_audit.answers.values_list("score", flat=True)) == [5]


def test_scores_for_questions_of_another_checklist_are_refused(planned_audit, quality, checklist):
    other = ChecklistTemplate.objects.create(name="Social audit")
    section = ChecklistSection.objects.create(template=other, title="Working hours")
    stranger = ChecklistQuestion.objects.create(section=section, text="Overtime within limits")
    with pytest.raises(ValidationError):
        complete(planned_audit, quality, scores={checklist["heavy"].pk: (5, ""), stranger.pk: (0, "")})
    planned_audit.refresh_from_db()
    assert planned_audit.status == Audit.Status.PLANNED
    assert not AuditAnswer.objects.exists()


def test_score_above_five_is_refused(planned_audit, quality, checklist):
    with pytest.raises(ValidationError):
        complete(planned_audit, quality, scores={checklist["heavy"].pk: (6, "")})
    assert not AuditAnswer.objects.exists()


def test_a_failed_audit_creates_exactly_one_hold_proposal(planned_audit, quality, checklist):
    audit = complete(
        planned_audit, quality, scores={checklist["heavy"].pk: (2, ""), checklist["light"].pk: (5, "")}
    )
    assert (audit.score, audit.result) == (Decimal("55.0"), Audit.Result.FAIL)
    proposal = HoldProposal.objects.get()
    assert (proposal.audit, proposal.supplier, proposal.status) == (audit, audit.supplier, "proposed")
    assert proposal.reason.startswith("Failed audit")
    add_finding(audit, quality, Finding.Severity.CRITICAL)  # a second reason: still one proposal
    assert HoldProposal.objects.count() == 1


def test_a_critical_finding_fails_the_audit_and_creates_one_hold_proposal(planned_audit, quality, checklist):
    add_finding(planned_audit, quality, Finding.Severity.CRITICAL, "Fire exit locked")
    audit = complete(planned_audit, quality, scores={checklist["heavy"].pk: (5, "")})
    assert (audit.score, audit.result) == (Decimal("100.0"), Audit.Result.FAIL)
    assert HoldProposal.objects.get().reason.startswith("Critical finding")


def test_a_critical_finding_added_after_completion_proposes_a_hold_once(planned_audit, quality, checklist):
    audit = complete(planned_audit, quality, scores={checklist["heavy"].pk: (5, "")})
    assert audit.result == Audit.Result.PASS and not HoldProposal.objects.exists()
    add_finding(audit, quality, Finding.Severity.CRITICAL, "Child labour evidence")
    add_finding(audit, quality, Finding.Severity.CRITICAL, "Second locked exit")
    audit.refresh_from_db()
    assert audit.result == Audit.Result.FAIL
    assert HoldProposal.objects.filter(audit=audit).count() == 1


def test_a_major_finding_on_a_performed_audit_makes_it_conditional(planned_audit, quality, checklist):
    audit = complete(planned_audit, quality, scores={checklist["heavy"].pk: (5, "")})
    finding = add_finding(audit, quality, Finding.Severity.MAJOR, "Gauge out of calibration")
    audit.refresh_from_db()
    assert audit.result == Audit.Result.CONDITIONAL and audit.score == Decimal("100.0")
    assert (finding.supplier, finding.audit) == (audit.supplier, audit)
    assert not HoldProposal.objects.exists()


def test_a_finding_on_a_planned_audit_leaves_it_without_result(planned_audit, quality):
    add_finding(planned_audit, quality, Finding.Severity.MAJOR)
    planned_audit.refresh_from_db()
    assert (planned_audit.status, planned_audit.result) == (Audit.Status.PLANNED, "")


def test_a_finding_on_a_cancelled_audit_is_refused(planned_audit, quality):
    services.audit_cancel(audit=planned_audit, by=quality)
    with pytest.raises(ValidationError):
        add_finding(planned_audit, quality, Finding.Severity.MINOR)
    assert not Finding.objects.exists()


# --- Hold proposals -------------------------------------------------------------------------------------------


@pytest.fixture
def proposal(supplier_a, quality):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save()
    audit = AuditFactory(supplier=supplier_a, lead_auditor=quality)
    add_finding(audit, quality, Finding.Severity.CRITICAL, "Fire exit locked")
    complete(audit, quality)
    return HoldProposal.objects.get(audit=audit)


def test_accepting_a_hold_moves_the_supplier_on_hold_through_the_stage_service(proposal, buyer):
    decided = services.hold_decide(proposal=proposal, by=buyer, accept=True, note="Until the exits are open.")
    supplier = decided.supplier
    supplier.refresh_from_db()
    assert supplier.stage == Stage.ON_HOLD
    change = StageChange.objects.get(supplier=supplier)
    assert (change.from_stage, change.to_stage, change.changed_by) == (Stage.APPROVED, Stage.ON_HOLD, buyer)
    assert "Critical finding" in change.reason and "Until the exits are open." in change.reason
    decided.refresh_from_db()
    assert (decided.status, decided.decided_by, decided.decision_note) == (
        HoldProposal.Status.ACCEPTED,
        buyer,
        "Until the exits are open.",
    )
    assert decided.decided_at is not None


def test_dismissing_a_hold_records_the_note_and_keeps_the_stage(proposal, buyer):
    services.hold_decide(proposal=proposal, by=buyer, accept=False, note="Exit reopened during the audit.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_note, proposal.decided_by) == (
        HoldProposal.Status.DISMISSED,
        "Exit reopened during the audit.",
        buyer,
    )
    proposal.supplier.refresh_from_db()
    assert proposal.supplier.stage == Stage.APPROVED
    assert not StageChange.objects.exists()


def test_a_hold_decision_needs_a_note(proposal, buyer):
    with pytest.raises(ValidationError):
        services.hold_decide(proposal=proposal, by=buyer, accept=True, note=" ")
    proposal.refresh_from_db()
    assert proposal.status == HoldProposal.Status.PROPOSED


def test_a_hold_cannot_be_decided_twice(proposal, buyer, manager):
    services.hold_decide(proposal=proposal, by=buyer, accept=False, note="Fixed on the spot.")
    with pytest.raises(ValidationError):
        services.hold_decide(proposal=proposal, by=manager, accept=True, note="Hold it after all.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (HoldProposal.Status.DISMISSED, buyer)
    proposal.supplier.refresh_from_db()
    assert proposal.supplier.stage == Stage.APPROVED


def test_a_quality_user_cannot_decide_a_hold(proposal, quality):
    with pytest.raises(PermissionDenied):
        services.hold_decide(proposal=proposal, by=quality, accept=True, note="Put them on hold.")
    proposal.refresh_from_db()
    assert proposal.status == HoldProposal.Status.PROPOSED
    assert not StageChange.objects.exists()


# --- Corrective actions ---------------------------------------------------------------------------------------


@pytest.fixture
def capa(supplier_a, quality):
    return CorrectiveActionFactory(supplier=supplier_a, raised_by=quality)


def test_corrective_action_raised_from_a_finding_is_for_its_supplier(supplier_a, quality):
    finding = add_finding(AuditFactory(supplier=supplier_a), quality, Finding.Severity.MAJOR, "No gauge log")
    action = services.capa_raise(
        by=quality, title="Gauge log", problem="No log.", due_on=today() + timedelta(days=14), finding=finding
    )
    action.refresh_from_db()
    assert (action.supplier, action.finding, action.inspection) == (supplier_a, finding, None)
    assert (action.status, action.raised_by) == (CorrectiveAction.Status.OPEN, quality)


def test_corrective_action_raised_from_an_inspection_is_for_its_supplier(supplier_a, quality):
    inspection = record(supplier_a, quality, major_defects=7, defective_units=7)
    action = services.capa_raise(
        by=quality, title="Loose seams", problem="7 major.", due_on=today(), inspection=inspection
    )
    assert (action.supplier, action.inspection, action.finding) == (supplier_a, inspection, None)


def test_corrective_action_due_in_the_past_is_refused(supplier_a, quality):
    inspection = QCInspectionFactory(supplier=supplier_a)
    with pytest.raises(ValidationError) as excinfo:
        services.capa_raise(
            by=quality, title="Late", problem="x", due_on=today() - timedelta(days=1), inspection=inspection
        )
    assert "due_on" in excinfo.value.message_dict
    assert not CorrectiveAction.objects.exists()


def test_corrective_action_for_another_supplier_than_its_source_is_refused(supplier_a, supplier_b, quality):
    inspection = QCInspectionFactory(supplier=supplier_a)
    with pytest.raises(ValidationError):
        services.capa_raise(
            by=quality, title="x", problem="x", due_on=today(), inspection=inspection, supplier=supplier_b
        )
    assert not CorrectiveAction.objects.exists()


def test_a_buyer_cannot_raise_a_corrective_action(supplier_a, buyer):
    with pytest.raises(PermissionDenied):
        services.capa_raise(by=buyer, title="x", problem="x", due_on=today(), supplier=supplier_a)


def test_factory_answer_submits_the_corrective_action(capa, portal_a):
    action = services.capa_submit(action=capa, by=portal_a, **{k: f"  {v}  " for k, v in ANSWER.items()})
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.SUBMITTED
    assert {k: getattr(action, k) for k in ANSWER} == ANSWER
    assert action.submitted_by == portal_a and action.submitted_at is not None


@pytest.mark.parametrize("part", sorted(ANSWER))
def test_every_part_of_the_answer_is_required(capa, portal_a, part):
    with pytest.raises(ValidationError) as excinfo:
        services.capa_submit(action=capa, by=portal_a, **{**ANSWER, part: "  "})
    assert set(excinfo.value.message_dict) == {part}
    capa.refresh_from_db()
    assert (capa.status, capa.root_cause) == (CorrectiveAction.Status.OPEN, "")


def test_factory_contact_of_b_cannot_answer_as_corrective_action(capa, portal_b):
    with pytest.raises(PermissionDenied):
        services.capa_submit(action=capa, by=portal_b, **ANSWER)
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.OPEN and capa.submitted_by is None


def test_a_submitted_answer_cannot_be_submitted_again(capa, portal_a):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    with pytest.raises(ValidationError):
        services.capa_submit(action=capa, by=portal_a, **{**ANSWER, "root_cause": "Something else"})
    capa.refresh_from_db()
    assert capa.root_cause == ANSWER["root_cause"]


def test_rejection_needs_a_note_and_lets_the_supplier_answer_again(capa, portal_a, quality):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    with pytest.raises(ValidationError) as excinfo:
        services.capa_verify(action=capa, by=quality, accept=False, note="")
    assert "note" in excinfo.value.message_dict
    capa.refresh_from_db()
    assert capa.status == CorrectiveAction.Status.SUBMITTED

    rejected = services.capa_verify(action=capa, by=quality, accept=False, note="Show the new checklist.")
    assert (rejected.status, rejected.verification_note) == ("rejected", "Show the new checklist.")
    again = services.capa_submit(
        action=rejected, by=portal_a, **{**ANSWER, "preventive_action": "Checklist v2 attached."}
    )
    assert (again.status, again.preventive_action) == ("submitted", "Checklist v2 attached.")
    verified = services.capa_verify(action=again, by=quality, accept=True)
    assert (verified.status, verified.verified_by) == (CorrectiveAction.Status.VERIFIED, quality)


def test_a_corrective_action_cannot_be_verified_twice(capa, portal_a, quality, manager):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    services.capa_verify(action=capa, by=quality, accept=True)
    with pytest.raises(ValidationError):
        services.capa_verify(action=capa, by=manager, accept=False, note="Reopen")
    capa.refresh_from_db()
    assert (capa.status, capa.verified_by) == (CorrectiveAction.Status.VERIFIED, quality)


def test_an_open_corrective_action_cannot_be_verified(capa, quality):
    with pytest.raises(ValidationError):
        services.capa_verify(action=capa, by=quality, accept=True)


def test_a_factory_contact_cannot_verify(capa, portal_a):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    with pytest.raises(PermissionDenied):
        services.capa_verify(action=capa, by=portal_a, accept=True)


def test_evidence_pdf_is_attached(capa, portal_a):
    evidence = services.capa_add_evidence(action=capa, by=portal_a, file=pdf(), note="New checklist")
    evidence.refresh_from_db()
    assert (evidence.action, evidence.supplier, evidence.uploaded_by) == (capa, capa.supplier, portal_a)
    assert evidence.file.name.startswith("capa-evidence/") and evidence.file.name.endswith(".pdf")


def test_html_disguised_as_pdf_is_refused_as_evidence(capa, portal_a):
    disguised = SimpleUploadedFile(
        "photo.pdf", b"<html><script>alert(document.cookie)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as excinfo:
        services.capa_add_evidence(action=capa, by=portal_a, file=disguised)
    assert "file" in excinfo.value.message_dict
    assert not CorrectiveActionEvidence.objects.exists()


def test_factory_contact_of_b_cannot_attach_evidence_to_as_action(capa, portal_b):
    with pytest.raises(PermissionDenied):
        services.capa_add_evidence(action=capa, by=portal_b, file=pdf())
    assert not CorrectiveActionEvidence.objects.exists()


def test_no_evidence_is_attached_to_a_verified_action(capa, portal_a, quality):
    services.capa_submit(action=capa, by=portal_a, **ANSWER)
    services.capa_verify(action=capa, by=quality, accept=True)
    capa.refresh_from_db()
    with pytest.raises(ValidationError):
        services.capa_add_evidence(action=capa, by=portal_a, file=pdf())
