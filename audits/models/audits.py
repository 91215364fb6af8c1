"""On-site audits with their checklists and answers, the findings they raise, and proposals to put a
supplier on hold after one."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, POSITION_BOUNDS
from core.uploads import UploadTo, validate_upload
from suppliers.models import Supplier
from suppliers.querysets import InternalQuerySet

from ..querysets import (
    AuditChildQuerySet,
    AuditQuerySet,
)


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
