"""Audits: plan, complete with checklist scores and findings, cancel; a hold proposed when one fails."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.workflow_events import workflow_emit
from suppliers.lifecycle import TRANSITIONS
from suppliers.models import ActivityKind, Stage, Supplier
from suppliers.services import activity_record, supplier_change_stage
from suppliers.triggers import red_flags_request_check

from ..models import (
    Audit,
    AuditAnswer,
    ChecklistQuestion,
    Finding,
    HoldProposal,
)

# Score thresholds for an audit's result; any critical finding fails it, any major finding caps it at conditional.
PASS_SCORE, CONDITIONAL_SCORE = Decimal("85"), Decimal("70")


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
        target=audit,
        kind=ActivityKind.AUDIT_PLANNED,
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
            target=audit,
            kind=ActivityKind.HOLD_PROPOSED,
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
        target=audit,
        kind=ActivityKind.AUDIT_PERFORMED,
        detail=f"{audit.get_audit_type_display()}: {audit.get_result_display()}"
        + (f" ({audit.score} %)" if audit.score is not None else ""),
        url=audit.get_absolute_url(),
    )
    _propose_hold_if_needed(audit, by)
    # A performed audit is a site visit (the visit_due flag resolves; the no-contact rule sees the contact) and
    # renews the evidence a verification policy asks for.
    red_flags_request_check(audit.supplier_id)
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
    workflow_emit("finding_raised", finding=finding, by=by)
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
            supplier=proposal.supplier_id,
            actor=by,
            target=proposal,
            kind=ActivityKind.HOLD_DISMISSED,
            detail=note,
        )
    return proposal
