"""The agreement with a supplier and its delivery terms."""

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.inputs import DATE_BOUNDS, DAYS_BOUNDS, PAYMENT_TERMS_BOUNDS
from core.uploads import UploadTo, validate_upload

from ..querysets import InternalQuerySet
from .suppliers import Supplier


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
