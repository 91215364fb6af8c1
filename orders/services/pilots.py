"""Pilot programmes: start one, and the manager's decision on it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from suppliers.models import ActivityKind, Stage, Supplier
from suppliers.services import activity_record

from ..models import PilotProgram
from .orders import _require_staff

PILOT_MIN_DAYS, PILOT_MAX_DAYS = 90, 184  # 3 to 6 months


# --- Pilot programmes -----------------------------------------------------------------------------------------


@transaction.atomic
def pilot_create(
    *, supplier: Supplier, by: User, name: str, starts_on: date, ends_on: date, **criteria
) -> PilotProgram:
    """Start a pilot programme of 3 to 6 months for a supplier in the pilot stage."""
    _require_staff(by)
    if supplier.stage != Stage.PILOT:
        raise ValidationError(_("Move the supplier to the pilot stage before starting a pilot programme."))
    length = (ends_on - starts_on).days
    if not PILOT_MIN_DAYS <= length <= PILOT_MAX_DAYS:
        raise ValidationError(
            {
                "ends_on": _("A pilot runs 3 to 6 months (90 to 184 days); this one is %(n)s days.")
                % {"n": length}
            }
        )
    if supplier.pilots.filter(
        status__in=[PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED]
    ).exists():
        raise ValidationError(_("This supplier already has a running pilot programme."))
    pilot = PilotProgram(supplier=supplier, name=name, starts_on=starts_on, ends_on=ends_on, **criteria)
    pilot.full_clean()
    pilot.save()
    activity_record(
        supplier=supplier,
        actor=by,
        target=pilot,
        kind=ActivityKind.PILOT_STARTED,
        detail=name,
        url=pilot.get_absolute_url(),
    )
    return pilot


@transaction.atomic
def pilot_decide(
    *, pilot: PilotProgram, by: User, decision: str, note: str, extend_to: date | None = None
) -> PilotProgram:
    """Close a pilot as passed or rejected, or extend it; a passed pilot opens the `approved` gate."""
    _require_staff(by, "pilot.decide")
    if decision not in (
        PilotProgram.Status.PASSED,
        PilotProgram.Status.REJECTED,
        PilotProgram.Status.EXTENDED,
    ):
        raise ValidationError({"decision": _("Choose pass, extend or reject.")})
    if not note.strip():
        raise ValidationError({"note": _("Write down what the decision rests on.")})
    pilot = PilotProgram.objects.select_for_update().get(pk=pilot.pk)
    if pilot.status not in (PilotProgram.Status.RUNNING, PilotProgram.Status.EXTENDED):
        raise ValidationError(_("This pilot programme is already closed."))
    fields = {
        "status": decision,
        "decided_by": by,
        "decided_at": timezone.now(),
        "decision_note": note.strip(),
    }
    if decision == PilotProgram.Status.EXTENDED:
        if extend_to is None or extend_to <= pilot.ends_on:
            raise ValidationError(
                {"extend_to": _("An extension needs a new end date after %(day)s.") % {"day": pilot.ends_on}}
            )
        if (extend_to - pilot.starts_on).days > PILOT_MAX_DAYS:
            raise ValidationError({"extend_to": _("A pilot runs at most 6 months in all.")})
        fields["ends_on"] = extend_to
    for name, value in fields.items():
        setattr(pilot, name, value)
    pilot.save(update_fields=list(fields))
    activity_record(
        supplier=pilot.supplier_id,
        actor=by,
        target=pilot,
        kind={
            PilotProgram.Status.PASSED: ActivityKind.PILOT_PASSED,
            PilotProgram.Status.EXTENDED: ActivityKind.PILOT_EXTENDED,
        }.get(pilot.status, ActivityKind.PILOT_REJECTED),
        detail=pilot.name,
        url=pilot.get_absolute_url(),
    )
    return pilot
