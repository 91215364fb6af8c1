"""Reads of the quality app; every one starts from visible_to(user)."""

from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from core.clock import business_today
from core.dates import add_months
from core.filters import exact_filters
from suppliers.models import ACTIVE_STAGES

from .models import (
    Audit,
    BatchTest,
    ChecklistQuestion,
    CorrectiveAction,
    CorrectiveActionEvidence,
    Finding,
    HoldProposal,
    QCInspection,
    VerificationPolicy,
    VisitCadence,
    VisitNote,
    VisitPerson,
)


def inspection_list(*, user: User, filters: dict | None = None) -> QuerySet[QCInspection]:
    """Return inspections newest first, filtered by supplier, checkpoint or result."""
    filters = filters or {}
    queryset = QCInspection.objects.visible_to(user).select_related("supplier", "order", "inspector")
    queryset = queryset.filter(**exact_filters(QCInspection, filters, ("supplier", "checkpoint", "result")))
    return queryset.order_by("-inspected_on", "-pk")


def inspection_get(*, user: User, pk: int) -> QCInspection:
    """Return one inspection the user may see, or 404."""
    return get_object_or_404(
        QCInspection.objects.visible_to(user).select_related("supplier", "order", "delivery", "inspector"),
        pk=pk,
    )


def batch_test_list(*, user: User, supplier_id: int | None = None) -> QuerySet[BatchTest]:
    """Return lab reports, those waiting for review first."""
    queryset = BatchTest.objects.visible_to(user).select_related(
        "supplier", "order", "uploaded_by", "reviewed_by"
    )
    if supplier_id:
        queryset = queryset.filter(supplier_id=supplier_id)
    return queryset.order_by("-review", "-tested_on", "-pk")


def audit_list(*, user: User, filters: dict | None = None) -> QuerySet[Audit]:
    """Return audits with their finding counts by severity."""
    filters = filters or {}
    queryset = (
        Audit.objects.visible_to(user)
        .select_related("supplier", "lead_auditor")
        .annotate(
            critical=Count("findings", filter=Q(findings__severity="critical")),
            major=Count("findings", filter=Q(findings__severity="major")),
            minor=Count("findings", filter=Q(findings__severity="minor")),
        )
    )
    queryset = queryset.filter(**exact_filters(Audit, filters, ("supplier", "status", "audit_type")))
    return queryset.order_by("-planned_on", "-pk")


def audit_get(*, user: User, pk: int) -> Audit:
    """Return one audit the user may see (never a planned unannounced one for a factory contact), or 404."""
    return get_object_or_404(
        Audit.objects.visible_to(user).select_related("supplier", "lead_auditor", "template", "follows_up"),
        pk=pk,
    )


def audit_findings(*, user: User, audit: Audit) -> QuerySet[Finding]:
    """Return an audit's findings with their corrective actions."""
    return (
        Finding.objects.visible_to(user)
        .filter(audit=audit)
        .prefetch_related(Prefetch("corrective_actions", queryset=CorrectiveAction.objects.order_by("pk")))
    )


def audit_checklist(*, audit: Audit) -> list[dict]:
    """Return the audit's checklist as sections of questions with the scores given (two queries)."""
    if audit.template_id is None:
        return []
    answers = {a.question_id: a for a in audit.answers.all()}
    sections: dict[int, dict] = {}
    questions = ChecklistQuestion.objects.filter(section__template=audit.template_id).select_related(
        "section"
    )
    for question in questions.order_by("section__position", "section_id", "position", "pk"):
        section = sections.setdefault(question.section_id, {"title": question.section.title, "questions": []})
        section["questions"].append({"question": question, "answer": answers.get(question.pk)})
    return list(sections.values())


def capa_list(*, user: User, filters: dict | None = None) -> QuerySet[CorrectiveAction]:
    """Return corrective actions, soonest due first."""
    filters = filters or {}
    queryset = CorrectiveAction.objects.visible_to(user).select_related(
        "supplier", "finding__audit", "inspection"
    )
    queryset = queryset.filter(**exact_filters(CorrectiveAction, filters, ("supplier", "status")))
    return queryset.order_by("due_on", "pk")


def capa_get(*, user: User, pk: int) -> CorrectiveAction:
    """Return one corrective action the user may see, or 404."""
    return get_object_or_404(
        CorrectiveAction.objects.visible_to(user).select_related(
            "supplier", "finding__audit", "inspection", "raised_by", "submitted_by", "verified_by"
        ),
        pk=pk,
    )


