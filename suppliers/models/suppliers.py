"""Suppliers, their categories and their moves through the lifecycle."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from accounts.models import TIMEZONE_CHOICES

from ..querysets import InternalQuerySet, SupplierQuerySet


class Stage(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    VETTING = "vetting", _("Vetting")
    PILOT = "pilot", _("Pilot")
    APPROVED = "approved", _("Approved")
    STRATEGIC = "strategic", _("Strategic")
    ON_HOLD = "on_hold", _("On hold")
    SUSPENDED = "suspended", _("Suspended")
    OFFBOARDED = "offboarded", _("Offboarded")


# The suppliers watched (scorecards, red flags, the visits due, the weekly email): those we buy from or are about to.
ACTIVE_STAGES = (Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC, Stage.ON_HOLD)


class Segment(models.TextChoices):
    """Kraljic segments: how much the buyer depends on a supplier and how much it spends there."""

    STRATEGIC = "strategic", _("Strategic")
    LEVERAGE = "leverage", _("Leverage")
    BOTTLENECK = "bottleneck", _("Bottleneck")
    ROUTINE = "routine", _("Routine")


class RiskTier(models.TextChoices):
    """How closely a supplier is re-verified (verification policies are set per category and tier)."""

    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


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
    # Who checked the registration number against which public registry, and when (blank: never checked).
    registration_registry = models.CharField(
        _("registry checked"),
        max_length=300,
        blank=True,
        help_text=_("The registry the number was checked against: its name or web address."),
    )
    registration_checked_at = models.DateTimeField(_("registration number checked at"), null=True, blank=True)
    registration_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registration number checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    timezone = models.CharField(_("timezone"), max_length=64, choices=TIMEZONE_CHOICES, default="UTC")
    website = models.URLField(_("website"), blank=True)
    categories = models.ManyToManyField(
        ProductCategory, verbose_name=_("product categories"), blank=True, related_name="suppliers"
    )
    segment = models.CharField(_("segment"), max_length=20, choices=Segment.choices, default=Segment.ROUTINE)
    risk_tier = models.CharField(
        _("risk tier"),
        max_length=10,
        choices=RiskTier.choices,
        default=RiskTier.MEDIUM,
        help_text=_("Says which verification policy applies: how often audits and certificates are renewed."),
    )
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
