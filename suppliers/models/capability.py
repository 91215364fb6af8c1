"""The factory's capability statement (the "claimed" side of claimed vs observed): monthly capacity per product
category, production lines, headcount, key equipment and QC steps.

Each change is a new row, never an update, so the statement keeps its history; the latest row per field (and
category) is the current claim. Accepting a registration writes the first rows from what the factory declared.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import QUANTITY_BOUNDS

from ..querysets import SupplierOwnedQuerySet
from .suppliers import ProductCategory, Supplier


class CapabilityField(models.TextChoices):
    """The fields of a capability statement an audit can check."""

    MONTHLY_CAPACITY = "monthly_capacity", _("Monthly capacity")
    PRODUCTION_LINES = "production_lines", _("Production lines")
    HEADCOUNT = "headcount", _("Headcount")
    EQUIPMENT = "equipment", _("Key equipment")
    QC_STEPS = "qc_steps", _("QC steps")


# Fields holding a number (compared as a variance); the others hold text (compared side by side).
NUMERIC_CAPABILITY_FIELDS = (
    CapabilityField.MONTHLY_CAPACITY,
    CapabilityField.PRODUCTION_LINES,
    CapabilityField.HEADCOUNT,
)
MAX_CAPABILITY_TEXT = 2000


class CapabilityClaim(models.Model):
    """One value of a supplier's capability statement as claimed on a date; the latest per field is current."""

    class Source(models.TextChoices):
        REGISTRATION = "registration", _("Registration")
        STAFF = "staff", _("Staff")
        PORTAL = "portal", _("Factory (portal)")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="capability_claims")
    field = models.CharField(_("field"), max_length=20, choices=CapabilityField.choices)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("product category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True, validators=QUANTITY_BOUNDS)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    text = models.TextField(_("text"), max_length=MAX_CAPABILITY_TEXT, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    claimed_at = models.DateTimeField(_("claimed at"), default=dj_timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("claimed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("capability claim")
        verbose_name_plural = _("capability claims")
        ordering = ["supplier", "field", "category", "-claimed_at", "-pk"]
        indexes = [models.Index(fields=["supplier", "field", "category", "claimed_at"])]
        constraints = [
            # Capacity is claimed per category; the other fields for the whole factory.
            models.CheckConstraint(
                condition=Q(field="monthly_capacity", category__isnull=False)
                | ~Q(field="monthly_capacity") & Q(category__isnull=True),
                name="capability_claim_category_only_for_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.supplier}: {self.get_field_display()} = {self.display_value}"

    @property
    def display_value(self) -> str:
        """Return the value as shown in tables: a number with its unit, or the text."""
        if self.field in NUMERIC_CAPABILITY_FIELDS:
            return f"{self.quantity} {self.unit}".strip()
        return self.text
