"""Invoices against orders with their lines and payments, the discrepancies the three-way match finds, the
payment-term changes proposed to suppliers, and the reminders sent before and after a due date."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from core.models import SendOnceRow
from core.money import MAX_CHARGE
from core.uploads import UploadTo, detect_kind, validate_upload
from orders.models import ChargeKind, OrderLine, PurchaseOrder
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

from .querysets import InvoiceChildQuerySet, InvoiceQuerySet

MAX_TERMS_DAYS = 365
CENT = Decimal("0.01")


def validate_pdf(value) -> None:
    """Refuse an invoice file of an allowed kind that is not a PDF (an image, a spreadsheet).

    It runs after validate_upload, which refuses everything else (HTML, SVG, unknown) with its own message.
    """
    position = value.tell() if hasattr(value, "tell") else 0
    value.seek(0)
    head = value.read(8192)
    value.seek(position)
    kind = detect_kind(head)
    if kind is not None and kind != "pdf":
        raise ValidationError(_("Upload the invoice as a PDF."), code="file_type")


class Invoice(models.Model):
    """A supplier's invoice against one order: terms, due date, match status and what was paid."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        DISPUTED = "disputed", _("On hold: discrepancy to resolve")
        APPROVED = "approved", _("Approved for payment")
        PARTIALLY_PAID = "partially_paid", _("Partially paid")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    # Statuses of an invoice the buyer still has to pay (the due list, reminders and the KPI use them).
    UNPAID = (Status.SUBMITTED, Status.DISPUTED, Status.APPROVED, Status.PARTIALLY_PAID)

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoices")
    order = models.ForeignKey(
        PurchaseOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoices"
    )
    number = models.CharField(_("invoice number"), max_length=64)
    invoice_date = models.DateField(_("invoice date"), validators=DATE_BOUNDS)
    received_on = models.DateField(_("received on"), validators=DATE_BOUNDS)
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    payment_terms_days = models.PositiveIntegerField(
        _("payment terms (days)"), validators=[MaxValueValidator(MAX_TERMS_DAYS)]
    )
    terms_source = models.CharField(_("terms from"), max_length=200, blank=True)
    due_on = models.DateField(
        _("due date"), help_text=_("The invoice date plus the payment terms in force on that date.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    document = models.FileField(
        _("invoice PDF"),
        upload_to=UploadTo("invoices"),
        validators=[validate_upload, validate_pdf],
        blank=True,
    )
    notes = models.TextField(_("notes"), blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=dj_timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-pk"]
        indexes = [
            models.Index(fields=["supplier", "due_on"]),
            models.Index(fields=["status", "due_on"]),
            # The invoices lists (staff, portal, API) page newest first; scanned backwards.
            models.Index(fields=["invoice_date", "id"], name="invoice_date_id_idx"),
            # The same order within one status: "Invoices on hold" (home page, ?status=) without reading the rest.
            models.Index(fields=["status", "invoice_date", "id"], name="invoice_status_date_idx"),
            # Payments due reads only unpaid invoices, soonest due first: a small index however many are paid.
            models.Index(
                fields=["due_on", "id"],
                condition=Q(status__in=("submitted", "disputed", "approved", "partially_paid")),
                name="invoice_unpaid_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "number"],
                name="one_invoice_number_per_supplier",
                violation_error_message=_("This supplier already sent an invoice with this number."),
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("invoice_date")),
                name="invoice_due_on_or_after_invoice_date",
            ),
            models.CheckConstraint(
                condition=Q(paid_on__isnull=True) | Q(status="paid"),
                name="only_a_paid_invoice_has_a_paid_date",
            ),
        ]

    def __str__(self):
        return f"{self.number} ({self.supplier})"

    def get_absolute_url(self):
        return reverse("payments:invoice_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Return whether the buyer still has to pay this invoice."""
        return self.status in self.UNPAID

    def days_late(self, today) -> int:
        """Return how many days after the due date it was paid, or is still unpaid (0 when on time)."""
        if self.status == self.Status.REJECTED:
            return 0
        end = self.paid_on or today
        return max(0, (end - self.due_on).days)


class InvoiceLine(models.Model):
    """One invoiced item, matched to the order line it bills."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        OrderLine, verbose_name=_("order line"), on_delete=models.PROTECT, related_name="invoice_lines"
    )
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), *QUANTITY_BOUNDS])
    unit_price = models.DecimalField(
        _("unit price"), max_digits=12, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )

    objects = InvoiceChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "order_line"],
                name="one_invoice_line_per_order_line",
                violation_error_message=_("Each order line appears once on an invoice."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.order_line.sku} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        """Return quantity × invoiced unit price, to the cent."""
        return (self.quantity * self.unit_price).quantize(CENT)


class InvoiceCharge(models.Model):
    """An extra charge billed beside the goods (tooling, samples, freight, a surcharge), with the factory's reason.

    The three-way match holds it against the charges agreed on the order (OrderCharge); one not agreed, or
    beyond the agreed amount, opens a discrepancy and a hidden-cost red flag."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField(_("kind"), max_length=10, choices=ChargeKind.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(CENT), MaxValueValidator(MAX_CHARGE)],
    )
    reason = models.CharField(_("reason"), max_length=300)

    objects = InvoiceChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice charge")
        verbose_name_plural = _("invoice charges")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="invoice_charge_has_a_reason"),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.get_kind_display()} {self.amount}"


