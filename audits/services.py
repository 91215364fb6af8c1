"""Every write on inspections, batch tests, audits, findings, corrective actions and hold proposals."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from orders.models import Delivery, PurchaseOrder
from suppliers.lifecycle import TRANSITIONS
from suppliers.models import Stage, Supplier
from suppliers.services import activity_record, supplier_change_stage

from .models import (
    Audit,
    AuditAnswer,
    BatchTest,
    ChecklistQuestion,
    CorrectiveAction,
    CorrectiveActionEvidence,
    Finding,
    HoldProposal,
    QCInspection,
)
from .sampling import sampling_plan

# Score thresholds for an audit's result; any critical finding fails it, any major finding caps it at conditional.
PASS_SCORE, CONDITIONAL_SCORE = Decimal("85"), Decimal("70")


# --- QC inspections -------------------------------------------------------------------------------------------


def inspection_outcome(
    *, lot_size: int, level: str, aql_major, aql_minor, critical: int, major: int, minor: int
) -> dict:
    """Return the sampling plan fields and the result the defects give under ISO 2859-1 (single, normal).

    Where the two AQLs lead to different sample sizes (an arrow in the table), the larger sample is drawn
    and each class is judged by its own Ac/Re. Any critical defect rejects the lot (AQL 0 for critical).
    """
    major_plan = sampling_plan(lot_size, level, aql_major)
    minor_plan = sampling_plan(lot_size, level, aql_minor)
    rejected = critical > 0 or major >= major_plan.reject or minor >= minor_plan.reject
    return {
        "code_letter": major_plan.code_letter,
        "sample_size": max(major_plan.sample_size, minor_plan.sample_size),
        "major_accept": major_plan.accept,
        "major_reject": major_plan.reject,
        "minor_accept": minor_plan.accept,
        "minor_reject": minor_plan.reject,
        "computed_result": QCInspection.Result.REJECT if rejected else QCInspection.Result.ACCEPT,
    }


@transaction.atomic
def inspection_record(
    *,
    supplier: Supplier,
    by: User,
    checkpoint: str,
    inspected_on: date,
    lot_size: int,
    level: str = "II",
    aql_major=Decimal("2.5"),
    aql_minor=Decimal("4.0"),
    critical_defects: int = 0,
    major_defects: int = 0,
    minor_defects: int = 0,
    defective_units: int = 0,
    order: PurchaseOrder | None = None,
    delivery: Delivery | None = None,
    lot_number: str = "",
    notes: str = "",
    report=None,
    shared_with_supplier: bool = True,
    result: str | None = None,
    override_reason: str = "",
) -> QCInspection:
    """Record an inspection; the result follows from the defects and can be overridden only with a reason."""
    _require(by, "inspection.edit")
    if delivery is not None:
        order = order or delivery.order
        if delivery.order_id != order.pk:
            raise ValidationError({"delivery": _("That delivery belongs to another order.")})
    if order is not None and order.supplier_id != supplier.pk:
        raise ValidationError({"order": _("That order belongs to another supplier.")})
    try:
        plan = inspection_outcome(
            lot_size=lot_size,
            level=level,
            aql_major=aql_major,
            aql_minor=aql_minor,
            critical=critical_defects,
            major=major_defects,
            minor=minor_defects,
        )
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if defective_units > critical_defects + major_defects + minor_defects:
        raise ValidationError({"defective_units": _("More defective units than defects counted.")})
    if (critical_defects or major_defects or minor_defects) and not defective_units:
        raise ValidationError({"defective_units": _("Defects were counted: how many units had them?")})
    result = result or plan["computed_result"]
    if result == plan["computed_result"]:
        override_reason = ""
    elif not override_reason.strip():
        raise ValidationError(
            {
                "override_reason": _("The sampling plan says %(result)s; say why you override it.")
                % {"result": QCInspection.Result(plan["computed_result"]).label}
            }
        )
    inspection = QCInspection(
        supplier=supplier,
        order=order,
        delivery=delivery,
        checkpoint=checkpoint,
        inspector=by,
        inspected_on=inspected_on,
        lot_number=lot_number,
        lot_size=lot_size,
        level=level,
        aql_major=aql_major,
        aql_minor=aql_minor,
        critical_defects=critical_defects,
        major_defects=major_defects,
        minor_defects=minor_defects,
        defective_units=defective_units,
        result=result,
        override_reason=override_reason.strip(),
        notes=notes,
        shared_with_supplier=shared_with_supplier,
        **plan,
    )
    if report:
        inspection.report = report
    inspection.full_clean()
    inspection.save()
    verb = _("Inspection passed") if result == QCInspection.Result.ACCEPT else _("Inspection failed")
    activity_record(
        supplier=supplier,
        actor=by,
        verb=verb,
        detail=f"{inspection.get_checkpoint_display()}, "
        f"{inspection.defective_units}/{inspection.sample_size}",
        url=inspection.get_absolute_url(),
    )
    return inspection


# --- Batch tests ----------------------------------------------------------------------------------------------


@transaction.atomic
def batch_test_submit(*, supplier: Supplier, by: User, **fields) -> BatchTest:
    """Record a lab report for a lot (the supplier in the portal, or QC); QC reviews it."""
    _require_own(by, supplier.pk)
    if not by.is_portal_user:
        _require(by, "inspection.edit")
    order = fields.get("order")
    if order is not None and order.supplier_id != supplier.pk:
        raise ValidationError({"order": _("That order belongs to another supplier.")})
    test = BatchTest(supplier=supplier, uploaded_by=by, **fields)
    test.full_clean()
    test.save()
    activity_record(
        supplier=supplier,
        actor=by,
        verb=_("Lab report uploaded"),
        detail=f"{test.lot_number}: {test.standard} — {test.get_outcome_display()}",
    )
    return test


@transaction.atomic
def batch_test_review(*, test: BatchTest, by: User, accept: bool, note: str = "") -> BatchTest:
    """Accept or reject a lab report; a rejection needs a note the supplier sees."""
    _require(by, "inspection.edit")
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say why the report is rejected.")})
    review = BatchTest.Review.ACCEPTED if accept else BatchTest.Review.REJECTED
    won = BatchTest.objects.filter(pk=test.pk, review=BatchTest.Review.SUBMITTED).update(
        review=review, reviewed_by=by, reviewed_at=timezone.now(), review_note=note.strip()
    )
    if not won:
        raise ValidationError(_("This report was already reviewed."))
    test.refresh_from_db()
    return test


# --- Audits ---------------------------------------------------------------------------------------------------


@transaction.atomic
def audit_plan(*, supplier: Supplier, by: User, auditors=(), **fields) -> Audit:
    """Plan an audit; an unannounced one stays invisible to the supplier until it is performed."""
    _require(by, "audit.edit")
    fields.setdefault("lead_auditor", by)
    audit = Audit(supplier=supplier, **fields)
    if audit.third_party and not audit.firm.strip():
        raise ValidationError({"firm": _("Name the audit firm.")})
    if audit.follows_up_id and audit.follows_up.supplier_id != supplier.pk:
        raise ValidationError({"follows_up": _("That audit is of another supplier.")})
    audit.full_clean()
    audit.save()
    audit.auditors.set(auditors)
    # The timeline is staff-only, so recording an unannounced audit here reveals nothing to the supplier.
    activity_record(
        supplier=supplier,
        actor=by,
        verb=_("Audit planned"),
        detail=f"{audit.get_audit_type_display()}, {audit.planned_on}",
        url=audit.get_absolute_url(),
    )
    return audit


def audit_score(answers) -> Decimal | None:
    """Return the weighted score in % of the answered questions (score × weight over 5 × weight), or None."""
    earned = possible = 0
    for answer in answers:
        if answer.score is None:
            continue
        earned += answer.score * answer.question.weight
        possible += 5 * answer.question.weight
    if not possible:
        return None
    return (Decimal(earned) * 100 / Decimal(possible)).quantize(Decimal("0.1"))


def audit_result(*, score: Decimal | None, severities: set[str]) -> str:
    """Return pass, conditional or fail from the score and the severities of the findings."""
    if Finding.Severity.CRITICAL in severities or (score is not None and score < CONDITIONAL_SCORE):
        return Audit.Result.FAIL
    if Finding.Severity.MAJOR in severities or (score is not None and score < PASS_SCORE):
        return Audit.Result.CONDITIONAL
    return Audit.Result.PASS


def _propose_hold_if_needed(audit: Audit, by: User) -> None:
    severities = set(audit.findings.values_list("severity", flat=True))
    if audit.result != Audit.Result.FAIL and Finding.Severity.CRITICAL not in severities:
        return
    # Propose only what can be done: a prospect, or a supplier already on hold, cannot be put on hold.
    if Stage.ON_HOLD not in TRANSITIONS[audit.supplier.stage]:
        return
    reason = _("Critical finding") if Finding.Severity.CRITICAL in severities else _("Failed audit")
    proposal, created = HoldProposal.objects.get_or_create(
        audit=audit, defaults={"supplier_id": audit.supplier_id, "reason": f"{reason}: {audit}"}
    )
    if created:
        activity_record(
            supplier=audit.supplier_id,
            actor=by,
            verb=_("Hold proposed"),
            detail=proposal.reason,
            url=audit.get_absolute_url(),
        )


@transaction.atomic
def audit_complete(
    *,
    audit: Audit,
    by: User,
    performed_on: date,
    scores: dict[int, tuple[int | None, str]] | None = None,
    summary: str = "",
    report=None,
) -> Audit:
    """Record that an audit was performed: checklist scores, summary, report; the result follows.

    `scores` maps a checklist question id to (score 0–5 or None for not applicable, note).
    """
    _require(by, "audit.edit")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status != Audit.Status.PLANNED:
        raise ValidationError(_("This audit is %(status)s.") % {"status": audit.get_status_display()})
    if performed_on > timezone.localdate():
        raise ValidationError({"performed_on": _("An audit cannot be performed in the future.")})
    scores = scores or {}
    questions = {q.pk: q for q in ChecklistQuestion.objects.filter(section__template=audit.template_id)}
    unknown = set(scores) - set(questions)
    if unknown:
        raise ValidationError(_("Scores for questions not in this audit's checklist."))
    answers = []
    for question_id, (score, note) in scores.items():
        answer = AuditAnswer(audit=audit, question=questions[question_id], score=score, note=note or "")
        answer.full_clean(exclude=["audit"])
        answers.append(answer)
    if questions and not any(answer.score is not None for answer in answers):
        raise ValidationError(
            _("Score at least one checklist question; an audit with no scores cannot pass.")
        )
    AuditAnswer.objects.filter(audit=audit).delete()
    AuditAnswer.objects.bulk_create(answers)
    audit.score = audit_score(answers)
    audit.result = audit_result(
        score=audit.score, severities=set(audit.findings.values_list("severity", flat=True))
    )
    audit.status, audit.performed_on, audit.summary = Audit.Status.PERFORMED, performed_on, summary
    if report:
        audit.report = report
    audit.full_clean()
    audit.save()
    activity_record(
        supplier=audit.supplier_id,
        actor=by,
        verb=_("Audit performed"),
        detail=f"{audit.get_audit_type_display()}: {audit.get_result_display()}"
        + (f" ({audit.score} %)" if audit.score is not None else ""),
        url=audit.get_absolute_url(),
    )
    _propose_hold_if_needed(audit, by)
    return audit


@transaction.atomic
def audit_cancel(*, audit: Audit, by: User) -> Audit:
    """Cancel a planned audit."""
    _require(by, "audit.edit")
    won = Audit.objects.filter(pk=audit.pk, status=Audit.Status.PLANNED).update(status=Audit.Status.CANCELLED)
    if not won:
        raise ValidationError(_("Only a planned audit can be cancelled."))
    audit.refresh_from_db()
    return audit


@transaction.atomic
def finding_add(
    *, audit: Audit, by: User, severity: str, description: str, clause: str = "", evidence=None
) -> Finding:
    """Record a finding of an audit; on a performed audit the result is worked out again."""
    _require(by, "audit.edit")
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    if audit.status == Audit.Status.CANCELLED:
        raise ValidationError(_("This audit was cancelled."))
    finding = Finding(
        audit=audit, supplier_id=audit.supplier_id, severity=severity, clause=clause, description=description
    )
    if evidence:
        finding.evidence = evidence
    finding.full_clean()
    finding.save()
    if audit.status == Audit.Status.PERFORMED:
        audit.result = audit_result(
            score=audit.score, severities=set(audit.findings.values_list("severity", flat=True))
        )
        audit.save(update_fields=["result"])
        _propose_hold_if_needed(audit, by)
    return finding


@transaction.atomic
def hold_decide(*, proposal: HoldProposal, by: User, accept: bool, note: str) -> HoldProposal:
    """Put the supplier on hold (through the stage service) or dismiss the proposal; either way recorded."""
    _require(by, "hold.decide")
    if not note.strip():
        raise ValidationError({"note": _("Write down the reason for the decision.")})
    proposal = HoldProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != HoldProposal.Status.PROPOSED:
        raise ValidationError(_("This proposal was already decided."))
    if accept:
        supplier_change_stage(
            supplier=proposal.supplier,
            to_stage=Stage.ON_HOLD,
            by=by,
            reason=f"{proposal.reason}. {note.strip()}",
        )
    proposal.status = HoldProposal.Status.ACCEPTED if accept else HoldProposal.Status.DISMISSED
    proposal.decided_by, proposal.decided_at, proposal.decision_note = by, timezone.now(), note.strip()
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    if not accept:
        activity_record(
            supplier=proposal.supplier_id, actor=by, verb=_("Hold proposal dismissed"), detail=note
        )
    return proposal


# --- Corrective actions ---------------------------------------------------------------------------------------


@transaction.atomic
def capa_raise(
    *,
    by: User,
    title: str,
    problem: str,
    due_on: date,
    finding: Finding | None = None,
    inspection: QCInspection | None = None,
    supplier: Supplier | None = None,
) -> CorrectiveAction:
    """Ask the supplier for a corrective action on a finding, a failed inspection, or another problem."""
    _require(by, "capa.edit")
    source = finding or inspection
    supplier_id = source.supplier_id if source else (supplier.pk if supplier else None)
    if supplier_id is None:
        raise ValidationError(_("Say which supplier the corrective action is for."))
    if supplier is not None and supplier.pk != supplier_id:
        raise ValidationError(_("The source belongs to another supplier."))
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date is in the past.")})
    action = CorrectiveAction(
        supplier_id=supplier_id,
        finding=finding,
        inspection=inspection,
        title=title,
        problem=problem,
        due_on=due_on,
        raised_by=by,
    )
    action.full_clean()
    action.save()
    activity_record(
        supplier=supplier_id,
        actor=by,
        verb=_("Corrective action requested"),
        detail=title,
        url=action.get_absolute_url(),
    )
    return action


@transaction.atomic
def capa_add_evidence(
    *, action: CorrectiveAction, by: User, file, note: str = ""
) -> CorrectiveActionEvidence:
    """Attach a file to a corrective action (either side)."""
    _require_own(by, action.supplier_id)
    if not by.is_portal_user:
        _require(by, "capa.edit")
    if action.status == CorrectiveAction.Status.VERIFIED:
        raise ValidationError(_("This corrective action is closed."))
    evidence = CorrectiveActionEvidence(
        action=action, supplier_id=action.supplier_id, file=file, note=note, uploaded_by=by
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def capa_submit(
    *,
    action: CorrectiveAction,
    by: User,
    supplier_owner: str,
    containment: str,
    root_cause: str,
    corrective_action: str,
    preventive_action: str,
) -> CorrectiveAction:
    """The supplier answers: containment, root cause, corrective and preventive action; QC verifies next."""
    _require_own(by, action.supplier_id)
    if not by.is_portal_user:
        _require(by, "capa.edit")
    answer = {
        "supplier_owner": supplier_owner,
        "containment": containment,
        "root_cause": root_cause,
        "corrective_action": corrective_action,
        "preventive_action": preventive_action,
    }
    missing = {name: _("This field is required.") for name, value in answer.items() if not value.strip()}
    if missing:
        raise ValidationError(missing)
    won = CorrectiveAction.objects.filter(
        pk=action.pk, status__in=[CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REJECTED]
    ).update(
        status=CorrectiveAction.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=by,
        **{k: v.strip() for k, v in answer.items()},
    )
    if not won:
        raise ValidationError(_("This corrective action is not waiting for an answer."))
    action.refresh_from_db()
    activity_record(
        supplier=action.supplier_id,
        actor=by,
        verb=_("Corrective action answered"),
        detail=action.title,
        url=action.get_absolute_url(),
    )
    return action


@transaction.atomic
def capa_verify(*, action: CorrectiveAction, by: User, accept: bool, note: str = "") -> CorrectiveAction:
    """QC verifies the answer (closing the action) or rejects it with a note (the supplier answers again)."""
    _require(by, "capa.edit")
    if not accept and not note.strip():
        raise ValidationError({"note": _("Say what is missing; the supplier sees this note.")})
    status = CorrectiveAction.Status.VERIFIED if accept else CorrectiveAction.Status.REJECTED
    won = CorrectiveAction.objects.filter(pk=action.pk, status=CorrectiveAction.Status.SUBMITTED).update(
        status=status, verified_by=by, verified_at=timezone.now(), verification_note=note.strip()
    )
    if not won:
        raise ValidationError(_("Only a submitted corrective action can be verified or rejected."))
    action.refresh_from_db()
    verb = _("Corrective action verified") if accept else _("Corrective action rejected")
    activity_record(
        supplier=action.supplier_id, actor=by, verb=verb, detail=action.title, url=action.get_absolute_url()
    )
    return action
