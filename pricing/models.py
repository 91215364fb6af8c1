"""Price agreements per supplier and SKU (versioned), the factory's justified price changes, and open-book
cost breakdowns the buyer asks for."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, DAYS_BOUNDS, QUANTITY_BOUNDS
from core.uploads import UploadTo, validate_upload
from suppliers.models import Supplier
from suppliers.models.contracts import Incoterm
from suppliers.querysets import SupplierOwnedQuerySet

MAX_PRICE = Decimal("99999999.9999")
PRICE_BOUNDS = [MinValueValidator(Decimal("0")), MaxValueValidator(MAX_PRICE)]


def _price_field(label, **kwargs):
    return models.DecimalField(label, max_digits=12, decimal_places=4, validators=PRICE_BOUNDS, **kwargs)


class PriceAgreementQuerySet(SupplierOwnedQuerySet):
    def in_force(self, on):
        """The versions in force on a day (a date, or an expression such as OuterRef("order__ordered_on")): the
        one definition the price checks, the three-way match and the import read."""
        return self.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class PriceAgreement(models.Model):
    """One version of the price agreed with a supplier for a SKU, in force from `valid_from` to `valid_to`.

    A new version from a date closes the one before it the day before; versions of one SKU never overlap.
    """

    class Source(models.TextChoices):
        CREATED = "created", _("Agreed by the buyer")
        NEW_VERSION = "new_version", _("New version by the buyer")
        PRICE_CHANGE = "price_change", _("Price change accepted")
        IMPORT = "import", _("Price-list import")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="price_agreements")
    sku = models.CharField(_("SKU"), max_length=64)
    description = models.CharField(_("description"), max_length=300, blank=True)
    unit_price = _price_field(_("unit price"))
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    moq = models.PositiveIntegerField(
        _("minimum order quantity"), default=1, validators=[MinValueValidator(1), *QUANTITY_BOUNDS]
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=30, validators=DAYS_BOUNDS)
    incoterm = models.CharField(_("Incoterm"), max_length=3, choices=Incoterm.choices, default=Incoterm.FOB)
    valid_from = models.DateField(_("valid from"), validators=DATE_BOUNDS)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, validators=DATE_BOUNDS)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("previous")
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.CREATED)
    price_change = models.ForeignKey(
        "PriceChangeRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="versions"
    )
    note = models.TextField(_("why"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=dj_timezone.now)

    objects = PriceAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("price agreement")
        verbose_name_plural = _("price agreements")
        ordering = ["supplier_id", "sku", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "sku", "version"], name="one_price_version_number"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="price_agreement_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["supplier", "sku", "valid_from"], name="price_agreement_lookup")]

    def __str__(self):
        return f"{self.sku} v{self.version}: {self.unit_price.normalize():f} {self.currency}"

    def get_absolute_url(self):
        return reverse("pricing:agreement_detail", args=[self.pk])

    def in_force_on(self, day) -> bool:
        """Return whether this version applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class ReasonCategory(models.TextChoices):
    MATERIAL = "material", _("Material cost")
    LABOUR = "labour", _("Labour cost")
    ENERGY = "energy", _("Energy cost")
    CURRENCY = "currency", _("Exchange rate")
    REGULATION = "regulation", _("Regulation")
    OTHER = "other", _("Other")


