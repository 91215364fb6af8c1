"""A reference letter: a supplier's KPIs over a period, frozen when the buyer issued it, with its validity."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

ADDRESSEE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 3000
REASON_MAX_LENGTH = 1000
DEFAULT_ADDRESSEE = "To whom it may concern"


class ReferenceLetterQuerySet(SupplierOwnedQuerySet):
    """Letters: staff see all; a factory contact its own company's."""

    def in_force(self, now=None):
        """Return the letters neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or dj_timezone.now())


class ReferenceLetter(models.Model):
    """A letter vouching for a supplier: its on-time delivery, defect rate and response time over a period against
    their targets, frozen at issue (the letter never changes), who issued it, until when it is valid, and the
    manager's reason when a KPI missed its target."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="reference_letters")
    # The supplier as named when the letter was issued: a later rename does not change a letter already sent.
    supplier_name = models.CharField(_("supplier name"), max_length=200)
    supplier_country = models.CharField(_("country"), max_length=2, blank=True)
    period_start = models.DateField(_("period from"), validators=DATE_BOUNDS)
    period_end = models.DateField(_("period to"), validators=DATE_BOUNDS)
    # {kpi: {numerator, denominator, sample, median_hours?, value, target, met}} as kpis.py and targets.py gave them.
    figures = models.JSONField(_("KPI figures"), default=dict)
    below_target = models.BooleanField(_("issued below target"), default=False)
    below_target_reason = models.TextField(_("manager's reason"), blank=True, max_length=REASON_MAX_LENGTH)
    addressee = models.CharField(_("addressee"), max_length=ADDRESSEE_MAX_LENGTH, default=DEFAULT_ADDRESSEE)
    text = models.TextField(_("letter text"), blank=True, max_length=TEXT_MAX_LENGTH)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issuer_name = models.CharField(_("issued by"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"), default=dj_timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_reason = models.TextField(_("why revoked"), blank=True, max_length=REASON_MAX_LENGTH)

    objects = ReferenceLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("reference letter")
        verbose_name_plural = _("reference letters")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["supplier", "issued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lt=models.F("period_end")), name="letter_period_runs_forward"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("issued_at")), name="letter_expires_after_issue"
            ),
            # A letter below target carries the manager's reason; one on target carries none.
            models.CheckConstraint(
                condition=Q(below_target=False, below_target_reason="")
                | (Q(below_target=True) & ~Q(below_target_reason="")),
                name="letter_below_target_has_a_reason",
            ),
        ]

    def __str__(self):
        return f"{self.supplier_name} {self.period_start}–{self.period_end}"

    def get_absolute_url(self):
        return reverse("scorecards:letter_pdf", args=[self.pk])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_expired(self, now=None) -> bool:
        """Return whether the letter's validity has run out."""
        return (now or dj_timezone.now()) >= self.expires_at

    def status(self, now=None) -> str:
        """Return "revoked", "expired" or "valid"."""
        if self.is_revoked:
            return "revoked"
        return "expired" if self.is_expired(now) else "valid"
