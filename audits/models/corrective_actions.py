"""Corrective actions (SCAR/CAPA) and the evidence the supplier uploads for them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from core.uploads import UploadTo, validate_upload
from suppliers.models import Supplier

from ..querysets import (
    CorrectiveActionQuerySet,
    EvidenceQuerySet,
)
from .audits import Finding
from .inspections import QCInspection


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