def capa_evidence(*, user: User, action: CorrectiveAction) -> QuerySet[CorrectiveActionEvidence]:
    """Return the files attached to a corrective action."""
    return (
        CorrectiveActionEvidence.objects.visible_to(user).filter(action=action).select_related("uploaded_by")
    )


def hold_proposals_open(*, user: User) -> QuerySet[HoldProposal]:
    """Return proposals to put a supplier on hold that nobody decided yet."""
    return (
        HoldProposal.objects.visible_to(user)
        .filter(status=HoldProposal.Status.PROPOSED)
        .select_related("supplier", "audit")
    )


def visit_people(*, user: User, audit: Audit) -> QuerySet:
    """Return the people met on the factory side during an audit's visit."""
    return VisitPerson.objects.visible_to(user).filter(audit=audit).order_by("role", "pk")


def visit_notes(*, user: User, audit: Audit) -> QuerySet:
    """Return the challenges, ideas and follow-ups of a visit (a factory contact: the shared ones)."""
    return (
        VisitNote.objects.visible_to(user)
        .filter(audit=audit)
        .select_related("added_by")
        .order_by("kind", "due_on", "pk")
    )


def visit_due_on(*, last_visit: date | None, created_at: datetime, every_months: int) -> date:
    """Return the day a supplier's next on-site visit falls due: `every_months` after its last performed audit,
    or, never visited, after the supplier was created (a supplier known for longer than the cadence without a
    visit is due at once). The one definition the Visits due list, the visit_due red flag and the bench share."""
    # Never visited: the cadence runs from the day it was created, on the business calendar.
    return add_months(last_visit or business_today(created_at), every_months)


def visits_due(*, user: User | None, today: date, supplier_ids=None, system: bool = False) -> list[dict]:
    """Return the active suppliers (ACTIVE_STAGES) whose visit cadence has run out since their last performed audit
    (never visited: since they were created), most overdue first (one query). `system=True` is for the red-flag
    rules, which act for nobody in particular; `supplier_ids` narrows it to some suppliers."""
    base = VisitCadence.objects.all() if system else VisitCadence.objects.visible_to(user)
    base = base.filter(supplier__stage__in=ACTIVE_STAGES)  # the suppliers watched: the flag's and the list's
    if supplier_ids is not None:
        base = base.filter(supplier_id__in=list(supplier_ids))
    cadences = base.select_related("supplier").annotate(
        last_visit=Max(
            "supplier__audits__performed_on", filter=Q(supplier__audits__status=Audit.Status.PERFORMED)
        )
    )
    due = []
    for cadence in cadences.order_by():
        due_on = visit_due_on(
            last_visit=cadence.last_visit,
            created_at=cadence.supplier.created_at,
            every_months=cadence.every_months,
        )
        if due_on <= today:
            due.append(
                {
                    "supplier": cadence.supplier,
                    "last_visit": cadence.last_visit,
                    "due_on": due_on,
                    "every_months": cadence.every_months,
                }
            )
    return sorted(due, key=lambda row: (row["due_on"], row["supplier"].name, row["supplier"].pk))


def visit_cadence_get(*, user: User, supplier, today: date) -> dict:
    """Return a supplier's visit cadence (None when it has none), its last performed audit and when the next visit
    falls due (visit_due_on, the Visits due list's definition)."""
    cadence = VisitCadence.objects.visible_to(user).filter(supplier=supplier).first()
    last_visit = Audit.objects.filter(supplier=supplier, status=Audit.Status.PERFORMED).aggregate(
        last=Max("performed_on")
    )["last"]
    due_on = None
    if cadence is not None:
        due_on = visit_due_on(
            last_visit=last_visit, created_at=supplier.created_at, every_months=cadence.every_months
        )
    return {
        "every_months": cadence.every_months if cadence else None,
        "last_visit": last_visit,
        "due_on": due_on,
        "overdue": due_on is not None and due_on <= today,
    }


def verification_policy_list(*, user: User) -> QuerySet[VerificationPolicy]:
    """Return every verification policy, default ones first within a tier (staff only: none for a factory)."""
    if not getattr(user, "is_staff_member", False):  # a factory contact, or no one signed in
        return VerificationPolicy.objects.none()
    return VerificationPolicy.objects.select_related("category").order_by("risk_tier", "category__name", "pk")
