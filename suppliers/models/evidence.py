"""What a supplier shows while vetted: contacts, certifications (with their reminders), client references
and capacity assessments."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from core.models import SendOnceRow
from core.uploads import UploadTo, validate_upload

from ..querysets import CertificationQuerySet, InternalQuerySet, SupplierOwnedQuerySet
from .suppliers import Supplier


class Contact(models.Model):
    """A person at the supplier: who to call about what."""

    class Role(models.TextChoices):
        GENERAL_MANAGER = "general_manager", _("General manager / owner")
        SALES = "sales", _("Sales / account manager")
        PROJECT_MANAGER = "project_manager", _("Project manager")
        QUALITY = "quality", _("Quality manager")
        PRODUCTION = "production", _("Production manager")
        LOGISTICS = "logistics", _("Logistics / shipping")
        FINANCE = "finance", _("Finance")
        OTHER = "other", _("Other")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("job title"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.SALES)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    messaging = models.CharField(
        _("messaging"), max_length=100, blank=True, help_text=_("WeChat, WhatsApp or Zalo handle.")
    )
    language = models.CharField(_("preferred language"), max_length=50, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_role_display()})"


class CertificationStandard(models.TextChoices):
    ISO_9001 = "iso_9001", "ISO 9001"
    ISO_14001 = "iso_14001", "ISO 14001"
    ISO_45001 = "iso_45001", "ISO 45001"
    BSCI = "bsci", "BSCI / amfori"
    SA8000 = "sa8000", "SA8000"
    WRAP = "wrap", "WRAP"
    SMETA = "smeta", "SMETA (Sedex)"
    OEKO_TEX = "oeko_tex", "OEKO-TEX"
    GOTS = "gots", "GOTS"
    IATF_16949 = "iatf_16949", "IATF 16949"
    ISO_13485 = "iso_13485", "ISO 13485"
    OTHER = "other", _("Other")


class Certification(models.Model):
    """A certificate a supplier holds; it counts as evidence only once staff verified it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="certifications")
    standard = models.CharField(_("standard"), max_length=20, choices=CertificationStandard.choices)
    standard_other = models.CharField(_("other standard"), max_length=100, blank=True)
    number = models.CharField(_("certificate number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"), validators=DATE_BOUNDS)
    valid_until = models.DateField(_("valid until"), validators=DATE_BOUNDS)
    document = models.FileField(
        _("certificate document"),
        upload_to=UploadTo("certifications"),
        validators=[validate_upload],
        blank=True,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("renews"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewals",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=dj_timezone.now)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = CertificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        ordering = ["-valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="certification_valid_until_after_valid_from",
                violation_error_message=_("'Valid until' must not be before 'valid from'."),
            ),
        ]
        indexes = [models.Index(fields=["status", "valid_until"])]

    def __str__(self):
        return f"{self.standard_label} {self.number}".strip()

    @property
    def standard_label(self) -> str:
        """Return the standard's name, or the free-text name for 'other'."""
        if self.standard == CertificationStandard.OTHER and self.standard_other:
            return self.standard_other
        return self.get_standard_display()

    def is_valid_on(self, day: date) -> bool:
        """Return whether this certificate is verified and in force on a day."""
        # The same rule as CertificationQuerySet.in_force(), for one row in hand: change both together.
        return self.status == self.Status.VERIFIED and self.valid_from <= day <= self.valid_until

    def expiry_state(self, today: date) -> str:
        """Return 'expired', 'expiring' (within the warning window) or 'valid' for the validity dates."""
        if self.valid_until < today:
            return "expired"
        if (self.valid_until - today).days <= settings.FORGELINE_CERT_EXPIRY_WARNING_DAYS:
            return "expiring"
        return "valid"


class ClientReference(models.Model):
    """Another buyer of the supplier's, and what they said when we called."""

    class Outcome(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        MIXED = "mixed", _("Mixed")
        NEGATIVE = "negative", _("Negative")
        NOT_REACHED = "not_reached", _("Could not be reached")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="references")
    company = models.CharField(_("company"), max_length=200)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True, validators=DATE_BOUNDS)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("client reference")
        verbose_name_plural = _("client references")
        ordering = ["-checked_on", "company"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checked_on__isnull=True, outcome="")
                | Q(checked_on__isnull=False) & ~Q(outcome=""),
                name="reference_checked_has_outcome",
                violation_error_message=_("A checked reference needs both the date and the outcome."),
            ),
        ]

    def __str__(self):
        return self.company

    @property
    def is_checked_positive(self) -> bool:
        """Return whether the reference was checked and spoke well of the supplier."""
        return self.checked_on is not None and self.outcome == self.Outcome.POSITIVE


class CapacityAssessment(models.Model):
    """What the supplier can make and how sound it is financially, as assessed on a day."""

    class RevenueBand(models.TextChoices):
        UNDER_1M = "lt_1m", _("Under 1 M USD")
        FROM_1M = "1m_10m", _("1–10 M USD")
        FROM_10M = "10m_50m", _("10–50 M USD")
        FROM_50M = "50m_250m", _("50–250 M USD")
        OVER_250M = "gt_250m", _("Over 250 M USD")

    class Risk(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"), validators=DATE_BOUNDS)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )
    revenue_band = models.CharField(_("annual revenue"), max_length=20, choices=RevenueBand.choices)
    headcount = models.PositiveIntegerField(_("headcount"), validators=QUANTITY_BOUNDS)
    production_lines = models.PositiveIntegerField(_("production lines"), validators=QUANTITY_BOUNDS)
    monthly_capacity = models.PositiveIntegerField(_("monthly capacity"), validators=QUANTITY_BOUNDS)
    capacity_unit = models.CharField(_("capacity unit"), max_length=30, default="units")
    equipment = models.TextField(_("key equipment"), blank=True)
    financial_risk = models.CharField(_("financial risk"), max_length=10, choices=Risk.choices)
    notes = models.TextField(_("notes"), blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity and financial assessment")
        verbose_name_plural = _("capacity and financial assessments")
        ordering = ["-assessed_on"]

    def __str__(self):
        return f"{self.supplier} — {self.assessed_on}"


class CertificationReminder(SendOnceRow):
    """A reminder to a supplier's owner that a certificate expires soon or has expired; one per stage, emailed once."""

    class Threshold(models.TextChoices):
        DAYS_30 = "30d", _("Expires within 30 days")
        DAYS_7 = "7d", _("Expires within 7 days")
        EXPIRED = "expired", _("Expired")

    certification = models.ForeignKey(Certification, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)

    class Meta:
        verbose_name = _("certification reminder")
        verbose_name_plural = _("certification reminders")
        constraints = [
            models.UniqueConstraint(fields=["certification", "threshold"], name="one_reminder_per_threshold"),
        ]

    def __str__(self):
        return f"{self.certification} — {self.threshold}"
