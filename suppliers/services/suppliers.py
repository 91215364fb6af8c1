"""Every write on a supplier's profile and its stage (through the vetting gates)."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.events import EventType, event_emit

from ..gates import evaluate_gates
from ..lifecycle import MANAGER_APPROVAL_STAGES, TRANSITIONS
from ..models import (
    ActivityKind,
    Stage,
    StageChange,
    Supplier,
)
from ..timezones import country_timezone
from ..triggers import red_flags_request_check
from .timeline import activity_record


def _save(instance, *, fields: dict, exclude_clean: Iterable[str] = ()) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(exclude_clean))
    instance.save()


@transaction.atomic
def supplier_create(*, by: User, categories: Iterable = (), **fields) -> Supplier:
    """Create a supplier as a prospect and record who added it."""
    _require(by, "supplier.edit")
    fields.pop("stage", None)  # every supplier starts as a prospect; stages move only through the service
    supplier = Supplier(stage=Stage.PROSPECT)
    fields.setdefault("owner", by)
    if not fields.get("timezone"):
        fields["timezone"] = country_timezone(fields.get("country"))
    _save(supplier, fields=fields)
    supplier.categories.set(categories)
    activity_record(
        supplier=supplier, actor=by, target=supplier, kind=ActivityKind.SUPPLIER_CREATED, detail=supplier.name
    )
    return supplier


@transaction.atomic
def supplier_update(
    *, supplier: Supplier, by: User, categories: Iterable | None = None, **fields
) -> Supplier:
    """Change a supplier's profile (not its stage: see supplier_change_stage)."""
    _require(by, "supplier.edit")
    fields.pop("stage", None)
    if fields.get("registration_number", supplier.registration_number) != supplier.registration_number:
        # A new number has not been checked against any registry yet.
        fields |= {
            "registration_registry": "",
            "registration_checked_at": None,
            "registration_checked_by": None,
        }
    _save(supplier, fields=fields)
    if categories is not None:
        supplier.categories.set(categories)
    activity_record(supplier=supplier, actor=by, target=supplier, kind=ActivityKind.PROFILE_UPDATED)
    red_flags_request_check(supplier.pk)  # its risk tier or categories choose its verification policy
    return supplier


@transaction.atomic
def supplier_registration_check_record(*, supplier: Supplier, by: User, registry: str) -> Supplier:
    """Record that `by` checked the supplier's registration number against a registry (name or address), now."""
    _require(by, "supplier.edit")
    registry = registry.strip()
    if not supplier.registration_number:
        raise ValidationError(_("Enter the registration number first, then record its check."))
    if not registry:
        raise ValidationError({"registry": _("Say which registry the number was checked against.")})
    supplier.registration_registry = registry
    supplier.registration_checked_at = timezone.now()
    supplier.registration_checked_by = by
    supplier.full_clean()
    supplier.save(
        update_fields=["registration_registry", "registration_checked_at", "registration_checked_by"]
    )
    activity_record(
        supplier=supplier,
        actor=by,
        target=supplier,
        kind=ActivityKind.PROFILE_UPDATED,
        detail=_("registration number %(number)s checked against %(registry)s")
        % {"number": supplier.registration_number, "registry": registry},
    )
    return supplier


@transaction.atomic
def supplier_change_stage(
    *,
    supplier: Supplier,
    to_stage: str,
    by: User,
    reason: str,
    waive: Iterable[str] = (),
    waiver_reason: str = "",
    today: date | None = None,
) -> StageChange:
    """Move a supplier to another stage after checking the evidence that stage needs.

    Missing evidence stops the move unless a manager waives that gate with a written reason; the checks,
    the waiver and its reason are recorded on the StageChange.
    """
    _require(by, "supplier.change_stage")
    today = today or timezone.localdate()
    # Lock the row: two people moving one supplier at once must not both pass from the same stage.
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    from_stage = supplier.stage
    waive = sorted(set(waive))
    reason, waiver_reason = reason.strip(), waiver_reason.strip()

    if to_stage not in Stage.values:
        raise ValidationError({"to_stage": _("Unknown stage.")})
    if to_stage not in TRANSITIONS[from_stage]:
        raise ValidationError(
            {
                "to_stage": _("A supplier cannot move from %(from)s to %(to)s.")
                % {"from": Stage(from_stage).label, "to": Stage(to_stage).label}
            }
        )
    if to_stage in MANAGER_APPROVAL_STAGES and not by.can("supplier.approve_stage"):
        raise PermissionDenied(
            _("Moving a supplier to %(stage)s needs a manager.") % {"stage": Stage(to_stage).label}
        )
    if not reason:
        raise ValidationError({"reason": _("Say why the supplier changes stage.")})

    results = evaluate_gates(supplier=supplier, stage=to_stage, today=today)
    failed = {result.code for result in results if not result.passed}
    if waive:
        if not by.can("supplier.waive_gate"):
            raise PermissionDenied(_("Only a manager may waive a vetting gate."))
        not_failing = set(waive) - failed
        if not_failing:
            raise ValidationError(
                {
                    "waive": _("Only a gate that is not met can be waived: %(codes)s.")
                    % {"codes": ", ".join(sorted(not_failing))}
                }
            )
        if not waiver_reason:
            raise ValidationError({"waiver_reason": _("A waiver needs a written reason.")})
    missing = [result for result in results if not result.passed and result.code not in waive]
    if missing:
        raise ValidationError(
            [
                _("Missing for %(stage)s: %(gate)s (%(detail)s).")
                % {"stage": Stage(to_stage).label, "gate": result.label, "detail": result.detail}
                for result in missing
            ]
        )

    now = timezone.now()
    supplier.stage, supplier.stage_changed_at = to_stage, now
    supplier.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    change = StageChange.objects.create(
        supplier=supplier,
        from_stage=from_stage,
        to_stage=to_stage,
        changed_by=by,
        changed_at=now,
        reason=reason,
        checks=[result.as_record() for result in results],
        waived=waive,
        waiver_reason=waiver_reason if waive else "",
    )
    detail = f"{Stage(from_stage).label} → {Stage(to_stage).label}"
    if waive:
        detail += " " + _("(waived: %(codes)s)") % {"codes": ", ".join(waive)}
    activity_record(
        supplier=supplier, actor=by, target=change, kind=ActivityKind.STAGE_CHANGED, detail=detail
    )
    event_emit(EventType.SUPPLIER_STAGE, supplier, state=to_stage, stage={"from": from_stage, "to": to_stage})
    red_flags_request_check(supplier.pk)
    return change