class InvoiceDiscrepancy(models.Model):
    """A three-way-match failure on one invoice line (a price above the agreed one, or more billed than
    received) or on one extra charge (not agreed on the order, or beyond the agreed amount). While one is open
    the invoice is on hold; a buyer resolves it with a note."""

    class Kind(models.TextChoices):
        PRICE = "price", _("Price above the agreed price")
        QUANTITY = "quantity", _("Quantity above what was received")
        CHARGE = "charge", _("Extra charge not agreed on the order")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="discrepancies")
    # A price or quantity discrepancy is about a line, a charge discrepancy about a charge: exactly one is set.
    line = models.ForeignKey(
        InvoiceLine, on_delete=models.CASCADE, related_name="discrepancies", null=True, blank=True
    )
    charge = models.ForeignKey(
        InvoiceCharge, on_delete=models.CASCADE, related_name="discrepancies", null=True, blank=True
    )
    # Denormalised from the invoice so that discrepancies are scoped and counted per supplier without a join.
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="invoice_discrepancies")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    expected = models.DecimalField(
        _("expected"),
        max_digits=14,
        decimal_places=4,
        help_text=_(
            "The agreed unit price, the quantity received and not yet invoiced, or what is left of the agreed "
            "amount of a charge (0 when none was agreed)."
        ),
    )
    invoiced = models.DecimalField(_("invoiced"), max_digits=14, decimal_places=4)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=dj_timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(_("resolution"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invoice discrepancy")
        verbose_name_plural = _("invoice discrepancies")
        ordering = ["invoice_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["line", "kind"], name="one_discrepancy_per_line_and_kind"),
            models.UniqueConstraint(fields=["charge"], name="one_discrepancy_per_charge"),
            # A charge discrepancy names its charge and no line; a price or quantity one names its line only.
            models.CheckConstraint(
                condition=(Q(kind="charge") & Q(line__isnull=True) & Q(charge__isnull=False))
                | (~Q(kind="charge") & Q(line__isnull=False) & Q(charge__isnull=True)),
                name="discrepancy_names_its_line_or_its_charge",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(resolution_note=""),
                name="resolved_discrepancy_has_a_note",
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("payments:invoice_detail", args=[self.invoice_id]) + f"#discrepancy-{self.pk}"

    @property
    def difference(self) -> Decimal:
        """Return how far the invoice goes beyond what was expected (per unit for a price)."""
        return self.invoiced - self.expected

    @property
    def subject(self) -> str:
        """Say what the discrepancy is about: the SKU of its line, or the kind of its charge."""
        if self.charge_id:
            return str(self.charge.get_kind_display())
        return self.line.order_line.sku


class Payment(models.Model):
    """Money paid against an invoice; several part payments may settle one invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("paid on"), validators=DATE_BOUNDS)
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, validators=[MinValueValidator(CENT)]
    )
    reference = models.CharField(
        _("payment reference"), max_length=100, help_text=_("The bank transfer's reference.")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=dj_timezone.now)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "pk"]
        # The payments list (and its export) walks this index, latest first.
        indexes = [models.Index(fields=["paid_on", "id"], name="payment_paid_id_idx")]
        constraints = [
            # The same transfer recorded twice (a double click, a re-sent API call) is refused.
            models.UniqueConstraint(
                fields=["invoice", "reference"],
                name="one_payment_per_invoice_and_reference",
                violation_error_message=_("A payment with this reference is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.invoice.number}: {self.amount} {self.invoice.currency} on {self.paid_on}"

    def get_absolute_url(self):
        return reverse("payments:invoice_detail", args=[self.invoice_id]) + "#payments"


class PaymentTermChange(models.Model):
    """New payment terms proposed to a supplier, with a reason and an effective date. They apply only once the
    supplier accepts them in the portal, or a manager records an agreement reached another way."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for the supplier")
        ACCEPTED = "accepted", _("Accepted by the supplier")
        DISPUTED = "disputed", _("Disputed by the supplier")
        AGREED = "agreed", _("Agreed outside Forgeline (recorded by a manager)")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The statuses under which the new terms are in force (from the effective date).
    IN_FORCE = (Status.ACCEPTED, Status.AGREED)

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="term_changes")
    previous_terms_days = models.PositiveIntegerField(_("terms before (days)"))
    new_terms_days = models.PositiveIntegerField(
        _("new terms (days)"), validators=[MaxValueValidator(MAX_TERMS_DAYS)]
    )
    reason = models.TextField(_("reason"))
    effective_on = models.DateField(_("effective from"), validators=DATE_BOUNDS)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), default=dj_timezone.now)
    # The supplier's answer in the portal.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    supplier_comment = models.TextField(_("supplier's comment"), blank=True)
    # A manager's record of an agreement reached another way (a call, a meeting, a signed letter).
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(_("agreement recorded at"), null=True, blank=True)
    agreement_note = models.TextField(_("how the agreement was reached"), blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment-term change")
        verbose_name_plural = _("payment-term changes")
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier"],
                condition=Q(status="proposed"),
                name="one_open_term_proposal_per_supplier",
                violation_error_message=_("A proposal to this supplier is already waiting for its answer."),
            ),
            models.CheckConstraint(
                condition=~Q(status="disputed") | ~Q(supplier_comment=""),
                name="disputed_term_change_has_a_comment",
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | ~Q(agreement_note=""),
                name="agreed_term_change_says_how",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "status", "effective_on"])]

    def __str__(self):
        return f"{self.supplier}: {self.previous_terms_days} → {self.new_terms_days} days"

    def get_absolute_url(self):
        return reverse("payments:term_change_list") + f"#term-change-{self.pk}"


class PaymentReminder(SendOnceRow):
    """A reminder to the supplier's owner that an invoice falls due soon or is overdue; one per invoice and kind."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due within 3 days")
        OVERDUE = "overdue", _("Overdue")

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("payment reminder")
        verbose_name_plural = _("payment reminders")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "kind"], name="one_payment_reminder_per_kind"),
        ]

    def __str__(self):
        return f"{self.invoice} — {self.kind}"
