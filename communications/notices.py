"""Notifications (the bell and its send-once email outbox), each user's choice per event family, the daily digest."""

from django.conf import settings
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class Family(models.TextChoices):
    """What a notification is about; each user chooses per family how its emails reach them."""

    ORDERS = "orders", _("Orders and order changes")
    DELIVERIES = "deliveries", _("Deliveries: dates, shipments, receipts")
    QUALITY = "quality", _("Inspections and lab reports")
    AUDITS = "audits", _("Audits, findings and corrective actions")
    CERTIFICATES = "certificates", _("Certificates")
    INVOICES = "invoices", _("Invoices, payments and payment terms")
    CHECKINS = "checkins", _("Check-ins")
    ISSUES = "issues", _("Issues")
    RED_FLAGS = "red_flags", _("Red flags")
    OTHER = "other", _("Everything else")


class Timing(models.TextChoices):
    """When a family's notifications are emailed: at once, in the daily digest, or never (in-app only)."""

    IMMEDIATELY = "immediately", _("Email at once")
    DAILY = "daily", _("In the daily digest")
    OFF = "off", _("No email (in-app only)")


# Staff hear at once of what needs them now; routine news of the factory's side waits for the morning digest.
STAFF_DAILY = {Family.DELIVERIES, Family.QUALITY, Family.CERTIFICATES, Family.INVOICES}


def default_timing(*, user, family: str) -> str:
    """Return a family's timing for a user who has not chosen: factory contacts hear everything at once."""
    if not getattr(user, "is_portal_user", False) and family in STAFF_DAILY:
        return Timing.DAILY
    return Timing.IMMEDIATELY


class NotificationPreference(models.Model):
    """One user's choice of timing for one family; a family without a row follows default_timing()."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    family = models.CharField(_("family"), max_length=20, choices=Family.choices)
    timing = models.CharField(_("email"), max_length=12, choices=Timing.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "family"], name="one_preference_per_family")]

    def __str__(self):
        return f"{self.user}: {self.family} → {self.timing}"


class Notification(models.Model):
    """An in-app notification for one user; its email goes out once, from this row, after the write commits.

    The row is the email's outbox entry: a send that fails records its error and goes back to "to send" for a
    later retry, until EMAIL_MAX_ATTEMPTS; then it stays "failed", with the error, for an administrator. A row of
    a family the user reads in the daily digest waits as "for the digest"; one of a family they turned off is
    never emailed. With a `message_key`, the title and text are rendered in the reader's language each time they
    are shown or sent (communications/messages.py); `title` and `body` keep the English text for the admin.
    """

    class Email(models.TextChoices):
        PENDING = "pending", _("To send")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed (gave up)")
        DIGEST = "digest", _("Waiting for the daily digest")
        DIGESTED = "digested", _("Sent in a daily digest")
        OFF = "off", _("Not emailed (turned off)")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    family = models.CharField(_("family"), max_length=20, choices=Family.choices, default=Family.OTHER)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    message_key = models.CharField(_("message"), max_length=60, blank=True)
    params = models.JSONField(_("message values"), default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=dj_timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.PENDING)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("email attempts"), default=0)
    # When the last attempt claimed the row: a worker that died mid-send frees it after the lease.
    email_claimed_at = models.DateTimeField(_("last email attempt at"), null=True, blank=True)
    email_claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    email_last_error = models.TextField(_("last email error"), blank=True)
    # A file the email carries (communications/attachments.py renders it at sending time): a kind and an id.
    attachment_kind = models.CharField(_("attachment"), max_length=40, blank=True, editable=False)
    attachment_id = models.PositiveBigIntegerField(
        _("attachment object id"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["email", "user"])]

    def __str__(self):
        return self.title

    @property
    def shown_title(self) -> str:
        """Return the title in the active language (the reader's), from the message key when there is one."""
        from .messages import message_render

        return message_render(self.message_key, self.params)[0] if self.message_key else self.title

    @property
    def shown_body(self) -> str:
        """Return the text in the active language (the reader's), from the message key when there is one."""
        from .messages import message_render

        return message_render(self.message_key, self.params)[1] if self.message_key else self.body


class DailyDigest(models.Model):
    """The one daily digest of a user for one local day: its unique row is what makes the digest go out once.

    Inserted with the digest's own Notification (the email, sent through the same outbox as every other one) in
    the transaction that marks the notifications it lists, so two runs, or a run after a crash, cannot send two.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="daily_digests")
    day = models.DateField(_("day (the user's local date)"))
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="digest_of", null=True, blank=True
    )
    created_at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]

    def __str__(self):
        return f"{self.user} — {self.day}"
