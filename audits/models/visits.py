"""The visit report of an audit: the people met on the factory side, the challenges and ideas they raised, and
follow-ups with an owner and a due date. The shared part is what the factory sees and may add to."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from core.inputs import DATE_BOUNDS
from suppliers.models import Supplier
from suppliers.querysets import InternalQuerySet

from ..querysets import AuditChildQuerySet
from .audits import Audit

MAX_VISIT_TEXT = 2000


class VisitPerson(models.Model):
    """Someone met on the factory side during the visit: a role, and a name when they gave it."""

    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        SUPERVISOR = "supervisor", _("Supervisor")
        OPERATOR = "operator", _("Operator")
        INSPECTOR = "inspector", _("Inspector")
        OTHER = "other", _("Other")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="people_met")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150, blank=True)
    area = models.CharField(_("line or area"), max_length=150, blank=True)

    objects = AuditChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("person met")
        verbose_name_plural = _("people met")
        ordering = ["role", "pk"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}".strip()


class VisitNoteQuerySet(AuditChildQuerySet):
    """Visit notes: a factory contact sees the shared ones of its visible audits."""

    def portal_only(self):
        return super().portal_only().filter(shared=True)

    def portal_hidden(self):
        return self.exclude(pk__in=self.portal_only().values("pk"))


class VisitNote(models.Model):
    """A challenge or an idea raised during a visit, or a follow-up with an owner and a due date."""

    class Kind(models.TextChoices):
        CHALLENGE = "challenge", _("Challenge")
        IDEA = "idea", _("Idea")
        FOLLOW_UP = "follow_up", _("Follow-up")

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="visit_notes")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("text"), max_length=MAX_VISIT_TEXT)
    owner = models.CharField(_("owner"), max_length=150, blank=True, help_text=_("Who does it (follow-ups)."))
    due_on = models.DateField(_("due on"), null=True, blank=True, validators=DATE_BOUNDS)
    done_on = models.DateField(_("done on"), null=True, blank=True, validators=DATE_BOUNDS)
    # Shared with the factory (the default); an internal note stays with the buyer.
    shared = models.BooleanField(_("shared with the factory"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=dj_timezone.now, editable=False)

    objects = VisitNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit note")
        verbose_name_plural = _("visit notes")
        ordering = ["kind", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="follow_up") | Q(due_on__isnull=False) & ~Q(owner=""),
                name="visit_follow_up_has_owner_and_due_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class VisitCadence(models.Model):
    """How often a supplier is to be visited on site (e.g. every 12 months for a strategic one)."""

    supplier = models.OneToOneField(Supplier, on_delete=models.CASCADE, related_name="visit_cadence")
    every_months = models.PositiveSmallIntegerField(
        _("visit every (months)"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )

    objects = InternalQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit cadence")
        verbose_name_plural = _("visit cadences")

    def __str__(self):
        return f"{self.supplier}: every {self.every_months} months"
