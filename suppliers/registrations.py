"""Invited self-registration of a new factory: invite, fill the draft through the link, submit, ask for changes,
accept as a prospect; and the emails to the factory.

The link's token is never stored: it is an HMAC (with the project's secret key) of the registration's id and a
random nonce, as for portal invitations; the row keeps its SHA-256 for the lookup. The same link opens the draft
until the factory submits; after acceptance it no longer works (the factory's contact gets a portal invitation).
Every step that moves the status is a conditional UPDATE, so two clicks at once (two submits, two accepts) count
once, and accepting creates exactly one supplier.
"""

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from accounts.languages import offered_language
from accounts.models import User
from accounts.permissions import require_capability
from core.inputs import single_line
from core.leases import send_once
from core.queue import enqueue_on_commit

from .models import (
    ActivityKind,
    BankAccount,
    CapabilityClaim,
    Certification,
    ClientReference,
    Contact,
    Registration,
    RegistrationCapacity,
    RegistrationCertificate,
    RegistrationEmail,
    RegistrationReference,
    RegistrationSite,
    Supplier,
)
from .services.capability import capability_statement_save
from .services.evidence import certification_create
from .services.suppliers import _save, supplier_create
from .services.timeline import activity_record

REGISTRATION_LIFETIME = timedelta(days=30)
# After staff ask for changes the factory has at least this long to make them with the same link.
CHANGES_LIFETIME = timedelta(days=14)
TOKEN_SALT = "forgeline.factory-registration"

# What the factory may write on the registration itself (everything else is the staff's or the system's).
DRAFT_FIELDS = (
    "legal_name",
    "registration_number",
    "business_licence",
    "country",
    "city",
    "address",
    "website",
    "contact_name",
    "contact_title",
    "contact_phone",
    "moq",
    "lead_time_days",
    "main_equipment",
    "production_limitations",
    "qc_process_document",
    "bank_account_holder",
    "bank_name",
    "bank_swift",
    "bank_account_number",
    "bank_currency",
)
ITEM_MODELS = {
    "site": RegistrationSite,
    "capacity": RegistrationCapacity,
    "certificate": RegistrationCertificate,
    "reference": RegistrationReference,
}

logger = logging.getLogger(__name__)

# The communications app (above this one) registers the staff's notifications here from its ready():
# "submitted" is called with (registration=...) when a factory submits its registration.
_hooks: dict[str, list[Callable]] = {"submitted": []}


def register_registration_hook(event: str, hook: Callable) -> None:
    """Call `hook(registration=...)` on a registration event ("submitted"), once per hook."""
    if hook not in _hooks[event]:
        _hooks[event].append(hook)


