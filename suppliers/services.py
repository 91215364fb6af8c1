"""Every write on suppliers and their vetting evidence."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from core.leases import unsent_deliver

from . import selectors
from .gates import evaluate_gates
from .lifecycle import MANAGER_APPROVAL_STAGES, TRANSITIONS
from .models import (
    Activity,
    ActivityKind,
    CapacityAssessment,
    Certification,
    CertificationReminder,
    ClientReference,
    Contact,
    Contract,
    Stage,
    StageChange,
    Supplier,
)
from .timezones import country_timezone
from .triggers import red_flags_request_check


def activity_record(
    *,
    supplier: Supplier | int,
    actor: User | None,
    kind: str,
    target: models.Model | None = None,
    detail: str = "",
    url: str = "",
) -> Activity:
    """Add a line to a supplier's activity timeline: what happened (`kind`) to which row (`target`)."""
    supplier_id = supplier if isinstance(supplier, int) else supplier.pk
    return Activity.objects.create(
        supplier_id=supplier_id,
        actor=actor,
        kind=kind,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=target.pk if target is not None else None,
        detail=str(detail)[:300],
        url=url,
    )


def _save(instance, *, fields: dict, exclude_clean: Iterable[str] = ()) -> None:
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(exclude_clean))
    instance.save()


# --- Suppliers ------------------------------------------------------------------------------------------------


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
    _save(supplier, fields=fields)
    if categories is not None:
        supplier.categories.set(categories)
    activity_record(supplier=supplier, actor=by, target=supplier, kind=ActivityKind.PROFILE_UPDATED)
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
    red_flags_request_check(supplier.pk)
    return change


# --- Contacts -------------------------------------------------------------------------------------------------


@transaction.atomic
def contact_save(*, supplier: Supplier, by: User, contact: Contact | None = None, **fields) -> Contact:
    """Create or update a supplier contact; one primary contact per supplier."""
    if not by.is_portal_user:
        _require(by, "contact.edit")
    elif by.supplier_id != supplier.pk:
        raise PermissionDenied
    created = contact is None
    contact = contact or Contact(supplier=supplier)
    _save(contact, fields=fields)
    if contact.is_primary:
        supplier.contacts.exclude(pk=contact.pk).filter(is_primary=True).update(is_primary=False)
    kind = ActivityKind.CONTACT_ADDED if created else ActivityKind.CONTACT_UPDATED
    activity_record(supplier=supplier, actor=by, target=contact, kind=kind, detail=contact.name)
    return contact


@transaction.atomic
def contact_deactivate(*, contact: Contact, by: User) -> Contact:
    """Mark a contact as no longer at the supplier (kept for the record)."""
    from .invitations import contact_portal_access_end  # invitations imports this module's models only

    _require(by, "contact.edit")
    contact.is_active, contact.is_primary = False, False
    contact.save(update_fields=["is_active", "is_primary"])
    activity_record(
        supplier=contact.supplier_id,
        actor=by,
        target=contact,
        kind=ActivityKind.CONTACT_LEFT,
        detail=contact.name,
    )
    # Someone who left the company keeps no way into its portal: account off, sessions and tokens ended.
    contact_portal_access_end(contact=contact, by=by)
    return contact


# --- Certifications -------------------------------------------------------------------------------------------


@transaction.atomic
def certification_create(*, supplier: Supplier, by: User, verified: bool = False, **fields) -> Certification:
    """Record a certificate. Staff may verify it at once; one from the portal waits for staff to verify."""
    if by.is_portal_user:
        if by.supplier_id != supplier.pk:
            raise PermissionDenied
        verified = False
        replaces = fields.get("replaces")
        if replaces is not None and replaces.supplier_id != supplier.pk:
            raise ValidationError({"replaces": _("That certificate is not one of yours.")})
    else:
        _require(by, "certification.edit")
    cert = Certification(supplier=supplier, submitted_by=by, submitted_at=timezone.now())
    if verified:
        fields.update(status=Certification.Status.VERIFIED, verified_by=by, verified_at=timezone.now())
    _save(cert, fields=fields)
    kind = ActivityKind.CERTIFICATE_SUBMITTED if by.is_portal_user else ActivityKind.CERTIFICATE_ADDED
    activity_record(supplier=supplier, actor=by, target=cert, kind=kind, detail=str(cert))
    red_flags_request_check(supplier.pk)
    return cert


@transaction.atomic
def certification_update(*, certification: Certification, by: User, **fields) -> Certification:
    """Correct a certificate's details (staff)."""
    _require(by, "certification.edit")
    for protected in ("status", "verified_by", "verified_at", "supplier"):
        fields.pop(protected, None)
    _save(certification, fields=fields)
    activity_record(
        supplier=certification.supplier_id,
        actor=by,
        target=certification,
        kind=ActivityKind.CERTIFICATE_UPDATED,
        detail=str(certification),
    )
    red_flags_request_check(certification.supplier_id)
    return certification


