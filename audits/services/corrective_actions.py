"""Corrective actions (SCAR/CAPA): raised, answered by the factory with evidence, verified or sent back."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from core.events import EventType, event_emit
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record
from suppliers.triggers import red_flags_request_check

from ..models import (
    CorrectiveAction,
    CorrectiveActionEvidence,
    Finding,
    QCInspection,
)

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
        target=action,
        kind=ActivityKind.CAPA_REQUESTED,
        detail=title,
        url=action.get_absolute_url(),
    )
    event_emit(EventType.CORRECTIVE_ACTION_STATE, action, state=action.status)
    red_flags_request_check(supplier_id)
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
        target=action,
        kind=ActivityKind.CAPA_ANSWERED,
        detail=action.title,
        url=action.get_absolute_url(),
    )
    event_emit(EventType.CORRECTIVE_ACTION_STATE, action, state=action.status)
    red_flags_request_check(action.supplier_id)
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
    kind = ActivityKind.CAPA_VERIFIED if accept else ActivityKind.CAPA_REJECTED
    activity_record(
        supplier=action.supplier_id,
        actor=by,
        target=action,
        kind=kind,
        detail=action.title,
        url=action.get_absolute_url(),
    )
    event_emit(EventType.CORRECTIVE_ACTION_STATE, action, state=action.status)
    red_flags_request_check(action.supplier_id)
    return action
