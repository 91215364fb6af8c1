"""New-product invitations: the buyer involves factories early; each invited factory answers, asks and sends samples."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from core.uploads import UploadTo, validate_upload
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

MAX_PRICE = 1_000_000_000


class ProductInvitationQuerySet(SupplierOwnedQuerySet):
    """Invitations: staff see all; a factory contact those its company is invited to (one row per invitee)."""

    supplier_lookup = "invitees__supplier_id"


class ProductInvitation(models.Model):
    """A new product the buyer invites factories to take part in early: specification, targets, a deadline."""

    title = models.CharField(_("title"), max_length=200)
    specification = models.TextField(_("specification"), max_length=20000)
    target_price = models.DecimalField(
        _("target unit price"),
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_PRICE)],
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    target_volume = models.PositiveIntegerField(
        _("target volume"), null=True, blank=True, validators=QUANTITY_BOUNDS
    )
    respond_by = models.DateField(_("answer by"), validators=DATE_BOUNDS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("buyer")
    )
    created_at = models.DateTimeField(_("sent at"), default=dj_timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = ProductInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("product invitation")
        verbose_name_plural = _("product invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"], name="product_invitation_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnership:invitation_detail", args=[self.pk])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class SpecFileQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "invitation__invitees__supplier_id"


class InvitationSpecFile(models.Model):
    """A specification file attached to an invitation (a drawing, a spec sheet), checked by content and size."""

    invitation = models.ForeignKey(ProductInvitation, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=UploadTo("product-specs"), validators=[validate_upload])
    label = models.CharField(_("label"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=dj_timezone.now)

    objects = SpecFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("specification file")
        verbose_name_plural = _("specification files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.label or self.file.name


class Invitee(models.Model):
    """One supplier invited to a new product, with its answer: interested, or declined and why."""

    class Status(models.TextChoices):
        PENDING = "pending", _("No answer yet")
        INTERESTED = "interested", _("Interested")
        DECLINED = "declined", _("Declined")

    invitation = models.ForeignKey(ProductInvitation, on_delete=models.CASCADE, related_name="invitees")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("answer"), max_length=12, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invited supplier")
        verbose_name_plural = _("invited suppliers")
        ordering = ["invitation", "supplier__name"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "supplier"], name="one_invitee_per_supplier")
        ]
        indexes = [models.Index(fields=["supplier", "invitation"], name="invitee_supplier")]

    def __str__(self):
        return f"{self.invitation} → {self.supplier}"


class InviteeOwnedQuerySet(SupplierOwnedQuerySet):
    supplier_lookup = "invitee__supplier_id"


class InvitationMessage(models.Model):
    """One message of the Q&A thread between the buyer and one invited factory (never shown to another)."""

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_factory = models.BooleanField(default=False)
    text = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(default=dj_timezone.now)

    objects = InviteeOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation question or answer")
        verbose_name_plural = _("invitation questions and answers")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Sample(models.Model):
    """Samples a factory sent for an invitation, and the buyer's evaluation of them."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Not evaluated yet")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="samples")
    sent_on = models.DateField(_("sent on"), validators=DATE_BOUNDS)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1), *QUANTITY_BOUNDS])
    tracking = models.CharField(_("tracking number"), max_length=100, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=dj_timezone.now)
    result = models.CharField(_("evaluation"), max_length=10, choices=Result.choices, default=Result.PENDING)
    evaluation_note = models.TextField(_("evaluation note"), max_length=2000, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    objects = InviteeOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        ordering = ["sent_on", "pk"]

    def __str__(self):
        return f"{self.invitee}: {self.quantity} ({self.sent_on})"
