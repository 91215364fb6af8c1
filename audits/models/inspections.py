"""QC inspections with AQL sampling, and batch test (lab) reports."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from core.uploads import UploadTo, validate_upload
from orders.models import Delivery, ProductionLot, PurchaseOrder
from suppliers.models import ProductCategory, Supplier
from suppliers.querysets import SupplierOwnedQuerySet

from ..querysets import (
    SharedInspectionQuerySet,
)
from ..sampling import AQL_VALUES, REDUCED, reduced_disputed_aqls, reduced_fallback_note
from .severity import Severity

AQL_CHOICES = [(value, str(value)) for value in AQL_VALUES]
# The severities a lot can be inspected under: every Severity but discontinued (no sampling plan for that).
INSPECTED_SEVERITIES = [(value, label) for value, label in Severity.choices if value != Severity.DISCONTINUED]


class QCInspection(models.Model):
    """An inspection of a lot at a checkpoint, sampled by ISO 2859-1; its result follows from the defects."""

    class Checkpoint(models.TextChoices):
        PRE_PRODUCTION = "pre_production", _("Pre-production sample")
        IN_LINE = "in_line", _("In-line (during production)")
        PRE_SHIPMENT = "pre_shipment", _("Pre-shipment")
        INCOMING = "incoming", _("Incoming (at receipt)")

    class Level(models.TextChoices):
        I = "I", _("General I (reduced discrimination)")  # noqa: E741
        II = "II", _("General II (normal)")
        III = "III", _("General III (tightened discrimination)")

    class Result(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        REJECT = "reject", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="inspections")
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("order"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("delivery"),
    )
    checkpoint = models.CharField(_("checkpoint"), max_length=20, choices=Checkpoint.choices)
    # The production lot an in-line (or later) inspection sampled: lot-over-lot consistency counts its defects.
    lot = models.ForeignKey(
        ProductionLot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("production lot"),
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("inspector")
    )
    inspected_on = models.DateField(_("inspected on"), validators=DATE_BOUNDS)
    lot_number = models.CharField(_("lot"), max_length=64, blank=True)
    lot_size = models.PositiveIntegerField(_("lot size"), validators=[MinValueValidator(2), *QUANTITY_BOUNDS])
    level = models.CharField(_("inspection level"), max_length=3, choices=Level.choices, default=Level.II)
    aql_major = models.DecimalField(
        _("AQL major"), max_digits=7, decimal_places=3, choices=AQL_CHOICES, default=Decimal("2.5")
    )
    aql_minor = models.DecimalField(
        _("AQL minor"), max_digits=7, decimal_places=3, choices=AQL_CHOICES, default=Decimal("4.0")
    )
    # The stream of lots the switching rules follow (audits.severity): the SKU of the lot's order line, else the
    # supplier's product category, else neither (all its products).
    sku = models.CharField(_("SKU"), max_length=64, blank=True, default="", db_default="")
    product_category = models.ForeignKey(
        ProductCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product category"),
    )
    # The severity the lot was inspected under (ISO 2859-1 switching), and the plan below is of that severity.
    severity = models.CharField(
        _("inspection severity"),
        max_length=12,
        choices=INSPECTED_SEVERITIES,
        default="normal",
        db_default="normal",
    )
    # The sampling plan as computed when the inspection was recorded (ISO 2859-1, single, at `severity`).
    code_letter = models.CharField(_("code letter"), max_length=1)
    sample_size = models.PositiveIntegerField(_("sample size"))
    major_accept = models.PositiveIntegerField(_("major Ac"))
    major_reject = models.PositiveIntegerField(_("major Re"))
    minor_accept = models.PositiveIntegerField(_("minor Ac"))
    minor_reject = models.PositiveIntegerField(_("minor Re"))
    critical_defects = models.PositiveIntegerField(
        _("critical defects"), default=0, validators=QUANTITY_BOUNDS
    )
    major_defects = models.PositiveIntegerField(_("major defects"), default=0, validators=QUANTITY_BOUNDS)
    minor_defects = models.PositiveIntegerField(_("minor defects"), default=0, validators=QUANTITY_BOUNDS)
    defective_units = models.PositiveIntegerField(
        _("defective units"),
        default=0,
        help_text=_("Units with at least one defect; the defect rate counts these."),
        validators=QUANTITY_BOUNDS,
    )
    computed_result = models.CharField(
        _("result by the sampling plan"), max_length=10, choices=Result.choices
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    override_reason = models.TextField(_("reason for overriding the result"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    report = models.FileField(
        _("inspection report"), upload_to=UploadTo("inspections"), validators=[validate_upload], blank=True
    )
    shared_with_supplier = models.BooleanField(_("shared with the supplier"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # A contest of the factory's that a manager accepted (scorecards' RowContest): either the inspection is excused
    # from the defect rate (still listed, apart, with who and why), or its defective count is corrected; the
    # recorded count above stays as QC found it. SharedInspectionQuerySet.counted_for_defect_rate reads both.
    excused_at = models.DateTimeField(_("excused at"), null=True, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    excuse_reason = models.CharField(
        _("why it is excused"), max_length=300, blank=True, default="", db_default=""
    )
    corrected_defective_units = models.PositiveIntegerField(
        _("corrected defective units"),
        null=True,
        blank=True,
        help_text=_(
            "Counted by the defect rate instead of the defective units found, once a contest is accepted."
        ),
        validators=QUANTITY_BOUNDS,
    )
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    correction_reason = models.CharField(
        _("why the count was corrected"), max_length=300, blank=True, default="", db_default=""
    )

    objects = SharedInspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("QC inspection")
        verbose_name_plural = _("QC inspections")
        ordering = ["-inspected_on", "-pk"]
        indexes = [
            models.Index(fields=["supplier", "inspected_on"]),
            models.Index(fields=["supplier", "sku", "product_category", "id"], name="inspection_lot_stream"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(defective_units__lte=models.F("sample_size")),
                name="defective_units_within_sample",
                violation_error_message=_("Defective units cannot exceed the sample size."),
            ),
            models.CheckConstraint(
                condition=Q(corrected_defective_units__isnull=True)
                | Q(corrected_defective_units__lte=models.F("sample_size")),
                name="corrected_defective_units_within_sample",
                violation_error_message=_("Defective units cannot exceed the sample size."),
            ),
            models.CheckConstraint(
                condition=Q(result=models.F("computed_result")) | ~Q(override_reason=""),
                name="overridden_result_has_reason",
                violation_error_message=_("Overriding the result needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.get_checkpoint_display()} {self.inspected_on} — {self.supplier}"

    def get_absolute_url(self):
        return reverse("audits:inspection_detail", args=[self.pk])

    @property
    def counted_defective_units(self) -> int:
        """Return the defective units the defect rate counts: the corrected count once a contest set one."""
        if self.corrected_defective_units is not None:
            return self.corrected_defective_units
        return self.defective_units

    @property
    def reduced_fallback_note(self) -> str:
        """Why this lot, on reduced inspection, was inspected on the normal plan (its code letter and AQL land on a
        disputed cell of ISO 2859-1 Table 2-C: sampling.lot_plans); "" otherwise."""
        if self.severity != REDUCED or not self.code_letter:
            return ""
        try:
            disputed = reduced_disputed_aqls(self.code_letter, self.aql_major, self.aql_minor)
        except ValueError:
            return ""
        return reduced_fallback_note(disputed) if disputed else ""

    @property
    def is_overridden(self) -> bool:
        """Return whether staff overrode the result the sampling plan gave."""
        return self.result != self.computed_result


class BatchTest(models.Model):
    """A laboratory test report for one lot, uploaded by the supplier and reviewed by QC."""

    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    class Review(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="batch_tests")
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batch_tests",
        verbose_name=_("order"),
    )
    lot_number = models.CharField(_("lot"), max_length=64)
    # The production lot the report is for, when the factory logged it (found by order and lot number).
    lot = models.ForeignKey(
        ProductionLot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batch_tests",
        verbose_name=_("production lot"),
    )
    standard = models.CharField(
        _("test standard"), max_length=120, help_text=_("For example EN 71-3, REACH, CPSIA.")
    )
    laboratory = models.CharField(_("laboratory"), max_length=200)
    tested_on = models.DateField(_("tested on"), validators=DATE_BOUNDS)
    outcome = models.CharField(_("lab result"), max_length=10, choices=Outcome.choices)
    report = models.FileField(
        _("lab report"), upload_to=UploadTo("batch-tests"), validators=[validate_upload]
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=dj_timezone.now)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.SUBMITTED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch test")
        verbose_name_plural = _("batch tests")
        ordering = ["-tested_on", "-pk"]

    def __str__(self):
        return f"{self.lot_number} {self.standard}"