@transaction.atomic
def certification_review(
    *, certification: Certification, by: User, approve: bool, note: str = ""
) -> Certification:
    """Verify or reject a pending certificate, with a note that the supplier sees."""
    _require(by, "certification.verify")
    # A conditional update: of two reviewers clicking at once, exactly one wins.
    status = Certification.Status.VERIFIED if approve else Certification.Status.REJECTED
    if not approve and not note.strip():
        raise ValidationError(
            {"note": _("Say why the certificate is rejected; the supplier sees this note.")}
        )
    won = Certification.objects.filter(pk=certification.pk, status=Certification.Status.PENDING).update(
        status=status, verified_by=by, verified_at=timezone.now(), review_note=note.strip()
    )
    if not won:
        raise ValidationError(_("This certificate was already reviewed."))
    certification.refresh_from_db()
    kind = ActivityKind.CERTIFICATE_VERIFIED if approve else ActivityKind.CERTIFICATE_REJECTED
    activity_record(
        supplier=certification.supplier_id,
        actor=by,
        target=certification,
        kind=kind,
        detail=str(certification),
    )
    red_flags_request_check(certification.supplier_id)
    return certification


# --- References, assessments, contracts -----------------------------------------------------------------------


@transaction.atomic
def reference_save(
    *, supplier: Supplier, by: User, reference: ClientReference | None = None, **fields
) -> ClientReference:
    """Create or update a client reference; recording an outcome stamps who checked it."""
    _require(by, "reference.edit")
    created = reference is None
    reference = reference or ClientReference(supplier=supplier)
    if fields.get("outcome") and fields.get("checked_on") and reference.checked_by_id is None:
        fields["checked_by"] = by
    _save(reference, fields=fields)
    kind = ActivityKind.REFERENCE_ADDED if created else ActivityKind.REFERENCE_UPDATED
    detail = reference.company + (f" — {reference.get_outcome_display()}" if reference.outcome else "")
    activity_record(supplier=supplier, actor=by, target=reference, kind=kind, detail=detail)
    return reference


@transaction.atomic
def assessment_save(
    *, supplier: Supplier, by: User, assessment: CapacityAssessment | None = None, **fields
) -> CapacityAssessment:
    """Create or update a capacity and financial assessment."""
    _require(by, "assessment.edit")
    created = assessment is None
    assessment = assessment or CapacityAssessment(supplier=supplier)
    fields.setdefault("assessed_by", assessment.assessed_by if assessment.assessed_by_id else by)
    _save(assessment, fields=fields)
    kind = ActivityKind.CAPACITY_ASSESSED if created else ActivityKind.ASSESSMENT_UPDATED
    activity_record(
        supplier=supplier,
        actor=by,
        target=assessment,
        kind=kind,
        detail=_("financial risk %(risk)s") % {"risk": assessment.get_financial_risk_display()},
    )
    return assessment


@transaction.atomic
def contract_save(*, supplier: Supplier, by: User, contract: Contract | None = None, **fields) -> Contract:
    """Create or update a contract (every version is kept in its history)."""
    _require(by, "contract.edit")
    created = contract is None
    contract = contract or Contract(supplier=supplier)
    _save(contract, fields=fields)
    kind = ActivityKind.CONTRACT_ADDED if created else ActivityKind.CONTRACT_UPDATED
    activity_record(supplier=supplier, actor=by, target=contract, kind=kind, detail=contract.title)
    return contract


# --- Reminders ------------------------------------------------------------------------------------------------


def _threshold_for(days_left: int) -> str | None:
    if days_left < 0:
        return CertificationReminder.Threshold.EXPIRED
    if days_left <= 7:
        return CertificationReminder.Threshold.DAYS_7
    if days_left <= 30:
        return CertificationReminder.Threshold.DAYS_30
    return None


def certification_reminders_send(*, today: date, now: datetime | None = None) -> int:
    """Record a reminder for each certificate that crossed an expiry threshold, then email what is due.

    The reminder row (unique per certificate and threshold) is written first, so running this twice, even at
    once, records each threshold once; it is the outbox entry, marked sent only after the mail server accepted
    the owner's email (certification_reminders_deliver). Returns how many reminders this call emailed.
    """
    for cert in selectors.certifications_expiring(user=None, today=today, system=True):
        threshold = _threshold_for((cert.valid_until - today).days)
        if threshold is not None:
            with transaction.atomic():
                CertificationReminder.objects.get_or_create(certification=cert, threshold=threshold)
    return certification_reminders_deliver(now=now or timezone.now())


def certification_reminders_deliver(*, now: datetime) -> int:
    """Email each owner one message listing their unsent certificate reminders (the sweep calls this too)."""
    return unsent_deliver(
        CertificationReminder.objects.select_related("certification__supplier__owner"),
        now=now,
        kind="certification-reminders",
        recipient=lambda reminder: reminder.certification.supplier.owner,
        compose=_certification_reminders_email,
    )


def _certification_reminders_email(reminders) -> tuple[str, str]:
    lines = [
        f"- {r.certification.supplier.name}: {r.certification.standard_label} {r.certification.number} — "
        f"{CertificationReminder.Threshold(r.threshold).label} ({r.certification.valid_until:%Y-%m-%d})"
        for r in reminders
    ]
    return (
        _("Forgeline: %(n)s certificate(s) to renew") % {"n": len(reminders)},
        _("These certificates need a renewal from the supplier:") + "\n\n" + "\n".join(lines),
    )
