"""A factory's contest of one row behind its scorecard, and the decision on it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from audits.models import QCInspection
from communications.models import SupplierIssue
from core.inputs import QUANTITY_BOUNDS
from core.uploads import UploadTo, validate_upload
from orders.models import Delivery
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

REASON_MAX_LENGTH = 2000


class RowContestQuerySet(SupplierOwnedQuerySet):
    """Contests: staff see all; a factory contact its own company's."""

    def open(self):
        """Return the contests waiting for a decision."""
        return self.filter(status=RowContest.Status.OPEN)


class RowContest(models.Model):
    """A factory's contest of one row a KPI counted against it (a late delivery, an inspection's defective count,
    an issue's response time), with its reason and evidence, and the manager's decision with who, when and why."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", _("Late delivery")
        INSPECTION = "inspection", _("Defective count")
        ISSUE = "issue", _("Response time")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    class Outcome(models.TextChoices):
        EXCUSED = "excused", _("Excused: not counted")
        CORRECTED = "corrected", _("Defective count corrected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="row_contests")
    kind = models.CharField(_("row"), max_length=12, choices=Kind.choices)
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("delivery"),
    )
    inspection = models.ForeignKey(
        QCInspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("inspection"),
    )
    issue = models.ForeignKey(
        SupplierIssue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contests",
        verbose_name=_("issue"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    evidence = models.FileField(
        _("evidence"), upload_to=UploadTo("contests"), validators=[validate_upload], blank=True
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("contested at"), default=dj_timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    corrected_defective_units = models.PositiveIntegerField(
        _("corrected defective units"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True, max_length=REASON_MAX_LENGTH)

    objects = RowContestQuerySet.as_manager()

    class Meta:
        verbose_name = _("scorecard contest")
        verbose_name_plural = _("scorecard contests")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "opened_at"]),
            models.Index(fields=["supplier", "opened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="delivery", delivery__isnull=False, inspection__isnull=True, issue__isnull=True)
                    | Q(
                        kind="inspection", delivery__isnull=True, inspection__isnull=False, issue__isnull=True
                    )
                    | Q(kind="issue", delivery__isnull=True, inspection__isnull=True, issue__isnull=False)
                ),
                name="contest_names_one_row_of_its_kind",
            ),
            # A second open contest on the same row is refused (the service says so first).
            models.UniqueConstraint(
                fields=["delivery"], condition=Q(status="open"), name="one_open_contest_per_delivery"
            ),
            models.UniqueConstraint(
                fields=["inspection"], condition=Q(status="open"), name="one_open_contest_per_inspection"
            ),
            models.UniqueConstraint(
                fields=["issue"], condition=Q(status="open"), name="one_open_contest_per_issue"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.row_label}"

    def get_absolute_url(self):
        return reverse("scorecards:contest_detail", args=[self.pk])

    @property
    def row(self):
        """Return the contested delivery, inspection or issue."""
        return {self.Kind.DELIVERY: self.delivery, self.Kind.INSPECTION: self.inspection}.get(
            self.kind, self.issue
        )

    @property
    def row_label(self) -> str:
        """Return how the row is named on both sides (an order's delivery, an inspection, an issue's subject)."""
        row = self.row
        if self.kind == self.Kind.DELIVERY:
            return f"{row.order.number}/{row.sequence}"
        if self.kind == self.Kind.INSPECTION:
            return f"{row.get_checkpoint_display()} {row.inspected_on}" + (
                f" · {row.lot_number}" if row.lot_number else ""
            )
        return row.subject

    @property
    def kpi(self) -> str:
        """Return the KPI the row counts in."""
        from ..models import Kpi

        return {
            self.Kind.DELIVERY: Kpi.ON_TIME_DELIVERY,
            self.Kind.INSPECTION: Kpi.DEFECT_RATE,
            self.Kind.ISSUE: Kpi.RESPONSE_TIME,
        }[self.kind]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
