"""Suppliers and the evidence gathered while vetting them: contacts, certifications, client references,
capacity and financial assessments, contracts; the stage history and the activity timeline."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import TIMEZONE_CHOICES
from core.inputs import DATE_BOUNDS, DAYS_BOUNDS, PAYMENT_TERMS_BOUNDS, QUANTITY_BOUNDS
from core.models import SendOnceRow
from core.uploads import UploadTo, validate_upload

from .querysets import InternalQuerySet, SupplierOwnedQuerySet, SupplierQuerySet


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    VETTING = "vetting", _("Vetting")
    PILOT = "pilot", _("Pilot")
    APPROVED = "approved", _("Approved")
    STRATEGIC = "strategic", _("Strategic")
    ON_HOLD = "on_hold", _("On hold")
    SUSPENDED = "suspended", _("Suspended")
    OFFBOARDED = "offboarded", _("Offboarded")


class Segment(models.TextChoices):
    """Kraljic segments: how much the buyer depends on a supplier and how much it spends there."""

    STRATEGIC = "strategic", _("Strategic")
    LEVERAGE = "leverage", _("Leverage")
    BOTTLENECK = "bottleneck", _("Bottleneck")
    ROUTINE = "routine", _("Routine")


class ProductCategory(models.Model):
    """A product category a supplier makes (apparel, electronics ...); KPI targets may differ per category."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Supplier(models.Model):
    """A factory or trading company the buyer sources from, with its place in the vetting lifecycle."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    legal_name = models.CharField(_("legal name"), max_length=300, blank=True)
    registration_number = models.CharField(_("registration number"), max_length=100, blank=True)
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    website = models.URLField(_("website"), blank=True)
    categories = models.ManyToManyField(
        ProductCategory, verbose_name=_("product categories"), blank=True, related_name="suppliers"
    )
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, default=Segment.ROUTINE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.PROSPECT)
    stage_changed_at = models.DateTimeField(_("stage changed at"), default=dj_timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (buyer)"),
        on_delete=models.PROTECT,
        related_name="owned_suppliers",
        limit_choices_to=~Q(role="supplier"),
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dedicated project manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_suppliers",
        limit_choices_to=~Q(role="supplier"),
    )
    qc_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dedicated QC lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qc_suppliers",
        limit_choices_to=~Q(role="supplier"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = SupplierQuerySet.as_manager()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]
        indexes = [models.Index(fields=["stage"]), models.Index(fields=["country"])]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                condition=~Q(registration_number=""),
                name="one_registration_number_per_country",
                violation_error_message=_(
                    "A supplier of this country is already registered under this number."
                ),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("suppliers:detail", args=[self.pk])


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

    objects = SupplierOwnedQuerySet.as_manager()

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


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"


class Contract(models.Model):
    """The agreement with a supplier: quality, delivery, penalties, IP, payment terms and incentives."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contracts")
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    quality_standard = models.TextField(
        _("quality standard"),
        help_text=_("AQL levels, specifications and test standards the goods must meet."),
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), validators=DAYS_BOUNDS)
    incoterm = models.CharField(_("delivery terms (Incoterm)"), max_length=3, choices=Incoterm.choices)
    delivery_terms = models.TextField(_("delivery terms"), blank=True)
    payment_terms_days = models.PositiveIntegerField(
        _("payment terms (days)"), default=30, validators=PAYMENT_TERMS_BOUNDS
    )
    late_delivery_penalty = models.CharField(
        _("late-delivery penalty"),
        max_length=200,
        blank=True,
        help_text=_("For example: 0.5 % per week, capped at 5 %."),
    )
    confidentiality_ip = models.TextField(_("confidentiality and IP"), blank=True)
    volume_incentives = models.TextField(_("volume incentives"), blank=True)
    valid_from = models.DateField(_("valid from"), validators=DATE_BOUNDS)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Empty: open-ended."), validators=DATE_BOUNDS
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True, validators=DATE_BOUNDS)
    document = models.FileField(
        _("signed contract"), upload_to=UploadTo("contracts"), validators=[validate_upload], blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="contract_valid_until_after_valid_from",
                violation_error_message=_("'Valid until' must not be before 'valid from'."),
            ),
        ]

    def __str__(self):
        return self.title

    def is_in_force_on(self, day: date) -> bool:
        """Return whether the contract is signed and valid on a day."""
        return (
            self.signed_on is not None
            and self.valid_from <= day
            and (self.valid_until is None or day <= self.valid_until)
        )


