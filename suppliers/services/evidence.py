"""Every write on the evidence gathered while vetting: contacts, certifications, references, capacity
assessments and contracts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require

from ..models import (
    ActivityKind,
    CapacityAssessment,
    Certification,
    ClientReference,
    Contact,
    Contract,
    Supplier,
)
from ..triggers import red_flags_request_check
from .suppliers import _save
from .timeline import activity_record


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
    from ..invitations import contact_portal_access_end  # invitations imports this module's models only

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
    red_flags_request_check(
        supplier.pk
    )  # a new assessment renews the capacity re-assessment a policy asks for
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
