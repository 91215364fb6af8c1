"""Purchase orders with their lines, deliveries (with the dates the supplier proposed), changes the buyer made
after sending an order, and pilot programmes of trial orders."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from core.money import MAX_CHARGE
from suppliers.models import Incoterm, Supplier
from suppliers.querysets import SupplierOwnedQuerySet

from .querysets import (
    LATE_CHANGE_DAYS,
    DeliveryQuerySet,
    DisruptionQuerySet,
    OrderChangeQuerySet,
    OrderChargeQuerySet,
    OrderQuerySet,
)


class PilotProgram(models.Model):
    """Trial orders placed with a supplier in the pilot stage, judged against success criteria."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PASSED = "passed", _("Passed")
        EXTENDED = "extended", _("Extended")
        REJECTED = "rejected", _("Rejected")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="pilots")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("starts on"), validators=DATE_BOUNDS)
    ends_on = models.DateField(_("ends on"), validators=DATE_BOUNDS)
    target_on_time_rate = models.DecimalField(
        _("on-time delivery target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("95"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    target_defect_rate = models.DecimalField(
        _("defect rate target (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    other_criteria = models.TextField(_("other criteria"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RUNNING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("pilot programme")
        verbose_name_plural = _("pilot programmes")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="pilot_ends_after_start",
                violation_error_message=_("A pilot must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("scorecards:pilot_detail", args=[self.pk])


class OrderNumberSequence(models.Model):
    """The last PO number issued in a year; the row is locked while the next number is taken."""

    year = models.PositiveSmallIntegerField(
        _("year"), primary_key=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    last_number = models.PositiveIntegerField(
        _("last number issued"), default=0, validators=[MaxValueValidator(9_999_999)]
    )

    class Meta:
        verbose_name = _("PO number sequence")
        verbose_name_plural = _("PO number sequences")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class PurchaseOrder(models.Model):
    """An order placed with a supplier."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PRODUCTION = "in_production", _("In production")
        SHIPPED = "shipped", _("Shipped")
        PARTIALLY_RECEIVED = "partially_received", _("Partially received")
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")
        DECLINED = "declined", _("Declined by the factory")

    number = models.CharField(_("PO number"), max_length=50, unique=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ordered_on = models.DateField(_("ordered on"), validators=DATE_BOUNDS)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    pilot = models.BooleanField(_("trial (pilot) order"), default=False)
    pilot_program = models.ForeignKey(
        PilotProgram,
        verbose_name=_("pilot programme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("why the factory declined"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-ordered_on", "-pk"]
        indexes = [
            models.Index(fields=["supplier", "status"]),
            # The orders lists (staff, portal, API) page through orders newest first; scanned backwards.
            models.Index(fields=["ordered_on", "id"], name="order_ordered_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pilot_program__isnull=True) | Q(pilot=True),
                name="order_in_pilot_programme_is_a_pilot_order",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Return whether the order still expects goods."""
        return self.status not in (
            self.Status.DRAFT,
            self.Status.RECEIVED,
            self.Status.CLOSED,
            self.Status.CANCELLED,
            self.Status.DECLINED,
        )


class OrderLine(models.Model):
    """One item of an order at the price both sides agreed."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    sku = models.CharField(_("SKU"), max_length=64)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), *QUANTITY_BOUNDS])
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    unit_price = models.DecimalField(
        _("agreed unit price"), max_digits=12, decimal_places=4, validators=[MinValueValidator(Decimal("0"))]
    )
    required_on = models.DateField(_("required on"), validators=DATE_BOUNDS)
    # The price agreement in force for the SKU on the order date (pricing), and why a line is priced off it.
    price_agreement = models.ForeignKey(
        "pricing.PriceAgreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("price agreement"),
    )
    off_agreement_reason = models.CharField(_("why priced off the agreement"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        """Return quantity × agreed unit price."""
        return self.quantity * self.unit_price


class Delivery(models.Model):
    """One shipment against an order: the date the buyer accepted, then what shipped and what arrived."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SHIPPED = "shipped", _("Shipped")
        RECEIVED = "received", _("Received")
        CANCELLED = "cancelled", _("Cancelled")

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="deliveries")
    # Denormalised from the order so that deliveries are scoped and aggregated per supplier without a join.
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="deliveries")
    sequence = models.PositiveSmallIntegerField(_("delivery no."), default=1)
    promised_on = models.DateField(
        _("promised date"),
        help_text=_("The latest date the buyer accepted; on-time delivery is measured against it."),
        validators=DATE_BOUNDS,
    )
    original_promised_on = models.DateField(_("originally promised"), validators=DATE_BOUNDS)
    quantity_planned = models.PositiveIntegerField(_("quantity planned"), validators=QUANTITY_BOUNDS)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True, validators=DATE_BOUNDS)
    tracking_reference = models.CharField(_("tracking reference"), max_length=100, blank=True)
    quantity_shipped = models.PositiveIntegerField(
        _("quantity shipped"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    received_on = models.DateField(_("received on"), null=True, blank=True, validators=DATE_BOUNDS)
    quantity_received = models.PositiveIntegerField(
        _("quantity received"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    quantity_rejected = models.PositiveIntegerField(
        _("quantity rejected"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # Excused by a manager (hit by a declared disruption, or by the buyer's own change): the delivery still shows
    # on the scorecard, counted apart, but not against on-time delivery (DeliveryQuerySet.counted_for_on_time).
    excused_at = models.DateTimeField(_("excused at"), null=True, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A database default too: bulk loads (the benchmark's COPY) that name only the older columns stay valid.
    excuse_reason = models.CharField(
        _("why it is excused"), max_length=300, blank=True, default="", db_default=""
    )
    excuse_disruption = models.ForeignKey(
        "Disruption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="excused_deliveries",
        verbose_name=_("disruption"),
    )

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["promised_on", "pk"]
        indexes = [
            models.Index(fields=["supplier", "promised_on"]),
            models.Index(fields=["supplier", "received_on"]),
            # The deliveries list (API and pages) pages through all suppliers' deliveries in this order.
            models.Index(fields=["promised_on", "id"], name="delivery_promised_id_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["order", "sequence"], name="one_delivery_number_per_order"),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True) | Q(quantity_received__isnull=False),
                name="received_delivery_has_quantity",
            ),
            models.CheckConstraint(
                condition=Q(quantity_rejected__isnull=True)
                | Q(quantity_rejected__lte=models.F("quantity_received")),
                name="delivery_rejects_at_most_what_arrived",
            ),
        ]

    def __str__(self):
        return f"{self.order.number}/{self.sequence}"

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.order_id]) + f"#delivery-{self.pk}"

    def is_late(self, today) -> bool:
        """Return whether the delivery arrived after, or is still missing past, its promised date."""
        if self.status == self.Status.CANCELLED:
            return False
        if self.received_on is not None:
            return self.received_on > self.promised_on
        return today > self.promised_on

    def is_receivable(self, today) -> bool:
        """Return whether goods can be received against it: shipped, or planned and due by today."""
        if self.status == self.Status.SHIPPED:
            return True
        return self.status == self.Status.PLANNED and self.promised_on <= today

    @property
    def expected_quantity(self) -> int:
        """Return what should arrive: what the factory shipped, else what was planned."""
        return self.quantity_shipped or self.quantity_planned

    @property
    def pending_proposal(self):
        """Return the supplier's date proposal awaiting the buyer's answer, if any (uses prefetched rows)."""
        return next((p for p in self.date_proposals.all() if p.status == DateProposal.Status.PENDING), None)


class ReceiptLine(models.Model):
    """What arrived of one order line with one delivery, and how much of it was rejected at the door."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="receipt_lines")
    line = models.ForeignKey(OrderLine, on_delete=models.PROTECT, related_name="receipt_lines")
    quantity_received = models.PositiveIntegerField(_("quantity received"), validators=QUANTITY_BOUNDS)
    quantity_rejected = models.PositiveIntegerField(
        _("quantity rejected"), default=0, validators=QUANTITY_BOUNDS
    )

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "line"], name="one_receipt_line_per_delivery_line"),
            models.CheckConstraint(
                condition=Q(quantity_rejected__lte=models.F("quantity_received")),
                name="receipt_line_rejects_at_most_what_arrived",
            ),
        ]

    def __str__(self):
        return f"{self.delivery}: {self.line.sku} {self.quantity_received}"


class DisruptionCause(models.TextChoices):
    """Why a delivery date moves: the cause a date proposal or a declared disruption gives."""

    WEATHER = "weather", _("Weather or natural event")
    LOGISTICS = "logistics", _("Port or logistics")
    MATERIAL = "material", _("Material shortage")
    POWER = "power", _("Power or public order")
    FACTORY = "factory", _("Factory internal")
    BUYER_CHANGE = "buyer_change", _("Buyer's change")
    OTHER = "other", _("Other")


class DateProposal(models.Model):
    """A new delivery date the supplier proposed, with why; only an accepted one moves the promised date."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the buyer")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        CLOSED = "closed", _("Closed without an answer")

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="date_proposals")
    proposed_on = models.DateField(_("proposed date"), validators=DATE_BOUNDS)
    cause = models.CharField(
        _("cause"),
        max_length=20,
        choices=DisruptionCause.choices,
        default=DisruptionCause.OTHER,
        db_default=DisruptionCause.OTHER,
    )
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=dj_timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("date proposal")
        verbose_name_plural = _("date proposals")
        ordering = ["-proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery"], condition=Q(status="pending"), name="one_pending_proposal_per_delivery"
            ),
        ]

    def __str__(self):
        return f"{self.delivery} → {self.proposed_on}"


class OrderChange(models.Model):
    """A change to a sent order, proposed by one side and answered by the other; applied only once agreed.

    The buyer proposes a new quantity, required date or a cancellation; the factory accepts it or counters with
    its own values and a reason, or a manager records it as agreed another way. The factory may also confirm an
    order with changes of its own (per line), which the buyer accepts or rejects. Rows written before proposals
    existed were applied at once (`imposed`).
    """

    class Kind(models.TextChoices):
        QUANTITY = "quantity", _("Quantity changed")
        REQUIRED_DATE = "required_date", _("Required date changed")
        CANCELLATION = "cancellation", _("Order cancelled")

    class Side(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        FACTORY = "factory", _("Factory")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for an answer")
        COUNTERED = "countered", _("Countered by the factory")
        ACCEPTED = "accepted", _("Accepted")
        COUNTER_ACCEPTED = "counter_accepted", _("Counter accepted by the buyer")
        AGREED = "agreed", _("Agreed another way (recorded by a manager)")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed without an answer")
        IMPOSED = "imposed", _("Made without asking the factory")

    # Waiting for someone: the old values stand.
    OPEN = (Status.PROPOSED, Status.COUNTERED)
    # Applied with the values the proposer asked for (a counter accepted applies the factory's values instead).
    APPLIED_AS_PROPOSED = (Status.ACCEPTED, Status.AGREED, Status.IMPOSED)

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="changes")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="order_changes")
    line = models.ForeignKey(
        OrderLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    side = models.CharField(_("proposed by"), max_length=10, choices=Side.choices, default=Side.BUYER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    old_value = models.CharField(_("from"), max_length=100, blank=True)
    new_value = models.CharField(_("to"), max_length=100, blank=True)
    # The proposed values, typed, so that an accepted proposal can be applied.
    new_quantity = models.PositiveIntegerField(
        _("proposed quantity"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    new_required_on = models.DateField(_("proposed date"), null=True, blank=True, validators=DATE_BOUNDS)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("proposed at"), default=dj_timezone.now)
    days_before_required = models.IntegerField(
        _("days before the required date"),
        help_text=_("Negative when the change came after the required date."),
    )
    # The factory's counter: its own values, with why.
    counter_quantity = models.PositiveIntegerField(
        _("counter quantity"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    counter_required_on = models.DateField(_("counter date"), null=True, blank=True, validators=DATE_BOUNDS)
    counter_reason = models.TextField(_("reason for the counter"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # A manager's note of an agreement reached another way, or the buyer's note on an answer.
    answer_note = models.TextField(_("note"), blank=True)

    objects = OrderChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("order change")
        verbose_name_plural = _("order changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["supplier", "changed_at"], name="order_change_supplier_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "kind"],
                condition=Q(status__in=["proposed", "countered"], line__isnull=False),
                name="one_open_change_per_line_and_kind",
                violation_error_message=_("A change of this line is already waiting for an answer."),
            ),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(status__in=["proposed", "countered"], kind="cancellation"),
                name="one_open_cancellation_per_order",
                violation_error_message=_("A cancellation of this order is already waiting for an answer."),
            ),
            models.CheckConstraint(
                condition=~Q(status="agreed") | ~Q(answer_note=""),
                name="agreed_order_change_says_how",
            ),
            models.CheckConstraint(
                condition=~Q(status="countered") | ~Q(counter_reason=""),
                name="countered_order_change_says_why",
            ),
        ]

    def __str__(self):
        return f"{self.order}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        """Return whether the change still waits for an answer (the old values stand)."""
        return self.status in self.OPEN

    @property
    def is_late(self) -> bool:
        """Return whether it was proposed less than 14 days before the required date (as the two-way card counts)."""
        return self.days_before_required < LATE_CHANGE_DAYS

    @property
    def applied_value(self) -> str:
        """Return the value the order took: the factory's counter if the buyer accepted it, else the proposed one."""
        if self.status == self.Status.COUNTER_ACCEPTED and self.counter_value:
            return self.counter_value
        return self.new_value

    @property
    def counter_value(self) -> str:
        """Return the factory's counter values as text."""
        if self.counter_quantity is not None:
            return str(self.counter_quantity)
        if self.counter_required_on is not None:
            return self.counter_required_on.isoformat()
        return ""


class Disruption(models.Model):
    """A disruption a manager declared for a region or port and a period, with the suppliers it hit.

    A delivery of a linked supplier promised within the period, or up to AFTERMATH_DAYS after it ended, may be
    excused by a manager: it stays on the scorecard, apart, and no longer counts against on-time delivery.
    """

    AFTERMATH_DAYS = 30

    title = models.CharField(_("title"), max_length=200)
    cause = models.CharField(_("cause"), max_length=20, choices=DisruptionCause.choices)
    region = models.CharField(_("region or port"), max_length=200)
    starts_on = models.DateField(_("from"), validators=DATE_BOUNDS)
    ends_on = models.DateField(_("until"), validators=DATE_BOUNDS)
    description = models.TextField(_("what happened"), blank=True)
    suppliers = models.ManyToManyField(
        Supplier, related_name="disruptions", verbose_name=_("suppliers affected"), blank=True
    )
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(_("declared at"), default=dj_timezone.now)

    objects = DisruptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("disruption")
        verbose_name_plural = _("disruptions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="disruption_ends_after_start",
                violation_error_message=_("A disruption ends on or after the day it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.region}, {self.starts_on} – {self.ends_on})"

    def get_absolute_url(self):
        return reverse("orders:disruption_detail", args=[self.pk])


class ChargeKind(models.TextChoices):
    """Kinds of extra charge a factory may bill beside the goods (agreed on the order, billed on the invoice)."""

    TOOLING = "tooling", _("Tooling")
    SAMPLES = "samples", _("Samples")
    FREIGHT = "freight", _("Freight")
    SURCHARGE = "surcharge", _("Surcharge")
    OTHER = "other", _("Other")


class OrderCharge(models.Model):
    """An extra charge the buyer agreed to on an order, up to a cap: the three-way match lets invoice charges of
    that kind through up to the cap (over all the order's invoices) and opens a discrepancy beyond it."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="charges")
    kind = models.CharField(_("kind"), max_length=10, choices=ChargeKind.choices)
    amount_cap = models.DecimalField(
        _("agreed up to"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_CHARGE)],
        help_text=_(
            "The most the factory may bill for this kind of charge on this order, in the order's currency."
        ),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = OrderChargeQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreed charge")
        verbose_name_plural = _("agreed charges")
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "kind"],
                name="one_agreed_charge_per_order_and_kind",
                violation_error_message=_("This kind of charge is already agreed on the order."),
            ),
        ]

    def __str__(self):
        return f"{self.order.number}: {self.get_kind_display()} ≤ {self.amount_cap}"

    def get_absolute_url(self):
        return reverse("orders:detail", args=[self.order_id]) + "#charges"


# Production records (the factory's start, daily log and lots) live in their own module.
from .models_production import ProductionLog, ProductionLot, ProductionPlan  # noqa: E402, F401
