"""Quality records: QC inspections with AQL sampling, batch test reports, on-site audits with checklists,
findings, corrective actions (SCAR/CAPA) with evidence, and proposals to put a supplier on hold."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, POSITION_BOUNDS, QUANTITY_BOUNDS
from core.uploads import UploadTo, validate_upload
from orders.models import Delivery, PurchaseOrder
from suppliers.models import Supplier
from suppliers.querysets import InternalQuerySet, SupplierOwnedQuerySet

from .querysets import (
    AuditChildQuerySet,
    AuditQuerySet,
    CorrectiveActionQuerySet,
    EvidenceQuerySet,
    SharedInspectionQuerySet,
)
from .sampling import AQL_VALUES

AQL_CHOICES = [(value, str(value)) for value in AQL_VALUES]


class QCInspection(models.Model):
    """An inspection of a lot at a checkpoint, sampled by ISO 2859-1; its result follows from the defects."""

    class Checkpoint(models.TextChoices):
        PRE_PRODUCTION = "pre_production", _("Pre-production sample")
        IN_LINE = "in_line", _("In-line (during production)")
        PRE_SHIPMENT = "pre_shipment", _("Pre-shipment")
        INCOMING = "incoming", _("Incoming (at receipt)")

    class Level(models.TextChoices):
        I = "I", _("General I (reduced discrimination)")  # noqa: E741
        II = "II", _("General II (normal)")
        III = "III", _("General III (tightened discrimination)")

    class Result(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        REJECT = "reject", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="inspections")
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("order"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("delivery"),
    )
    checkpoint = models.CharField(_("checkpoint"), max_length=20, choices=Checkpoint.choices)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    inspected_on = models.DateField(_("inspected on"), validators=DATE_BOUNDS)
    lot_number = models.CharField(_("lot"), max_length=64, blank=True)
    lot_size = models.PositiveIntegerField(_("lot size"), validators=[MinValueValidator(2), *QUANTITY_BOUNDS])
    level = models.CharField(_("inspection level"), max_length=3, choices=Level.choices, default=Level.II)
    aql_major = models.DecimalField(
        _("AQL major"), max_digits=7, decimal_places=3, choices=AQL_CHOICES, default=Decimal("2.5")
    )
    aql_minor = models.DecimalField(
        _("AQL minor"), max_digits=7, decimal_places=3, choices=AQL_CHOICES, default=Decimal("4.0")
    )
    # The sampling plan as computed when the inspection was recorded (ISO 2859-1, single, normal).
    code_letter = models.CharField(_("code letter"), max_length=1)
    sample_size = models.PositiveIntegerField(_("sample size"))
    major_accept = models.PositiveIntegerField(_("major Ac"))
    major_reject = models.PositiveIntegerField(_("major Re"))
    minor_accept = models.PositiveIntegerField(_("minor Ac"))
    minor_reject = models.PositiveIntegerField(_("minor Re"))
    critical_defects = models.PositiveIntegerField(
        _("critical defects"), default=0, validators=QUANTITY_BOUNDS
    )
    major_defects = models.PositiveIntegerField(_("major defects"), default=0, validators=QUANTITY_BOUNDS)
    minor_defects = models.PositiveIntegerField(_("minor defects"), default=0, validators=QUANTITY_BOUNDS)
    defective_units = models.PositiveIntegerField(
        _("defective units"),
        default=0,
        help_text=_("Units with at least one defect; the defect rate counts these."),
        validators=QUANTITY_BOUNDS,
    )
    computed_result = models.CharField(
        _("result by the sampling plan"), max_length=10, choices=Result.choices
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    override_reason = models.TextField(_("reason for overriding the result"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    report = models.FileField(
        _("inspection report"), upload_to=UploadTo("inspections"), validators=[validate_upload], blank=True
    )
    shared_with_supplier = models.BooleanField(_("shared with the supplier"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SharedInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("QC inspection")
        verbose_name_plural = _("QC inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [models.Index(fields=["supplier", "inspected_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(defective_units__lte=models.F("sample_size")),
                name="defective_units_within_sample",
                violation_error_message=_("Defective units cannot exceed the sample size."),
            ),
            models.CheckConstraint(
                condition=Q(result=models.F("computed_result")) | ~Q(override_reason=""),
                name="overridden_result_has_reason",
                violation_error_message=_("Overriding the result needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_checkpoint_display()} {self.inspected_on} — {self.supplier}"

    def get_absolute_url(self):
        return reverse("audits:inspection_detail", args=[self.pk])

    @property
    def is_overridden(self) -> bool:
        """Return whether staff overrode the result the sampling plan gave."""
        return self.result != self.computed_result


class BatchTest(models.Model):
    """A laboratory test report for one lot, uploaded by the supplier and reviewed by QC."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="batch_tests")
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batch_tests",
        verbose_name=_("order"),
    )
    lot_number = models.CharField(_("lot"), max_length=64)
    standard = models.CharField(
        _("test standard"), max_length=120, help_text=_("For example EN 71-3, REACH, CPSIA.")
    )
    laboratory = models.CharField(_("laboratory"), max_length=200)
    tested_on = models.DateField(_("tested on"), validators=DATE_BOUNDS)
    outcome = models.CharField(_("lab result"), max_length=10, choices=Outcome.choices)
    report = models.FileField(
        _("lab report"), upload_to=UploadTo("batch-tests"), validators=[validate_upload]
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=dj_timezone.now)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch test")
        verbose_name_plural = _("batch tests")
        ordering = ["-tested_on", "-pk"]

    def __str__(self):
        return f"{self.lot_number} {self.standard}"


