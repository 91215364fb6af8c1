"""Writes of scorecard contests: the factory opens one on its own row; a manager accepts or rejects it.

An accepted contest excuses the row through the row's own app (orders' delivery_excuse, audits' inspection_excuse
or inspection_correct_defectives, communications' issue_excuse), which asks for the supplier's KPI rows and red
flags to be evaluated again (suppliers.triggers.red_flags_request_check), exactly as a disruption's excuse does.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from audits import services as audit_services
from audits.models import QCInspection
from communications import services as communication_services
from communications.models import Side, SupplierIssue
from core.clock import business_today
from core.workflow_events import workflow_emit
from orders import services as order_services
from orders.models import Delivery

from .models import REASON_MAX_LENGTH, RowContest

DECIDE_CAPABILITY = "delivery.excuse"  # whoever may excuse a delivery decides contests (managers)
ROW_MODELS = {
    RowContest.Kind.DELIVERY: Delivery,
    RowContest.Kind.INSPECTION: QCInspection,
    RowContest.Kind.ISSUE: SupplierIssue,
}


def _text(value: str, *, field: str, missing: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: missing})
    if len(value) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                field: _("Keep it under %(n)s characters; attach the details as evidence.")
                % {"n": REASON_MAX_LENGTH}
            }
        )
    return value


def contestable_row(*, user: User, kind: str, pk):
    """Return the factory's own delivery, inspection or issue of that kind; 404 for any other (another supplier's,
    a draft order's, a missing one), exactly like the portal's other pages."""
    model = ROW_MODELS.get(kind)
    if model is None or not (user.is_portal_user and user.supplier_id):
        raise Http404
    rows = model.objects.filter(supplier_id=user.supplier_id)
    if model is Delivery:
        rows = rows.portal_only()  # a draft order's delivery is hidden from the factory and counts nowhere
    try:
        return rows.get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def _check_contestable(kind: str, row) -> None:
    """Refuse a row that counts nothing against the factory (on time, no defect, the factory's own issue) or that
    is excused already."""
    if row.excused_at is not None:
        raise ValidationError(_("This row is already excused; it does not count against you."))
    if kind == RowContest.Kind.DELIVERY and not row.is_late(business_today()):
        raise ValidationError(_("This delivery is not late; there is nothing to contest."))
    if kind == RowContest.Kind.INSPECTION and row.counted_defective_units == 0:
        raise ValidationError(_("This inspection found no defective unit; there is nothing to contest."))
    if kind == RowContest.Kind.ISSUE and row.raised_by_side != Side.BUYER:
        raise ValidationError(_("Only your response time to our issues counts on your scorecard."))


@transaction.atomic
def row_contest_open(*, by: User, kind: str, row_id, reason: str, evidence=None) -> RowContest:
    """Contest one of the factory's own rows behind its scorecard, with a reason and optional evidence."""
    if not by.is_portal_user:
        raise PermissionDenied(_("The factory contests its own rows; staff excuse a row directly."))
    row = contestable_row(user=by, kind=kind, pk=row_id)
    ROW_MODELS[kind].objects.select_for_update().filter(pk=row.pk).first()  # one contest at a time per row
    reason = _text(reason, field="reason", missing=_("Say why this row should not count against you."))
    _check_contestable(kind, row)
    if RowContest.objects.open().filter(**{kind: row}).exists():
        raise ValidationError(_("This row is already contested; the decision will be shown here."))
    contest = RowContest(supplier_id=row.supplier_id, kind=kind, reason=reason, opened_by=by, **{kind: row})
    if evidence:
        contest.evidence = evidence
    contest.full_clean(exclude=["supplier", "delivery", "inspection", "issue", "opened_by"])
    try:
        with transaction.atomic():
            contest.save()
    except IntegrityError as exc:  # a second browser won the race
        raise ValidationError(_("This row is already contested; the decision will be shown here.")) from exc
    workflow_emit("row_contest_opened", contest=contest)
    return contest


def _lock_open(contest: RowContest) -> RowContest:
    contest = RowContest.objects.select_for_update().select_related("supplier").get(pk=contest.pk)
    if not contest.is_open:
        raise ValidationError(_("This contest was already decided."))
    return contest


@transaction.atomic
def row_contest_accept(
    *,
    contest: RowContest,
    by: User,
    note: str,
    outcome: str = RowContest.Outcome.EXCUSED,
    corrected_defective_units: int | None = None,
) -> RowContest:
    """Accept a contest: the row is excused from its KPI (or, for an inspection, its defective count corrected),
    recorded with who and why; the stored KPI rows and red flags follow."""
    require_capability(by, DECIDE_CAPABILITY)
    note = _text(note, field="note", missing=_("Say why the contest is accepted; the factory sees it."))
    contest = _lock_open(contest)
    if outcome not in RowContest.Outcome.values:
        raise ValidationError({"outcome": _("Choose whether the row is excused or its count corrected.")})
    if outcome == RowContest.Outcome.CORRECTED and contest.kind != RowContest.Kind.INSPECTION:
        raise ValidationError({"outcome": _("Only an inspection's defective count can be corrected.")})
    if contest.kind == RowContest.Kind.DELIVERY:
        order_services.delivery_excuse(delivery=contest.delivery, by=by, reason=note, contest_accepted=True)
    elif contest.kind == RowContest.Kind.ISSUE:
        communication_services.issue_excuse(issue=contest.issue, by=by, reason=note)
    elif outcome == RowContest.Outcome.CORRECTED:
        if corrected_defective_units is None:
            raise ValidationError({"corrected_defective_units": _("Enter the corrected defective count.")})
        audit_services.inspection_correct_defectives(
            inspection=contest.inspection, by=by, defective_units=corrected_defective_units, reason=note
        )
        contest.corrected_defective_units = corrected_defective_units
    else:
        audit_services.inspection_excuse(inspection=contest.inspection, by=by, reason=note)
    contest.status, contest.outcome = RowContest.Status.ACCEPTED, outcome
    contest.decided_by, contest.decided_at, contest.decision_note = by, timezone.now(), note
    contest.save(
        update_fields=[
            "status",
            "outcome",
            "corrected_defective_units",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
    )
    workflow_emit("row_contest_decided", contest=contest)
    return contest


@transaction.atomic
def row_contest_reject(*, contest: RowContest, by: User, note: str) -> RowContest:
    """Reject a contest with a reason the factory sees; the row keeps counting."""
    require_capability(by, DECIDE_CAPABILITY)
    note = _text(note, field="note", missing=_("Say why the contest is rejected; the factory sees it."))
    contest = _lock_open(contest)
    contest.status = RowContest.Status.REJECTED
    contest.decided_by, contest.decided_at, contest.decision_note = by, timezone.now(), note
    contest.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    workflow_emit("row_contest_decided", contest=contest)
    return contest