class RegistrationUnusable(Exception):
    """A link that cannot be used: `reason` is "unknown" (tampered or never issued), "expired", "used" (the
    registration was accepted) or "revoked"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- Tokens -------------------------------------------------------------------------------------------------


def registration_token(registration: Registration) -> str:
    """Return the link token of a registration (recomputed from its id and nonce with the secret key)."""
    return salted_hmac(TOKEN_SALT, f"{registration.pk}:{registration.nonce}", algorithm="sha256").hexdigest()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def registration_url(registration: Registration) -> str:
    """Return the absolute link of a registration, as the emails hold it."""
    path = reverse("portal:registration", kwargs={"token": registration_token(registration)})
    return f"{settings.FORGELINE_BASE_URL}{path}"


def registration_for_token(*, token: str, now: datetime | None = None) -> Registration:
    """Return the registration a link opens, or raise RegistrationUnusable saying why not.

    A submitted registration is returned (its page says it waits for review); an accepted one is "used".
    """
    now = now or timezone.now()
    if not token or len(token) > 200:
        raise RegistrationUnusable("unknown")
    registration = Registration.objects.filter(token_hash=_hash(token)).first()
    if registration is None:
        raise RegistrationUnusable("unknown")
    if registration.status == Registration.Status.ACCEPTED:
        raise RegistrationUnusable("used")
    if registration.status == Registration.Status.REVOKED:
        raise RegistrationUnusable("revoked")
    if registration.display_status(now=now) == "expired":
        raise RegistrationUnusable("expired")
    return registration


# --- Staff: invite, ask for changes, accept, revoke ---------------------------------------------------------


@transaction.atomic
def registration_invite(
    *, company_name: str, email: str, by: User, language: str | None = None, now: datetime | None = None
) -> Registration:
    """Invite a new factory to register itself: an email in its language with a link valid 30 days."""
    now = now or timezone.now()
    require_capability(by, "supplier.edit")
    company_name = single_line(company_name)[:200]
    email = (email or "").strip().lower()
    errors = {}
    if not company_name:
        errors["company_name"] = _("Give the company's name.")
    elif Supplier.objects.filter(name__iexact=company_name).exists():
        errors["company_name"] = _("A supplier with this name already exists.")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("“%(email)s” is not a valid email address.") % {"email": email}
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = _("An account with this email address already exists.")
        elif Registration.objects.filter(
            email__iexact=email, status__in=[*Registration.EDITABLE, Registration.Status.SUBMITTED]
        ).exists():
            errors["email"] = _("This address already has a registration under way.")
    if errors:
        raise ValidationError(errors)
    registration = Registration(
        company_name=company_name,
        email=email,
        language=offered_language(language),
        nonce=secrets.token_hex(16),
        token_hash=secrets.token_hex(32),  # a placeholder until the id, which the token covers, is known
        expires_at=now + REGISTRATION_LIFETIME,
        invited_by=by,
        created_at=now,
        updated_at=now,
    )
    registration.save()
    registration.token_hash = _hash(registration_token(registration))
    registration.save(update_fields=["token_hash"])
    _email_queue(registration, RegistrationEmail.Kind.INVITATION, now)
    return registration


@transaction.atomic
def registration_resend(*, registration: Registration, by: User, now: datetime | None = None) -> Registration:
    """Email the factory a new link valid 30 days, keeping what it filled in; the previous link stops working."""
    now = now or timezone.now()
    require_capability(by, "supplier.edit")
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status not in Registration.EDITABLE:
        raise ValidationError(_("Only a registration the factory is still filling in can get a new link."))
    registration.nonce = secrets.token_hex(16)
    registration.token_hash = _hash(registration_token(registration))
    registration.expires_at = now + REGISTRATION_LIFETIME
    registration.updated_at = now
    registration.save(update_fields=["nonce", "token_hash", "expires_at", "updated_at"])
    _email_queue(registration, RegistrationEmail.Kind.INVITATION, now)
    return registration


@transaction.atomic
def registration_request_changes(
    *, registration: Registration, by: User, comment: str, now: datetime | None = None
) -> Registration:
    """Send a submitted registration back to the factory with a comment (emailed in its language)."""
    now = now or timezone.now()
    require_capability(by, "supplier.edit")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the factory should change; it reads this comment.")})
    won = Registration.objects.filter(pk=registration.pk, status=Registration.Status.SUBMITTED).update(
        status=Registration.Status.CHANGES_REQUESTED,
        reviewed_by=by,
        reviewed_at=now,
        review_comment=comment[:5000],
        expires_at=max(registration.expires_at, now + CHANGES_LIFETIME),
        updated_at=now,
    )
    if not won:
        raise ValidationError(_("Only a submitted registration can be sent back for changes."))
    registration.refresh_from_db()
    _email_queue(registration, RegistrationEmail.Kind.CHANGES_REQUESTED, now)
    return registration


@transaction.atomic
def registration_revoke(*, registration: Registration, by: User, now: datetime | None = None) -> Registration:
    """Stop a registration that is not accepted: its link no longer works."""
    now = now or timezone.now()
    require_capability(by, "supplier.edit")
    won = (
        Registration.objects.filter(pk=registration.pk)
        .exclude(status__in=[Registration.Status.ACCEPTED, Registration.Status.REVOKED])
        .update(status=Registration.Status.REVOKED, reviewed_by=by, reviewed_at=now, updated_at=now)
    )
    if not won:
        raise ValidationError(_("This registration is already accepted or revoked."))
    registration.refresh_from_db()
    return registration


@transaction.atomic
def registration_accept(*, registration: Registration, by: User, now: datetime | None = None) -> Supplier:
    """Create the prospect from a submitted registration, all at once; accepting it again returns the same one.

    The supplier, its primary contact, the categories it declared, its certificates (pending verification, as
    if uploaded in the portal), its client references (not yet checked) and its bank details are written in one
    transaction; the contact is then invited to the portal to choose a password.
    """
    from .invitations import contact_invite

    now = now or timezone.now()
    require_capability(by, "supplier.edit")
    # The conditional UPDATE decides which of two accepts does the work; the other returns its supplier.
    won = Registration.objects.filter(pk=registration.pk, status=Registration.Status.SUBMITTED).update(
        status=Registration.Status.ACCEPTED, reviewed_by=by, reviewed_at=now, updated_at=now
    )
    registration.refresh_from_db()
    if not won:
        if registration.status == Registration.Status.ACCEPTED and registration.supplier_id:
            return registration.supplier
        raise ValidationError(_("Only a submitted registration can be accepted."))
    capacities = list(registration.capacities.select_related("category"))
    supplier = supplier_create(
        by=by,
        categories=[capacity.category for capacity in capacities],
        name=registration.company_name,
        legal_name=registration.legal_name,
        registration_number=registration.registration_number,
        country=registration.country,
        city=registration.city,
        address=registration.address,
        website=registration.website,
        owner=registration.invited_by,
        notes=_capability_summary(registration, capacities),
    )
    registration.supplier = supplier
    registration.save(update_fields=["supplier"])
    # What the factory declared becomes its current capability statement (the "claimed" side of audits).
    capability_statement_save(
        supplier=supplier,
        by=by,
        source=CapabilityClaim.Source.REGISTRATION,
        capacities={capacity.category: (capacity.monthly_capacity, capacity.unit) for capacity in capacities},
        equipment=registration.main_equipment,
        now=now,
    )
    contact = Contact.objects.create(
        supplier=supplier,
        name=registration.contact_name or registration.company_name,
        title=registration.contact_title,
        role=Contact.Role.GENERAL_MANAGER,
        email=registration.email,
        phone=registration.contact_phone,
        language=registration.language,
        is_primary=True,
    )
    for declared in registration.certificates.all():
        document = None
        if declared.document:
            with declared.document.open("rb") as handle:
                document = ContentFile(handle.read(), name="certificate")
        certification = certification_create(
            supplier=supplier,
            by=by,
            verified=False,
            standard=declared.standard,
            standard_other=declared.standard_other,
            number=declared.number,
            issuer=declared.issuer,
            valid_from=declared.valid_from,
            valid_until=declared.valid_until,
            **({"document": document} if document else {}),
        )
        # Declared by the factory: it waits for verification like a certificate uploaded in the portal.
        Certification.objects.filter(pk=certification.pk).update(submitted_by=None, submitted_at=now)
    ClientReference.objects.bulk_create(
        ClientReference(
            supplier=supplier,
            company=declared.company,
            contact_name=declared.contact_name,
            contact_email=declared.contact_email,
            contact_phone=declared.contact_phone,
        )
        for declared in registration.references.all()
    )
    BankAccount.objects.create(
        supplier=supplier,
        account_holder=registration.bank_account_holder,
        bank_name=registration.bank_name,
        swift=registration.bank_swift,
        account_number=registration.bank_account_number,
        currency=registration.bank_currency,
        updated_at=now,
    )
    activity_record(
        supplier=supplier,
        actor=by,
        target=registration,
        kind=ActivityKind.REGISTRATION_ACCEPTED,
        detail=registration.email,
        url=reverse("suppliers:registration_detail", kwargs={"pk": registration.pk}),
    )
    try:
        contact_invite(
            contact=contact, by=by, email=registration.email, language=registration.language, now=now
        )
    except ValidationError:
        # The address got an account meanwhile: the prospect stands; staff can invite another contact.
        logger.info("Registration %s accepted without a portal invitation", registration.pk)
    return supplier


def _capability_summary(registration: Registration, capacities) -> str:
    lines = [f"{c.category}: {c.monthly_capacity} {c.unit}/month" for c in capacities]
    if registration.moq:
        lines.append(f"MOQ: {registration.moq}")
    if registration.lead_time_days is not None:
        lines.append(f"Lead time: {registration.lead_time_days} days")
    return "\n".join(["Declared at registration:", *lines])


# --- The factory: fill, add and remove items, submit ----------------------------------------------------------


def _check_editable(registration: Registration, now: datetime) -> None:
    if registration.status not in Registration.EDITABLE:
        raise ValidationError(_("This registration was submitted and can no longer be changed."))
    if registration.expires_at <= now:
        raise RegistrationUnusable("expired")


@transaction.atomic
def registration_save(*, registration: Registration, now: datetime | None = None, **fields) -> Registration:
    """Save the factory's draft (any subset of DRAFT_FIELDS); the same link continues it later."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_editable(registration, now)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    for name in ("business_licence", "qc_process_document"):
        if name in fields and not fields[name]:
            fields.pop(name)  # an empty file input keeps the file uploaded earlier
    for name in ("bank_account_number", "bank_swift", "bank_currency"):
        if name in fields:
            fields[name] = "".join(str(fields[name] or "").split()).upper()
    if registration.status == Registration.Status.INVITED:
        fields["status"] = Registration.Status.IN_PROGRESS
    fields["updated_at"] = now
    _save(registration, fields=fields)
    return registration


