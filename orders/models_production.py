"""Production records of a sent order: the factory's start with a planned finish, its daily log per order line,
and the lots it names (batch tests and in-line inspections of the audits app link to a lot)."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from suppliers.models import Supplier

from .querysets import OrderChildQuerySet


class ProductionPlan(models.Model):
    """When the factory started an order's production and when it plans to finish (one per order)."""

    order = models.OneToOneField(
        "orders.PurchaseOrder",
        on_delete=models.CASCADE,
        related_name="production_plan",
        verbose_name=_("order"),
    )
    # Denormalised from the order, as on deliveries, so that visible_to() needs no join.
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="production_plans")
    started_on = models.DateField(_("production started on"), validators=DATE_BOUNDS)
    planned_finish_on = models.DateField(_("planned finish"), null=True, blank=True, validators=DATE_BOUNDS)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = OrderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("production plan")
        verbose_name_plural = _("production plans")
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return f"{self.order_id}: {self.started_on} → {self.planned_finish_on or '?'}"

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.order_id]) + "#production"


class ProductionLot(models.Model):
    """A lot the factory produced for one order line; its lot number is unique within the order."""

    order = models.ForeignKey(
        "orders.PurchaseOrder", on_delete=models.CASCADE, related_name="production_lots"
    )
    line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="production_lots")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="production_lots")
    number = models.CharField(_("lot"), max_length=64)
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = OrderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("production lot")
        verbose_name_plural = _("production lots")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["order", "number"], name="one_lot_number_per_order")]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("audits:line_lots", args=[self.line_id])


class ProductionLog(models.Model):
    """What the factory produced of one order line on one day, in which lots, and what went wrong."""

    order = models.ForeignKey(
        "orders.PurchaseOrder", on_delete=models.CASCADE, related_name="production_logs"
    )
    line = models.ForeignKey("orders.OrderLine", on_delete=models.CASCADE, related_name="production_logs")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="production_logs")
    produced_on = models.DateField(_("produced on"), validators=DATE_BOUNDS)
    quantity = models.PositiveIntegerField(
        _("quantity produced"), validators=[MinValueValidator(1), *QUANTITY_BOUNDS]
    )
    lots = models.ManyToManyField(ProductionLot, related_name="logs", verbose_name=_("lots"), blank=True)
    issues = models.TextField(_("issues met"), blank=True, max_length=2000)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(default=dj_timezone.now)

    objects = OrderChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("production log entry")
        verbose_name_plural = _("production log")
        ordering = ["-produced_on", "-pk"]
        indexes = [models.Index(fields=["line", "produced_on"])]

    def __str__(self):
        return f"{self.produced_on} {self.quantity}"

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.order_id]) + "#production"
