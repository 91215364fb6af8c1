"""Check-ins that respect the partner's calendar (schedules, occurrences, minutes, action items, closures),
issues raised with a response clock and escalations, and in-app notifications with their email outbox."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from audits.models import CorrectiveAction, QCInspection
from core.inputs import DATE_BOUNDS
from core.uploads import UploadTo, validate_upload
from core.wording import reworded
from orders.models import Delivery, PurchaseOrder
from suppliers.models import Contact, Supplier
from suppliers.querysets import SupplierOwnedQuerySet

from .querysets import IssueQuerySet


class Side(models.TextChoices):
    BUYER = "buyer", _("Our company")
    SUPPLIER = "supplier", _("Supplier")


class CheckInSchedule(models.Model):
    """A regular check-in with a supplier, at a weekday and time in the supplier's own timezone."""

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly (first of that weekday)")

    class Channel(models.TextChoices):
        VIDEO = "video", _("Video call")
        CALL = "call", _("Phone call")
        VISIT = "visit", _("Visit")

    WEEKDAYS = [
        (0, _("Monday")),
        (1, _("Tuesday")),
        (2, _("Wednesday")),
        (3, _("Thursday")),
        (4, _("Friday")),
        (5, _("Saturday")),
        (6, _("Sunday")),
    ]

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="checkin_schedules")
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS, default=1)
    local_time = models.TimeField(_("time (supplier's timezone)"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.VIDEO)
    starts_on = models.DateField(_("starts on"), validators=DATE_BOUNDS)
    staff_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("our participants")
    )
    contact_participants = models.ManyToManyField(
        Contact, blank=True, related_name="+", verbose_name=_("supplier participants")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in schedule")
        verbose_name_plural = _("check-in schedules")
        ordering = ["supplier", "weekday"]

    def __str__(self):
        return f"{self.supplier}: {self.get_cadence_display()} {self.get_weekday_display()} {self.local_time:%H:%M}"

    @property
    def max_gap_days(self) -> int:
        """Return how many days may pass without contact before it is too long for this cadence."""
        return {self.Cadence.WEEKLY: 10, self.Cadence.BIWEEKLY: 17, self.Cadence.MONTHLY: 38}[self.cadence]


# How a moved check-in's reason is stored (in English, communications.calendar) and recognised to be translated.
MOVED_FROM = gettext_noop("Moved from %(day)s: %(why)s")


class CheckIn(models.Model):
    """One occurrence of a check-in; moved off public holidays and closures, with the reason shown."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    schedule = models.ForeignKey(
        CheckInSchedule, on_delete=models.CASCADE, null=True, blank=True, related_name="checkins"
    )
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="checkins")
    original_date = models.DateField(_("date by the cadence"))
    date = models.DateField(_("date"))
    scheduled_at = models.DateTimeField(_("starts at"))
    moved_reason = models.CharField(_("moved because"), max_length=300, blank=True)
    # What a one-off check-in is for (a production review's late deliveries); shared with the factory, who attends.
    agenda = models.TextField(_("agenda"), blank=True)
    # The iCalendar SEQUENCE of this occurrence: one more each time it moves, so that a calendar which has the
    # event (from the feed or an invitation, same UID) takes the new time instead of keeping the old one.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    attendees = models.CharField(_("attendees"), max_length=500, blank=True)
    notes = models.TextField(_("minutes"), blank=True)
    shared_with_supplier = models.BooleanField(_("share the minutes with the supplier"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["scheduled_at"]
        indexes = [
            models.Index(fields=["supplier", "scheduled_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "original_date"], name="one_checkin_per_schedule_date"
            ),
        ]

    def __str__(self):
        return f"{self.supplier} {self.date}"

    def get_absolute_url(self):
        return reverse("communications:checkin_detail", args=[self.pk])

    def moved_note(self) -> str:
        """Say why the check-in moved, in the reader's language (the reason is stored in English)."""
        return reworded(self.moved_reason, [MOVED_FROM])


class ActionItemQuerySet(SupplierOwnedQuerySet):
    """Action items; a factory contact sees only those of check-ins whose minutes were shared with it."""

    def portal_only(self):
        return self.filter(checkin__shared_with_supplier=True)


class ActionItem(models.Model):
    """Something agreed at a check-in, owned by one side, with a due date."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="action_items")
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("action"), max_length=300)
    owner_side = models.CharField(_("owner"), max_length=10, choices=Side.choices)
    owner_name = models.CharField(_("owner's name"), max_length=150, blank=True)
    due_on = models.DateField(_("due on"), validators=DATE_BOUNDS)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["done_at", "due_on", "pk"]

    def __str__(self):
        return self.description


MAX_CLOSURE_DAYS = 366


class Closure(models.Model):
    """Days the supplier declared closed (factory holiday, power cuts, inventory); check-ins move off them."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("from"), validators=DATE_BOUNDS)
    ends_on = models.DateField(_("until"), validators=DATE_BOUNDS)
    reason = models.CharField(_("reason"), max_length=200)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(default=dj_timezone.now)

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="closure_ends_after_start",
                violation_error_message=_("A closure cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.reason} ({self.starts_on} – {self.ends_on})"

    def clean(self):
        # Check-ins step over closed days one by one: a closure of decades would tie up the worker that does it.
        if self.starts_on and self.ends_on and (self.ends_on - self.starts_on).days >= MAX_CLOSURE_DAYS:
            raise ValidationError(
                {"ends_on": _("A closure lasts at most %(days)s days.") % {"days": MAX_CLOSURE_DAYS}}
            )


class SupplierIssue(models.Model):
    """A problem raised by one side to the other; the response clock runs until the other side first replies."""

    class Category(models.TextChoices):
        QUALITY = "quality", _("Quality")
        DELIVERY = "delivery", _("Delivery")
        DOCUMENTATION = "documentation", _("Documentation")
        COMMERCIAL = "commercial", _("Commercial")
        COMMUNICATION = "communication", _("Communication")

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a reply")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="issues")
    raised_by_side = models.CharField(_("raised by"), max_length=10, choices=Side.choices, default=Side.BUYER)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    order = models.ForeignKey(
        PurchaseOrder,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("order"),
    )
    delivery = models.ForeignKey(
        Delivery,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("delivery"),
    )
    inspection = models.ForeignKey(
        QCInspection,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("inspection"),
    )
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised at"), default=dj_timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_issues",
        verbose_name=_("owner (our side)"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    first_response_at = models.DateTimeField(_("first reply at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(_("resolution"), blank=True)
    corrective_action = models.ForeignKey(
        CorrectiveAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="issues",
        verbose_name=_("corrective action"),
    )
    # Excused from the response-time KPI after a manager accepted the factory's contest (scorecards' RowContest):
    # still listed behind the number, apart, with who and why (IssueQuerySet.counted_for_response leaves it out).
    excused_at = models.DateTimeField(_("excused at"), null=True, blank=True)
    excused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    excuse_reason = models.CharField(
        _("why it is excused"), max_length=300, blank=True, default="", db_default=""
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["supplier", "raised_at"]),
            models.Index(fields=["status", "raised_at"]),
            # What waits for a reply, on every staff page's navbar (open, raised by the factory) and the
            # factory's home (raised by us): the count reads 100 index entries, not 3,000 open issues' rows.
            models.Index(
                fields=["status", "raised_by_side", "raised_at"], name="issue_status_side_raised_idx"
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("communications:issue_detail", args=[self.pk])

    @property
    def responding_side(self) -> str:
        """Return the side whose first reply stops the clock."""
        return Side.SUPPLIER if self.raised_by_side == Side.BUYER else Side.BUYER

    def response_hours(self, now=None) -> float:
        """Return hours from raising to the first reply; while unanswered, to `now` (or to resolution)."""
        end = self.first_response_at or self.resolved_at or now or dj_timezone.now()
        return round((end - self.raised_at).total_seconds() / 3600, 1)


class IssueMessage(models.Model):
    """One message of an issue's thread; `sent_at` is when it arrived (staff may log a reply made by phone)."""

    issue = models.ForeignKey(SupplierIssue, on_delete=models.CASCADE, related_name="messages")
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(_("from"), max_length=10, choices=Side.choices)
    author_name = models.CharField(_("author"), max_length=150)
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent at"), default=dj_timezone.now)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_on_behalf = models.BooleanField(_("logged by staff on the supplier's behalf"), default=False)
    attachment = models.FileField(
        _("attachment"), upload_to=UploadTo("issue-files"), validators=[validate_upload], blank=True
    )

    objects = SupplierOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue message")
        verbose_name_plural = _("issue messages")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return f"{self.author_name}: {self.body[:40]}"


class IssueEscalation(models.Model):
    """A recorded escalation: level 1 at the response target (the owner), level 2 at twice it (managers)."""

    issue = models.ForeignKey(SupplierIssue, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField()
    escalated_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [models.UniqueConstraint(fields=["issue", "level"], name="one_escalation_per_level")]

    def __str__(self):
        return f"{self.issue} — level {self.level}"


# Notifications, their per-family preferences and the daily digest live in their own module (this one is full).
from .notices import DailyDigest, Family, Notification, NotificationPreference, Timing  # noqa: E402, F401
