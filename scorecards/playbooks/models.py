"""A red flag's recommended action, taken (PlaybookAction), a contract review opened by one (ContractReview), and
the copy of a contact change sent to the factory's general manager (GeneralManagerCopy)."""

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, CorrectiveAction, SeveritySwitch
from communications.models import CheckIn
from core.models import SendOnceRow
from pricing.models import CostBreakdownRequest
from suppliers.models import Contact, Supplier

# How many weeks after an action the flag records whether its KPI recovered: the one place it is set.
REVIEW_WEEKS = settings.FORGELINE_PLAYBOOK_REVIEW_WEEKS


class ContractReview(models.Model):
    """A review of a supplier's contract after a KPI was missed three periods running, with what came of it."""

    class Outcome(models.TextChoices):
        AMENDED = "amended", _("Contract amended")
        CONFIRMED = "confirmed", _("Contract confirmed as it is")
        EXIT_PLAN = "exit_plan", _("Exit plan")

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="contract_reviews")
    reason = models.TextField(_("why"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=dj_timezone.now)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(_("what was decided"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")
        ordering = ["-opened_at", "-pk"]

    def __str__(self):
        return f"{self.supplier}: {self.get_outcome_display() or _('open')}"


class PlaybookAction(models.Model):
    """One step of a red flag's playbook, taken by staff: what it created, and whether the KPI recovered after."""

    class Kind(models.TextChoices):
        PRODUCTION_REVIEW = "production_review", _("Schedule a production review")
        CORRECTIVE_ACTION = "corrective_action", _("Raise a corrective action")
        PROCESS_AUDIT = "process_audit", _("Plan a process audit")
        FACTORY_CONTACT = "factory_contact", _("Reassign the factory's contact")
        OUR_CONTACT = "our_contact", _("Reassign our contact")
        CONTRACT_REVIEW = "contract_review", _("Open a contract review")
        COST_BREAKDOWN = "cost_breakdown", _("Request a cost breakdown")
        TIGHTENED_INSPECTION = "tightened_inspection", _("Switch to tightened inspection")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        RECOVERED = "recovered", _("Recovered")
        NOT_RECOVERED = "not_recovered", _("Not recovered")
        NO_DATA = "no_data", _("Not enough data")

    flag = models.ForeignKey(
        "scorecards.RedFlag",
        on_delete=models.CASCADE,
        related_name="playbook_actions",
        verbose_name=_("red flag"),
    )
    kind = models.CharField(_("action"), max_length=20, choices=Kind.choices)
    kpi = models.CharField(_("KPI measured"), max_length=30, blank=True)  # scorecards.models.Kpi, or "price"
    note = models.TextField(_("note"), blank=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("taken at"), default=dj_timezone.now)
    taken_on = models.DateField(
        _("taken on"), editable=False
    )  # the business day; the recovery window starts here
    # What the action created (exactly one, by kind).
    checkin = models.ForeignKey(CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    corrective_action = models.ForeignKey(
        CorrectiveAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    audit = models.ForeignKey(Audit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    new_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    contract_review = models.ForeignKey(
        ContractReview, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    cost_breakdown = models.ForeignKey(
        CostBreakdownRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    severity_switch = models.ForeignKey(
        SeveritySwitch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_due_on = models.DateField(_("recovery checked on"), editable=False)  # taken_on + REVIEW_WEEKS
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    measured_value = models.DecimalField(
        _("measured value"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    measured_target = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True)

    class Meta:
        verbose_name = _("playbook action")
        verbose_name_plural = _("playbook actions")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            # Each step of a playbook is taken once per flag; the service says so first.
            models.UniqueConstraint(fields=["flag", "kind"], name="one_playbook_action_per_flag_and_kind"),
        ]
        indexes = [models.Index(fields=["outcome", "review_due_on"])]

    def __str__(self):
        return f"{self.flag_id} {self.get_kind_display()} ({self.get_outcome_display()})"

    @property
    def created(self):
        """Return the row the action created (a check-in, a corrective action, an audit, ...), or None."""
        for name in (
            "checkin",
            "corrective_action",
            "audit",
            "contact",
            "contract_review",
            "cost_breakdown",
            "severity_switch",
        ):
            row = getattr(self, name)
            if row is not None:
                return row
        return self.new_owner


class GeneralManagerCopy(SendOnceRow):
    """The copy of a contact reassignment sent to the factory's general manager ("escalate to senior management"
    on their side too): who got it, at which address and in which language. The row is its email's send-once
    outbox entry (claimed with a lease, core.leases); the flag's figures are read from the action when sent."""

    action = models.OneToOneField(
        PlaybookAction, on_delete=models.CASCADE, related_name="gm_copy", verbose_name=_("playbook action")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    # What the factory's notice said: the new contact, whose side they are on, and the message written for the
    # factory (never the action's internal note).
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=dj_timezone.now, editable=False)

    class Meta:
        verbose_name = _("general manager copy")
        verbose_name_plural = _("general manager copies")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} <{self.email}>"