class CostBreakdownFields(models.Model):
    """The four amounts of an open-book cost breakdown of one unit."""

    material = _price_field(_("material"), null=True, blank=True)
    labour = _price_field(_("labour"), null=True, blank=True)
    overhead = _price_field(_("overhead"), null=True, blank=True)
    margin = _price_field(_("margin"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def breakdown_total(self) -> Decimal | None:
        """Return the sum of the amounts given, or None when none was."""
        parts = [p for p in (self.material, self.labour, self.overhead, self.margin) if p is not None]
        return sum(parts, Decimal("0")) if parts else None


class PriceChangeRequest(CostBreakdownFields):
    """The factory's request to change the price of one or more SKUs from a date, with its reason and evidence.

    The buyer accepts, counters (the factory then accepts or declines the counter) or refuses with a reason; an
    accepted change becomes a new agreement version of each SKU from the effective date.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the buyer")
        COUNTERED = "countered", _("Countered by the buyer")
        ACCEPTED = "accepted", _("Accepted")
        COUNTER_ACCEPTED = "counter_accepted", _("Counter accepted")
        COUNTER_DECLINED = "counter_declined", _("Counter declined")
        REFUSED = "refused", _("Refused")

    OPEN = (Status.REQUESTED, Status.COUNTERED)

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="price_changes")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    effective_on = models.DateField(_("effective from"), validators=DATE_BOUNDS)
    reason_category = models.CharField(_("reason"), max_length=20, choices=ReasonCategory.choices)
    explanation = models.TextField(_("explanation"), max_length=4000)
    index_reference = models.CharField(_("index reference"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=dj_timezone.now)
    # The buyer's counter (new prices per item, and possibly a new date).
    counter_effective_on = models.DateField(
        _("countered effective date"), null=True, blank=True, validators=DATE_BOUNDS
    )
    counter_note = models.TextField(_("why the counter"), blank=True)
    # The buyer's decision (accept, counter, refuse) and the factory's answer to a counter.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("buyer's note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("factory's note"), blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price-change request")
        verbose_name_plural = _("price-change requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(decision_note=""), name="refused_price_change_says_why"
            ),
        ]

    def __str__(self):
        return f"PCR-{self.pk} {self.supplier}"

    def get_absolute_url(self):
        return reverse("pricing:change_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def applied_effective_on(self):
        """Return the date the change applies from: the countered date when the counter was accepted."""
        if self.status == self.Status.COUNTER_ACCEPTED and self.counter_effective_on:
            return self.counter_effective_on
        return self.effective_on


class PriceChangeItem(models.Model):
    """One SKU of a price-change request: its agreed price when asked, the new price asked, the buyer's counter."""

    request = models.ForeignKey(PriceChangeRequest, on_delete=models.CASCADE, related_name="items")
    agreement = models.ForeignKey(PriceAgreement, on_delete=models.PROTECT, related_name="change_items")
    sku = models.CharField(_("SKU"), max_length=64)
    old_price = _price_field(_("agreed price"))
    new_price = _price_field(_("new price"))
    counter_price = _price_field(_("countered price"), null=True, blank=True)
    new_agreement = models.ForeignKey(
        PriceAgreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("price-change item")
        verbose_name_plural = _("price-change items")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sku}: {self.old_price.normalize():f} → {self.new_price.normalize():f}"

    @property
    def currency(self) -> str:
        return self.agreement.currency

    @property
    def change_percent(self) -> Decimal | None:
        """Return the change asked, in percent of the agreed price."""
        if not self.old_price:
            return None
        return ((self.new_price - self.old_price) / self.old_price * 100).quantize(Decimal("0.1"))


class PriceChangeDocument(models.Model):
    """A document the factory attached as evidence of a price change (an invoice of material, an index)."""

    request = models.ForeignKey(PriceChangeRequest, on_delete=models.CASCADE, related_name="documents")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(_("document"), upload_to=UploadTo("price-changes"), validators=[validate_upload])
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dj_timezone.now)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("price-change document")
        verbose_name_plural = _("price-change documents")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.request}: {self.file.name}"


class CostBreakdownQuerySet(SupplierOwnedQuerySet):
    def portal_only(self):
        """A factory sees the requests made to it, never the buyer's internal estimates."""
        return self.filter(internal=False)

    def portal_hidden(self):
        return self.filter(internal=True)


class CostBreakdownRequest(CostBreakdownFields):
    """The buyer asks the factory to open its books on a SKU; the factory answers with a cost breakdown.

    The answer is seen by the buyer's staff and by the factory's own contacts, never by another supplier.
    A row marked `internal` is the buyer's own should-cost estimate of the SKU: its staff see it beside the
    factory's answer; the factory never does (portal, API, notices). The buyer's `assessment` of an answer is
    staff-only on every row.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the factory")
        ANSWERED = "answered", _("Answered")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="cost_breakdowns")
    sku = models.CharField(_("SKU"), max_length=64)
    message = models.TextField(_("what the buyer asks"), blank=True, max_length=4000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=dj_timezone.now)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_note = models.TextField(_("factory's note"), blank=True, max_length=4000)
    internal = models.BooleanField(
        _("internal estimate"),
        default=False,
        help_text=_("The buyer's own should-cost estimate: seen by its staff only, never by the factory."),
    )
    assessment = models.TextField(_("buyer's assessment (internal)"), blank=True, max_length=4000)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)

    objects = CostBreakdownQuerySet.as_manager()

    class Meta:
        verbose_name = _("cost-breakdown request")
        verbose_name_plural = _("cost-breakdown requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.sku} ({self.supplier})"

    def get_absolute_url(self):
        return reverse("pricing:breakdown_detail", args=[self.pk])
