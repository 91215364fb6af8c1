"""Inspection severity per supplier and SKU (ISO 2859-1 switching): the state in force and its history of switches.

A stream of lots is one supplier's SKU; an inspection that names no SKU falls back to the supplier's product
category (when it makes exactly one), else to all the supplier's products without a SKU (sku "" and no category).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from suppliers.models import ProductCategory, Supplier
from suppliers.querysets import SupplierOwnedQuerySet

from ..sampling import NORMAL, REDUCED, TIGHTENED
from ..switching import DISCONTINUED, TIGHTEN_WINDOW

WINDOW_BOUNDS = [MinValueValidator(0), MaxValueValidator(TIGHTEN_WINDOW)]


class Severity(models.TextChoices):
    """The severities a stream of lots can be under (the words come from audits.sampling and audits.switching)."""

    NORMAL = NORMAL, _("Normal")
    TIGHTENED = TIGHTENED, _("Tightened")
    REDUCED = REDUCED, _("Reduced")
    DISCONTINUED = DISCONTINUED, _("Discontinued")


class SwitchRule(models.TextChoices):
    """Why a severity is in force: a rule of the standard, the start, or a hand switch."""

    START = "start", _("Normal at the start")
    NORMAL_TO_TIGHTENED = "normal_to_tightened", _("Normal to tightened")
    TIGHTENED_TO_NORMAL = "tightened_to_normal", _("Tightened to normal")
    REDUCED_TO_NORMAL = "reduced_to_normal", _("Reduced to normal")
    DISCONTINUE = "discontinue", _("Discontinued")
    HAND = "hand", _("Switched by hand")
    DEFECT_FLAG = "defect_flag", _("Tightened for a defect-rate red flag")
    RESUME = "resume", _("Resumed on tightened")


def _lots_text(labels) -> str:
    labels = [str(label) for label in labels]
    if len(labels) == 1:
        return gettext("lot %(label)s") % {"label": labels[0]}
    return gettext("lots %(labels)s") % {"labels": ", ".join(labels)}


def severity_explanation(*, rule: str, lots, window: int = 0, reason: str = "") -> str:
    """Return why a severity is in force in the active language: the rule with its lots, or the hand reason."""
    lots = list(lots or [])
    if rule == SwitchRule.NORMAL_TO_TIGHTENED:
        return gettext("%(n)s of the last %(window)s lots rejected (%(lots)s)") % {
            "n": len(lots),
            "window": window or len(lots),
            "lots": _lots_text(lots),
        }
    if rule == SwitchRule.TIGHTENED_TO_NORMAL:
        return gettext("%(n)s consecutive lots accepted on tightened inspection (%(lots)s)") % {
            "n": len(lots),
            "lots": _lots_text(lots),
        }
    if rule == SwitchRule.DISCONTINUE:
        return gettext(
            "%(n)s lots not accepted while on tightened inspection (%(lots)s): inspection is discontinued until "
            "the corrective action is accepted"
        ) % {"n": len(lots), "lots": _lots_text(lots)}
    if rule == SwitchRule.REDUCED_TO_NORMAL:
        return gettext("%(lots)s not accepted on reduced inspection") % {"lots": _lots_text(lots)}
    if rule == SwitchRule.HAND:
        return gettext("switched by hand: %(reason)s") % {"reason": reason}
    if rule == SwitchRule.DEFECT_FLAG:
        return gettext("the defect rate is above target: %(reason)s") % {"reason": reason}
    if rule == SwitchRule.RESUME:
        return gettext("resumed on tightened: %(reason)s") % {"reason": reason}
    return gettext("normal at the start: no lot has switched it")


class InspectionSeverity(models.Model):
    """The inspection severity in force for one supplier's SKU (or category), with the reason and since when."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="inspection_severities")
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    severity = models.CharField(
        _("severity"), max_length=12, choices=Severity.choices, default=Severity.NORMAL
    )
    rule = models.CharField(_("why"), max_length=20, choices=SwitchRule.choices, default=SwitchRule.START)
    lots = models.JSONField(_("lots behind the rule"), default=list, blank=True)
    # normal → tightened: the 5 of "2 of the last 5" (at most the standard's window)
    window = models.PositiveSmallIntegerField(_("out of lots"), default=0, validators=WINDOW_BOUNDS)
    reason = models.TextField(
        _("reason"), blank=True
    )  # the hand switch's reason, or the rule in words (English)
    progress = models.CharField(
        _("progress"), max_length=400, blank=True
    )  # the rules' count since the switch
    since = models.DateTimeField(_("since"), default=dj_timezone.now)
    # Lots recorded after this inspection count towards the next switch (the replay starts at `severity`).
    counting_after = models.ForeignKey(
        "audits.QCInspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection severity")
        verbose_name_plural = _("inspection severities")
        ordering = ["supplier_id", "sku", "category_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "sku"], condition=Q(category__isnull=True), name="one_severity_per_sku"
            ),
            models.UniqueConstraint(
                fields=["supplier", "category"],
                condition=Q(category__isnull=False),
                name="one_severity_per_category",
            ),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(sku=""), name="severity_sku_or_category"
            ),
        ]

    def __str__(self):
        return f"{self.supplier}: {self.product_label} — {self.get_severity_display()}"

    def get_absolute_url(self):
        return reverse("audits:severity_detail", args=[self.pk])

    @property
    def explanation(self) -> str:
        """Return why this severity is in force, in the reader's language."""
        return severity_explanation(rule=self.rule, lots=self.lots, window=self.window, reason=self.reason)

    @property
    def product_label(self) -> str:
        """Return what the stream is: the SKU, the category, or all products."""
        if self.sku:
            return self.sku
        if self.category_id:
            return str(self.category)
        return str(_("all products"))


class SeveritySwitch(models.Model):
    """One switch of a stream's severity: by the rules after a lot, or by hand by quality staff with a reason."""

    state = models.ForeignKey(InspectionSeverity, on_delete=models.CASCADE, related_name="switches")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    from_severity = models.CharField(_("from"), max_length=12, choices=Severity.choices)
    to_severity = models.CharField(_("to"), max_length=12, choices=Severity.choices)
    rule = models.CharField(_("why"), max_length=20, choices=SwitchRule.choices)
    lots = models.JSONField(_("lots behind the rule"), default=list, blank=True)
    window = models.PositiveSmallIntegerField(_("out of lots"), default=0, validators=WINDOW_BOUNDS)
    reason = models.TextField(_("reason"))
    inspection = models.ForeignKey(
        "audits.QCInspection", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=dj_timezone.now)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("severity switch")
        verbose_name_plural = _("severity switches")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.state.product_label}: {self.get_from_severity_display()} → {self.get_to_severity_display()}"

    def get_absolute_url(self):
        return reverse("audits:severity_detail", args=[self.state_id])

    @property
    def explanation(self) -> str:
        """Return why the switch was made, in the reader's language."""
        return severity_explanation(rule=self.rule, lots=self.lots, window=self.window, reason=self.reason)

    @property
    def automatic(self) -> bool:
        """Return whether the rules switched (no one by hand)."""
        return self.by_id is None
