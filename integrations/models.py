"""Outgoing integrations: webhook endpoints, chat channels (Slack, Microsoft Teams), the events they receive and
the delivery outbox (one row per event and target, claimed with a lease, each attempt logged)."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.events import EventType

from .querysets import AdminOnlyQuerySet

# Chat channels are told of red flags and escalations only: the rest is for machines (webhooks).
CHAT_EVENT_TYPES = frozenset({EventType.RED_FLAG_RAISED, EventType.ISSUE_ESCALATED})


def new_secret() -> str:
    """Return a fresh signing secret (256 random bits, URL-safe)."""
    return "whsec_" + secrets.token_urlsafe(32)


class Target(models.Model):
    """What webhook endpoints and chat channels share: a URL we POST to, an owner told when it is paused."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Told when the target keeps failing and is paused."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Set at the first failure after a success; a target failing for a day is paused (and its owner told).
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None


class WebhookEndpoint(Target):
    """A URL that receives the chosen events as signed JSON (HMAC-SHA256 over timestamp and body)."""

    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret, editable=False)
    event_types = models.JSONField(_("events"), default=list)

    class Meta(Target.Meta):
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def get_absolute_url(self):
        return reverse("integrations:endpoint_detail", kwargs={"pk": self.pk})

    def wants(self, event_type: str) -> bool:
        return event_type in self.event_types


class ChatChannel(Target):
    """A Slack or Microsoft Teams incoming webhook told of red flags and escalations, for all suppliers or one
    owner's."""

    class Kind(models.TextChoices):
        SLACK = "slack", _("Slack")
        TEAMS = "teams", _("Microsoft Teams")

    class Scope(models.TextChoices):
        ALL = "all", _("Every supplier (a team channel)")
        OWNER = "owner", _("Suppliers of one owner")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SLACK)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    supplier_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supplier owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("With the scope 'suppliers of one owner': only the suppliers this person owns."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta(Target.Meta):
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")

    def get_absolute_url(self):
        return reverse("integrations:channel_detail", kwargs={"pk": self.pk})

    def wants(self, event_type: str, supplier_owner_id: int | None) -> bool:
        if event_type not in CHAT_EVENT_TYPES:
            return False
        return self.scope == self.Scope.ALL or supplier_owner_id == self.supplier_owner_id


class WebhookEvent(models.Model):
    """One event as receivers see it; its uuid is the same on every delivery and replay (to drop duplicates)."""

    uuid = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    type = models.CharField(_("type"), max_length=50, choices=EventType.choices)
    supplier_id = models.BigIntegerField(_("supplier id"), null=True, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.type} {self.uuid}"

    def body(self) -> dict:
        """Return what a webhook endpoint receives."""
        return {
            "id": str(self.uuid),
            "type": self.type,
            "created_at": self.occurred_at.isoformat(),
            "data": self.payload,
        }


class WebhookDelivery(models.Model):
    """The outbox row: one event to one endpoint or chat channel, claimed with a lease, retried with back-off."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    channel = models.ForeignKey(
        ChatChannel, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AdminOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The sweep's "due now" query, and each target's page (newest first).
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint_idx"),
            models.Index(fields=["channel", "-created_at"], name="webhook_delivery_channel_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(endpoint__isnull=False, channel__isnull=True)
                | Q(endpoint__isnull=True, channel__isnull=False),
                name="webhook_delivery_one_target",
            )
        ]

    def __str__(self):
        return f"{self.event.type} → {self.target}"

    @property
    def target(self):
        return self.endpoint or self.channel


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, the HTTP status (or the error), and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("response time (ms)"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]

    def __str__(self):
        return f"#{self.number}: {self.status_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
