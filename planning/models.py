"""Demand outlook: the rolling forecasts the buyer publishes to a supplier, and the factory's capacity answers."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from suppliers.models import ProductCategory, Supplier
from suppliers.querysets import SupplierOwnedQuerySet


class Confidence(models.TextChoices):
    """How sure the buyer is of a forecast quantity."""

    FIRM = "firm", _("Firm")
    LIKELY = "likely", _("Likely")
    INDICATIVE = "indicative", _("Indicative")


class ForecastQuerySet(SupplierOwnedQuerySet):
    """Published forecast versions: staff see all, a factory contact its own company's."""

    def latest_per_supplier(self):
        """Return only each supplier's newest version."""
        newest = self.model.objects.filter(supplier_id=models.OuterRef("supplier_id")).order_by("-version")
        return self.filter(pk=models.Subquery(newest.values("pk")[:1]))


class Forecast(models.Model):
    """One published version of the rolling demand forecast for a supplier; earlier versions stay readable."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="forecasts")
    version = models.PositiveIntegerField(_("version"))
    published_on = models.DateField(_("published on"), validators=DATE_BOUNDS)
    published_at = models.DateTimeField(_("published at"), default=dj_timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("published by")
    )
    note = models.TextField(_("note to the factory"), blank=True)

    objects = ForecastQuerySet.as_manager()

    class Meta:
        verbose_name = _("demand forecast")
        verbose_name_plural = _("demand forecasts")
        ordering = ["supplier", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "version"], name="one_forecast_version_per_supplier")
        ]

    def __str__(self):
        return _("%(supplier)s forecast v%(version)s") % {"supplier": self.supplier, "version": self.version}

    def get_absolute_url(self):
        return reverse("planning:forecast_detail", args=[self.pk])


class ForecastLineQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "forecast__supplier_id"


class ForecastLine(models.Model):
    """A quantity the buyer expects to order in one month, for one SKU or a whole product category."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="lines")
    month = models.DateField(_("month"), validators=DATE_BOUNDS)  # always the 1st of the month
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    category = models.ForeignKey(
        ProductCategory,
        verbose_name=_("product category"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), *QUANTITY_BOUNDS])
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    confidence = models.CharField(
        _("confidence"), max_length=20, choices=Confidence.choices, default=Confidence.LIKELY
    )

    objects = ForecastLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("forecast line")
        verbose_name_plural = _("forecast lines")
        ordering = ["month", "sku", "category__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sku="") & Q(category__isnull=False)) | (~Q(sku="") & Q(category__isnull=True)),
                name="forecast_line_sku_or_category",
                violation_error_message=_("A forecast line names a SKU or a product category, not both."),
            ),
            models.UniqueConstraint(
                fields=["forecast", "month", "sku"],
                condition=Q(category__isnull=True),
                name="one_forecast_line_per_sku_and_month",
            ),
            models.UniqueConstraint(
                fields=["forecast", "month", "category"],
                condition=Q(category__isnull=False),
                name="one_forecast_line_per_category_and_month",
            ),
        ]
        indexes = [models.Index(fields=["month", "sku"], name="forecast_line_month_sku")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.item}: {self.quantity}"

    @property
    def item(self) -> str:
        """Return what the line forecasts: the SKU, or the category's name."""
        return self.sku or str(self.category)

    @property
    def key(self) -> tuple:
        """Return what identifies this line across versions: its month and SKU or category."""
        return (self.month, self.sku, self.category_id)


class CapacityAnswerQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "forecast__supplier_id"


class CapacityAnswer(models.Model):
    """The factory's answer to one month of a published forecast: the capacity it commits, or a shortfall."""

    class Status(models.TextChoices):
        COMMITTED = "committed", _("Capacity committed")
        SHORTFALL = "shortfall", _("Shortfall")

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="answers")
    month = models.DateField(_("month"), validators=DATE_BOUNDS)
    status = models.CharField(_("answer"), max_length=20, choices=Status.choices)
    committed_quantity = models.PositiveIntegerField(_("capacity committed"), validators=QUANTITY_BOUNDS)
    reason = models.TextField(_("reason"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )
    answered_at = models.DateTimeField(_("answered at"), default=dj_timezone.now)

    objects = CapacityAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("capacity answer")
        verbose_name_plural = _("capacity answers")
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["forecast", "month"], name="one_capacity_answer_per_month")
        ]

    def __str__(self):
        return f"{self.forecast} {self.month:%Y-%m}: {self.get_status_display()}"