class ChecklistTemplate(models.Model):
    """An editable audit checklist: sections of weighted questions, each scored 0–5."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    audit_type = models.CharField(_("for audits of type"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ChecklistSection(models.Model):
    """A section of a checklist (quality system, production, social compliance ...)."""

    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0, validators=POSITION_BOUNDS)

    class Meta:
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class ChecklistQuestion(models.Model):
    """A question of a checklist; its weight says how much it counts in the overall score."""

    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(_("question"), max_length=500)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, validators=POSITION_BOUNDS)

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class Audit(models.Model):
    """An on-site audit of a supplier: planned, then performed with a scored checklist, findings and a result."""

    class Type(models.TextChoices):
        VETTING = "vetting", _("Vetting")
        PERIODIC = "periodic", _("Periodic")
        SOCIAL = "social", _("Social compliance")
        ENVIRONMENTAL = "environmental", _("Environmental")
        SAFETY = "safety", _("Safety")
        FOLLOW_UP = "follow_up", _("Follow-up")

    class Result(models.TextChoices):
        PASS = "pass", _("Pass")
        CONDITIONAL = "conditional", _("Conditional pass")
        FAIL = "fail", _("Fail")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PERFORMED = "performed", _("Performed")
        CANCELLED = "cancelled", _("Cancelled")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="audits")
    audit_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    announced = models.BooleanField(_("announced to the supplier"), default=True)
    third_party = models.BooleanField(_("by a third party"), default=False)
    firm = models.CharField(_("audit firm"), max_length=200, blank=True)
    planned_on = models.DateField(_("planned for"), validators=DATE_BOUNDS)
    performed_on = models.DateField(_("performed on"), null=True, blank=True, validators=DATE_BOUNDS)
    lead_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead auditor")
    )
    auditors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("other auditors")
    )
    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("checklist")
    )
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follows up on"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    score = models.DecimalField(_("overall score (%)"), max_digits=5, decimal_places=1, null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    report = models.FileField(
        _("report"), upload_to=UploadTo("audits"), validators=[validate_upload], blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit")
        verbose_name_plural = _("audits")
        ordering = ["-planned_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="performed", performed_on__isnull=False, result__gt="")
                | ~Q(status="performed") & Q(performed_on__isnull=True),
                name="performed_audit_has_date_and_result",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_audit_type_display()} audit, {self.supplier}, {self.performed_on or self.planned_on}"
        )

    def get_absolute_url(self):
        return reverse("audits:audit_detail", args=[self.pk])


class AuditAnswer(models.Model):
    """The score an auditor gave one checklist question (0–5, or not applicable)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(ChecklistQuestion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(5)],
        help_text=_("0–5; empty when not applicable."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit answer")
        verbose_name_plural = _("audit answers")
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question}: {self.score}"


class Finding(models.Model):
    """Something an audit found that falls short of a requirement."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="findings")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="findings")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    clause = models.CharField(
        _("clause"), max_length=100, blank=True, help_text=_("For example ISO 9001 8.5.1.")
    )
    description = models.TextField(_("description"))
    evidence = models.FileField(
        _("evidence"), upload_to=UploadTo("findings"), validators=[validate_upload], blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuditChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["audit", "-severity", "pk"]

    def __str__(self):
        return f"{self.get_severity_display()}: {self.description[:60]}"


class CorrectiveAction(models.Model):
    """A supplier corrective action request (SCAR/CAPA): the supplier answers, QC verifies."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open — waiting for the supplier")
        SUBMITTED = "submitted", _("Submitted — waiting for QC")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected — resubmit")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="corrective_actions")
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("from finding"),
    )
    inspection = models.ForeignKey(
        QCInspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrective_actions",
        verbose_name=_("from inspection"),
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    due_on = models.DateField(_("due on"), validators=DATE_BOUNDS)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=dj_timezone.now)
    # The supplier's answer.
    supplier_owner = models.CharField(_("owner at the supplier"), max_length=150, blank=True)
    containment = models.TextField(
        _("containment"),
        blank=True,
        help_text=_("What was done at once to protect the customer (sorting, holding stock)."),
    )
    root_cause = models.TextField(_("root cause"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    preventive_action = models.TextField(_("preventive action"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # QC's verification.
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(_("verification note"), blank=True)

    objects = CorrectiveActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["supplier", "status", "due_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("audits:capa_detail", args=[self.pk])

    def is_overdue(self, today) -> bool:
        """Return whether the action is still open past its due date."""
        return (
            self.status in (self.Status.OPEN, self.Status.REJECTED, self.Status.SUBMITTED)
            and today > self.due_on
        )


class CorrectiveActionEvidence(models.Model):
    """A file either side attached to a corrective action (photos, procedures, training records)."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="evidence")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=UploadTo("capa-evidence"), validators=[validate_upload])
    note = models.CharField(_("note"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=dj_timezone.now)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action evidence")
        verbose_name_plural = _("corrective action evidence")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.note or self.file.name


class HoldProposal(models.Model):
    """A proposal to put a supplier on hold after a critical finding or a failed audit; staff decide."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Supplier put on hold")
        DISMISSED = "dismissed", _("Dismissed")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="hold_proposals")
    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="hold_proposal")
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("hold proposal")
        verbose_name_plural = _("hold proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.supplier}: {self.get_status_display()}"
