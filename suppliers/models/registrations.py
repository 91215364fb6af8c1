"""Invited self-registration of a new factory: the invitation (a single-use-per-factory link), the draft the
factory fills in its own language, and what it declares (sites, capacity, certificates, references).

Until staff accept it the registration belongs to no supplier; once accepted, `supplier` points at the prospect
created from it, whose factory contacts may then see the registration and its documents like any of their rows.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.inputs import DATE_BOUNDS, DAYS_BOUNDS, QUANTITY_BOUNDS
from core.models import SendOnceRow
from core.uploads import UploadTo, validate_upload

from ..querysets import SupplierOwnedQuerySet
from .evidence import CertificationStandard
from .suppliers import ProductCategory


def mask_account(number: str) -> str:
    """Return an account number or IBAN with all but its last 4 characters hidden ("•••• 1234")."""
    compact = "".join(str(number).split())
    if not compact:
        return ""
    return f"•••• {compact[-4:]}" if len(compact) > 4 else "••••"


class RegistrationQuerySet(SupplierOwnedQuerySet):
    """Registrations: staff see all; a factory contact only its own company's, once accepted."""

    def awaiting_review(self):
        """Return the registrations submitted and not yet answered."""
        return self.filter(status=Registration.Status.SUBMITTED)


class Registration(models.Model):
    """A new factory's self-registration, from the staff's invitation to the prospect created from it."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Submitted")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    # Statuses in which the factory may still edit its draft through the link.
    EDITABLE = (Status.INVITED, Status.IN_PROGRESS, Status.CHANGES_REQUESTED)

    company_name = models.CharField(_("company name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INVITED)
    # The link's token is an HMAC (with the secret key) of the id and this nonce; only its SHA-256 is stored.
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("link expires at"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=dj_timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("changes asked for"), blank=True)
    supplier = models.OneToOneField(
        "suppliers.Supplier",
        verbose_name=_("supplier"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registration",
    )

    # What the factory fills in.
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    registration_number = models.CharField(_("business registration number"), max_length=100, blank=True)
    business_licence = models.FileField(
        _("business licence"),
        upload_to=UploadTo("registration-licences"),
        validators=[validate_upload],
        blank=True,
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("registered address"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("your name"), max_length=150, blank=True)
    contact_title = models.CharField(_("your job title"), max_length=150, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=50, blank=True)
    moq = models.CharField(_("minimum order quantity (MOQ)"), max_length=200, blank=True)
    lead_time_days = models.PositiveIntegerField(
        _("usual lead time (days)"), null=True, blank=True, validators=DAYS_BOUNDS
    )
    main_equipment = models.TextField(_("main equipment"), blank=True)
    production_limitations = models.TextField(_("production limitations"), blank=True)
    qc_process_document = models.FileField(
        _("QC process document"),
        upload_to=UploadTo("registration-qc"),
        validators=[validate_upload],
        blank=True,
    )
    bank_account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    bank_name = models.CharField(_("bank name"), max_length=200, blank=True)
    bank_swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True)
    bank_account_number = models.CharField(_("account number or IBAN"), max_length=64, blank=True)
    bank_currency = models.CharField(_("currency"), max_length=3, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("factory registration")
        verbose_name_plural = _("factory registrations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return self.company_name

    def display_status(self, *, now) -> str:
        """Return the status shown in lists: "expired" for a link that ran out before the factory submitted."""
        if self.status in self.EDITABLE and self.expires_at <= now:
            return "expired"
        return self.status

    def display_status_label(self, *, now) -> str:
        """Return the shown status's label in the reader's language."""
        shown = self.display_status(now=now)
        return _("Expired") if shown == "expired" else self.get_status_display()

    @property
    def bank_account_masked(self) -> str:
        """Return the account number with all but its last 4 characters hidden."""
        return mask_account(self.bank_account_number)


class RegistrationSite(models.Model):
    """A place where the registering factory's goods are made or traded."""

    class Kind(models.TextChoices):
        OWN_FACTORY = "own_factory", _("Own factory")
        TRADING_COMPANY = "trading_company", _("Trading company")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="sites")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"))
    country = CountryField(_("country"), blank=True)

    class Meta:
        verbose_name = _("registration site")
        verbose_name_plural = _("registration sites")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class RegistrationCapacity(models.Model):
    """The monthly capacity a registering factory declares for one product category."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="capacities")
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("product category"), on_delete=models.PROTECT, related_name="+"
    )
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), validators=QUANTITY_BOUNDS)
    unit = models.CharField(_("unit"), max_length=30, default="pcs")

    class Meta:
        verbose_name = _("declared capacity")
        verbose_name_plural = _("declared capacities")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "category"], name="one_capacity_per_category"),
        ]

    def __str__(self):
        return f"{self.category}: {self.monthly_capacity} {self.unit}"


class RegistrationCertificateQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "registration__supplier_id"


class RegistrationCertificate(models.Model):
    """A certificate the registering factory declares; it becomes a certification pending verification."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="certificates")
    standard = models.CharField(_("standard"), max_length=20, choices=CertificationStandard.choices)
    standard_other = models.CharField(_("other standard"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), validators=DATE_BOUNDS)
    valid_until = models.DateField(_("valid until"), validators=DATE_BOUNDS)
    document = models.FileField(
        _("certificate document"),
        upload_to=UploadTo("registration-certificates"),
        validators=[validate_upload],
        blank=True,
    )

    objects = RegistrationCertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("declared certificate")
        verbose_name_plural = _("declared certificates")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="registration_certificate_valid_until_after_valid_from",
                violation_error_message=_("'Valid until' must not be before 'valid from'."),
            ),
        ]

    def __str__(self):
        return f"{self.get_standard_display()} {self.number}".strip()


class RegistrationReference(models.Model):
    """A client of the registering factory whom the buyer may call."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="references")
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("declared client reference")
        verbose_name_plural = _("declared client references")
        ordering = ["pk"]

    def __str__(self):
        return self.company


class RegistrationEmail(SendOnceRow):
    """An email to the registering factory (the invitation, or a request for changes), sent once in its language."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)

    class Meta:
        verbose_name = _("registration email")
        verbose_name_plural = _("registration emails")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.registration} — {self.get_kind_display()}"