@transaction.atomic
def registration_item_add(*, registration: Registration, item: str, now: datetime | None = None, **fields):
    """Add an entry to the draft: `item` is "site", "capacity", "certificate" or "reference"."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_editable(registration, now)
    if item not in ITEM_MODELS:
        raise ValidationError(_("Unknown kind of entry."))
    model = ITEM_MODELS[item]
    if model.objects.filter(registration=registration).count() >= 50:
        raise ValidationError(_("A registration holds at most 50 entries of each kind."))
    entry = model(registration=registration)
    _save(entry, fields=fields)
    Registration.objects.filter(pk=registration.pk, status=Registration.Status.INVITED).update(
        status=Registration.Status.IN_PROGRESS
    )
    return entry


@transaction.atomic
def registration_item_remove(
    *, registration: Registration, item: str, pk: int, now: datetime | None = None
) -> None:
    """Remove one entry of the draft (only of this registration: another's answers as missing)."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    _check_editable(registration, now)
    if (
        item not in ITEM_MODELS
        or not ITEM_MODELS[item].objects.filter(registration=registration, pk=pk).delete()[0]
    ):
        raise ValidationError(_("This entry does not exist (any more)."))


def registration_missing(registration: Registration) -> list[str]:
    """Return what the registration still lacks before it can be submitted, in the reader's language."""
    missing = []
    required = {
        "legal_name": _("the legal name"),
        "registration_number": _("the business registration number"),
        "business_licence": _("the business licence document"),
        "country": _("the country"),
        "address": _("the registered address"),
        "contact_name": _("your name"),
        "bank_account_holder": _("the bank account holder"),
        "bank_name": _("the bank name"),
        "bank_account_number": _("the account number or IBAN"),
    }
    for name, label in required.items():
        if not getattr(registration, name):
            missing.append(label)
    if not registration.sites.exists():
        missing.append(_("at least one site"))
    if not registration.capacities.exists():
        missing.append(_("the monthly capacity of at least one product category"))
    return missing


@transaction.atomic
def registration_submit(*, registration: Registration, now: datetime | None = None) -> Registration:
    """Submit the registration for review; submitting it again changes nothing (one review, one supplier)."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.SUBMITTED:
        return registration  # a second click, or a reload: already waiting for review
    _check_editable(registration, now)
    missing = registration_missing(registration)
    if missing:
        raise ValidationError(_("Still missing: %(items)s.") % {"items": "; ".join(missing)})
    if Supplier.objects.filter(
        country=registration.country, registration_number__iexact=registration.registration_number
    ).exists():
        raise ValidationError(
            {"registration_number": _("A supplier of this country is already registered under this number.")}
        )
    won = Registration.objects.filter(pk=registration.pk, status__in=Registration.EDITABLE).update(
        status=Registration.Status.SUBMITTED, submitted_at=now, updated_at=now
    )
    registration.refresh_from_db()
    if won:
        for hook in _hooks["submitted"]:
            hook(registration=registration)
    return registration


# --- Emails to the factory ------------------------------------------------------------------------------------


def _email_queue(registration: Registration, kind: str, now: datetime) -> RegistrationEmail:
    from .tasks import registration_email_task

    email = RegistrationEmail.objects.create(registration=registration, kind=kind, created_at=now)
    enqueue_on_commit(registration_email_task, email.pk)  # a broker that is down: the sweep sends it
    return email


def registration_emails_send(*, now: datetime | None = None, ids=None) -> int:
    """Email the unsent registration emails (all, or those of `ids`) in the factory's language, each once.

    Only while the link still works: the email of a revoked, accepted or expired registration never leaves.
    """
    now = now or timezone.now()
    queryset = RegistrationEmail.objects.filter(
        registration__status__in=[*Registration.EDITABLE], registration__expires_at__gt=now
    )
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return send_once(
        queryset,
        now=now,
        kind="registration",
        compose=_email_text,
        address=lambda email: email.registration.email,
        related=("registration", "registration__invited_by"),
    )


def _email_text(email: RegistrationEmail) -> tuple[str, str]:
    registration = email.registration
    with translation.override(registration.language):
        if email.kind == RegistrationEmail.Kind.INVITATION:
            subject = _("Forgeline: %(company)s, please register as a supplier") % {
                "company": registration.company_name
            }
            intro = _(
                "%(person)s invites %(company)s to register as a supplier: your company details, sites, "
                "capacity, certificates, references and bank details, in one form that you can save and "
                "continue later."
            ) % {"person": registration.invited_by, "company": registration.company_name}
        else:
            subject = _("Forgeline: changes asked for in the registration of %(company)s") % {
                "company": registration.company_name
            }
            intro = _("Your registration was reviewed. Please change the following and submit it again:")
            intro += "\n\n" + registration.review_comment
        body = "\n\n".join(
            [
                _("Hello,"),
                intro,
                _("Open this link to continue (it works until %(date)s UTC):")
                % {"date": f"{registration.expires_at:%Y-%m-%d %H:%M}"},
                registration_url(registration),
                _("If you did not expect this email, you can ignore it."),
            ]
        )
    return single_line(subject), body
