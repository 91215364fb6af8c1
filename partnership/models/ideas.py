"""Improvement ideas: a cost saving, a design, process, quality or logistics improvement that either side proposes,
reviewed by the buyer, and credited on the supplier's scorecard once implemented with a realised saving."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from orders.models import PurchaseOrder
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

# A saving above a billion a year is a typo, not an idea; the column keeps room for sums of many.
MAX_SAVING = Decimal("1000000000")
SAVING_BOUNDS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_SAVING)]


class IdeaKind(models.TextChoices):
    """What an improvement idea improves."""

    COST_SAVING = "cost_saving", _("Cost saving")
    DESIGN = "design", _("Design")
    PROCESS = "process", _("Process")
    QUALITY = "quality", _("Quality")
    LOGISTICS = "logistics", _("Logistics")


class Side(models.TextChoices):
    """Which side of the partnership: the factory or the buyer (or both, for the credit)."""

    FACTORY = "factory", _("Factory")
    BUYER = "buyer", _("Buyer")
    SHARED = "shared", _("Both sides")


class ImprovementIdeaQuerySet(SupplierOwnedQuerySet):
    """Ideas: staff see all, a factory contact its own company's."""


class ImprovementIdea(models.Model):
    """An improvement idea for one supplier's products or work, raised by the factory or by staff."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted")
        IMPLEMENTED = "implemented", _("Implemented")
        DECLINED = "declined", _("Declined")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="improvement_ideas")
    kind = models.CharField(_("kind"), max_length=20, choices=IdeaKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.TextField(_("reason for declining"), blank=True, max_length=2000)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    estimated_annual_saving = models.DecimalField(
        _("estimated annual saving"),
        max_digits=16,
        decimal_places=3,
        null=True,
        blank=True,
        validators=SAVING_BOUNDS,
    )
    realised_saving = models.DecimalField(
        _("realised saving"), max_digits=16, decimal_places=3, null=True, blank=True, validators=SAVING_BOUNDS
    )
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True, validators=DATE_BOUNDS)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by")
    )
    raised_side = models.CharField(_("raised by side"), max_length=10, choices=Side.choices)
    raised_at = models.DateTimeField(_("raised at"), default=dj_timezone.now)
    credited_to = models.CharField(_("credited to"), max_length=10, choices=Side.choices)
    # The buyer's own notes on the review (cost models, negotiation): never shown to the factory.
    review_note = models.TextField(_("internal review note"), blank=True, max_length=5000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last decided by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=dj_timezone.now)

    objects = ImprovementIdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("improvement idea")
        verbose_name_plural = _("improvement ideas")
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["-raised_at", "-id"], name="idea_raised_desc"),
            models.Index(fields=["supplier", "status", "implemented_on"], name="idea_supplier_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(realised_saving__isnull=True) | models.Q(status="implemented"),
                name="idea_realised_saving_only_when_implemented",
                violation_error_message=_("Only an implemented idea has a realised saving."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:idea_detail", args=[self.pk])


class IdeaCommentQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "idea__supplier_id"


class IdeaComment(models.Model):
    """A comment on an improvement idea, by the factory or by staff; both sides read it."""

    idea = models.ForeignKey(ImprovementIdea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), default=dj_timezone.now)

    objects = IdeaCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea comment")
        verbose_name_plural = _("idea comments")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.idea}: {self.body[:40]}"
