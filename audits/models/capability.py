"""What an audit observed of a supplier's capability statement (the "observed" side of claimed vs observed)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from suppliers.models import CapabilityField, ProductCategory, Supplier
from suppliers.models.capability import MAX_CAPABILITY_TEXT, NUMERIC_CAPABILITY_FIELDS

from ..querysets import AuditChildQuerySet
from .audits import Audit, Finding


class CapabilityObservation(models.Model):
    """One field of the capability statement as an audit saw it on site; one per audit, field and category."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="capability_observations")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="capability_observations")
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
    text = models.TextField(_("text"), max_length=MAX_CAPABILITY_TEXT, blank=True)
    observed_on = models.DateField(_("observed on"), validators=DATE_BOUNDS)
    # Internal: the auditor's working note; the factory sees the value, never this.
    note = models.TextField(_("internal note"), max_length=MAX_CAPABILITY_TEXT, blank=True)
    observed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("observed by"), on_delete=models.PROTECT, related_name="+"
    )
    # The finding raised from this observation's shortfall, so it is proposed once.
    finding = models.OneToOneField(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="capability_observation"
    )
    created_at = models.DateTimeField(default=dj_timezone.now, editable=False)

    objects = AuditChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("capability observation")
        verbose_name_plural = _("capability observations")
        ordering = ["-observed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "field", "category"],
                condition=Q(category__isnull=False),
                name="one_observation_per_audit_field_category",
            ),
            models.UniqueConstraint(
                fields=["audit", "field"],
                condition=Q(category__isnull=True),
                name="one_observation_per_audit_field",
            ),
            models.CheckConstraint(
                condition=Q(field="monthly_capacity", category__isnull=False)
                | ~Q(field="monthly_capacity") & Q(category__isnull=True),
                name="capability_observation_category_only_for_capacity",
            ),
        ]

    def __str__(self):
        return f"{self.supplier}: {self.get_field_display()} observed {self.display_value}"

    @property
    def display_value(self) -> str:
        """Return the observed number or text."""
        return str(self.quantity) if self.field in NUMERIC_CAPABILITY_FIELDS else self.text


# The one threshold of claimed vs observed: an observed number below 70 % of the claim is a large shortfall.
CAPABILITY_SHORTFALL_RATIO = Decimal("0.70")


def capability_shortfall(*, claimed: int | None, observed: int | None) -> bool:
    """Return whether an observed number falls short of the claim by more than the threshold allows."""
    if not claimed or observed is None:
        return False
    return Decimal(observed) < Decimal(claimed) * CAPABILITY_SHORTFALL_RATIO