class StageChange(models.Model):
    """One move of a supplier through the lifecycle: who, when, why, what was checked and what was waived."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from"), max_length=20, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=20, choices=Stage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), default=dj_timezone.now)
    reason = models.TextField(_("reason"))
    # [{"code": ..., "label": ..., "passed": bool, "detail": ...}] as evaluated at the moment of the change.
    checks = models.JSONField(_("checks"), default=list, blank=True)
    waived = models.JSONField(_("waived gates"), default=list, blank=True)
    waiver_reason = models.TextField(_("waiver reason"), blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.supplier}: {self.from_stage} → {self.to_stage}"


class ActivityKind(models.TextChoices):
    """What a timeline line records; its label is the line's text, translated when the line is shown."""

    SUPPLIER_CREATED = "supplier_created", _("Supplier created")
    PROFILE_UPDATED = "profile_updated", _("Profile updated")
    STAGE_CHANGED = "stage_changed", _("Stage changed")
    CONTACT_ADDED = "contact_added", _("Contact added")
    CONTACT_UPDATED = "contact_updated", _("Contact updated")
    CONTACT_LEFT = "contact_left", _("Contact left")
    CERTIFICATE_ADDED = "certificate_added", _("Certificate added")
    CERTIFICATE_SUBMITTED = "certificate_submitted", _("Certificate submitted in the portal")
    CERTIFICATE_UPDATED = "certificate_updated", _("Certificate updated")
    CERTIFICATE_VERIFIED = "certificate_verified", _("Certificate verified")
    CERTIFICATE_REJECTED = "certificate_rejected", _("Certificate rejected")
    REFERENCE_ADDED = "reference_added", _("Reference added")
    REFERENCE_UPDATED = "reference_updated", _("Reference updated")
    CAPACITY_ASSESSED = "capacity_assessed", _("Capacity assessed")
    ASSESSMENT_UPDATED = "assessment_updated", _("Assessment updated")
    CONTRACT_ADDED = "contract_added", _("Contract added")
    CONTRACT_UPDATED = "contract_updated", _("Contract updated")
    ORDER_CREATED = "order_created", _("Order created")
    ORDER_SENT = "order_sent", _("Order sent")
    ORDER_ACKNOWLEDGED = "order_acknowledged", _("Order acknowledged")
    ORDER_CHANGED = "order_changed", _("Order changed")
    ORDER_CANCELLED = "order_cancelled", _("Order cancelled")
    DATE_PROPOSED = "date_proposed", _("New delivery date proposed")
    DATE_ACCEPTED = "date_accepted", _("Proposed date accepted")
    DATE_REJECTED = "date_rejected", _("Proposed date rejected")
    SHIPMENT_RECORDED = "shipment_recorded", _("Shipment recorded")
    DELIVERY_RECEIVED = "delivery_received", _("Delivery received")
    DELIVERY_RECEIVED_LATE = "delivery_received_late", _("Delivery received late")
    PILOT_STARTED = "pilot_started", _("Pilot programme started")
    PILOT_PASSED = "pilot_passed", _("Pilot programme passed")
    PILOT_EXTENDED = "pilot_extended", _("Pilot programme extended")
    PILOT_REJECTED = "pilot_rejected", _("Pilot programme rejected")
    AUDIT_PLANNED = "audit_planned", _("Audit planned")
    AUDIT_PERFORMED = "audit_performed", _("Audit performed")
    HOLD_PROPOSED = "hold_proposed", _("Hold proposed")
    HOLD_DISMISSED = "hold_dismissed", _("Hold proposal dismissed")
    LAB_REPORT_UPLOADED = "lab_report_uploaded", _("Lab report uploaded")
    INSPECTION_PASSED = "inspection_passed", _("Inspection passed")
    INSPECTION_FAILED = "inspection_failed", _("Inspection failed")
    CAPA_REQUESTED = "capa_requested", _("Corrective action requested")
    CAPA_ANSWERED = "capa_answered", _("Corrective action answered")
    CAPA_VERIFIED = "capa_verified", _("Corrective action verified")
    CAPA_REJECTED = "capa_rejected", _("Corrective action rejected")
    CHECKIN_SCHEDULE_SET = "checkin_schedule_set", _("Check-in schedule set")
    CLOSURE_DECLARED = "closure_declared", _("Closure declared")
    CHECKIN_HELD = "checkin_held", _("Check-in held")
    ISSUE_RAISED = "issue_raised", _("Issue raised")
    ISSUE_RESOLVED = "issue_resolved", _("Issue resolved")
    ISSUE_ESCALATED = "issue_escalated", _("Issue escalated")
    INVOICE_RECEIVED = "invoice_received", _("Invoice received")
    INVOICE_RECEIVED_WITH_DISCREPANCIES = (
        "invoice_received_with_discrepancies",
        _("Invoice received with discrepancies"),
    )
    DISCREPANCY_RESOLVED = "discrepancy_resolved", _("Invoice discrepancy resolved")
    INVOICE_APPROVED = "invoice_approved", _("Invoice approved for payment")
    INVOICE_REJECTED = "invoice_rejected", _("Invoice rejected")
    INVOICE_PAID = "invoice_paid", _("Invoice paid")
    INVOICE_PAID_LATE = "invoice_paid_late", _("Invoice paid late")
    PART_PAYMENT = "part_payment", _("Part payment made")
    TERMS_PROPOSED = "terms_proposed", _("New payment terms proposed")
    TERMS_ACCEPTED = "terms_accepted", _("Payment terms accepted by the supplier")
    TERMS_DISPUTED = "terms_disputed", _("Payment terms disputed by the supplier")
    TERMS_AGREED = "terms_agreed", _("Payment terms agreed outside the portal")
    TERMS_WITHDRAWN = "terms_withdrawn", _("Payment-term proposal withdrawn")


class Activity(models.Model):
    """One line of a supplier's activity timeline: what happened (a kind) to which row; every app's services add
    to it. The text is the kind's label in the reader's language; lines written before kinds keep their verb."""

    Kind = ActivityKind

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="activities")
    occurred_at = models.DateTimeField(_("when"), default=dj_timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=40, choices=ActivityKind.choices, blank=True)
    # The row the line is about, as an app label and primary key ("orders.delivery", 12).
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    verb = models.CharField(_("text as written"), max_length=200, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    url = models.CharField(max_length=300, blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["supplier", "-occurred_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d} {self.text}"

    @property
    def text(self) -> str:
        """Return what happened in the reader's language (a line from before kinds: its text as written)."""
        return self.get_kind_display() if self.kind else self.verb

    def is_about(self, model: type[models.Model]) -> bool:
        """Return whether the line is about a row of this model."""
        return self.object_type == model._meta.label_lower


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


# Portal invitations live in their own module; imported here so that Django registers the model with this app.
from .invitation_models import PortalInvitation  # noqa: E402, F401
