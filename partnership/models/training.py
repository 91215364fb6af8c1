"""Training the buyer offers or gives a factory's people, and the community or social programmes it supports."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS, QUANTITY_BOUNDS
from suppliers.models import Supplier
from suppliers.querysets import SupplierOwnedQuerySet

MAX_ATTENDEES = 10_000


class TrainingQuerySet(SupplierOwnedQuerySet):
    """Training records: staff see all, a factory contact its own company's."""


class Training(models.Model):
    """A training offered to or given at a supplier: its topic, date, the people and who gave it."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted by the factory")
        GIVEN = "given", _("Given")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="trainings")
    topic = models.CharField(_("topic"), max_length=200)
    held_on = models.DateField(_("date"), validators=DATE_BOUNDS)
    people = models.TextField(_("people (names or roles)"), blank=True, max_length=2000)
    attendee_count = models.PositiveIntegerField(
        _("number of people"), default=0, validators=[MinValueValidator(0), *QUANTITY_BOUNDS]
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("given by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=dj_timezone.now)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["-held_on", "-id"], name="training_held_desc")]

    def __str__(self):
        return f"{self.topic} ({self.held_on})"

    def get_absolute_url(self):
        return reverse("partnership:training_list") + f"?supplier={self.supplier_id}#training-{self.pk}"


class CommunityProgrammeQuerySet(SupplierOwnedQuerySet):
    """Community programmes: staff see all, a factory contact its own company's."""


class CommunityProgramme(models.Model):
    """A community or social programme the buyer supports with a supplier (a school, a clinic, a clean-up)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="community_programmes")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_on = models.DateField(_("from"), validators=DATE_BOUNDS)
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=DATE_BOUNDS)
    contribution = models.TextField(_("contribution"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), default=dj_timezone.now)

    objects = CommunityProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("community programme")
        verbose_name_plural = _("community programmes")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["-starts_on", "-id"], name="programme_starts_desc")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="programme_ends_after_start",
                violation_error_message=_("A programme ends on or after the day it starts."),
            )
        ]

    def __str__(self):
        return self.name
