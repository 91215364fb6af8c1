"""The delivery outbox: events become rows per endpoint or channel, each claimed with a lease, POSTed, logged per
attempt, retried with exponential back-off, given up after MAX_ATTEMPTS; a target failing for a day is paused."""

import logging
import time
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from communications.services.notifications import notify
from core.events import Event
from core.leases import LEASE, worker_name
from core.queue import enqueue_on_commit
from suppliers.models import Supplier

from ..chat import chat_message
from ..models import (
    CHAT_EVENT_TYPES,
    ChatChannel,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from ..sender import json_body, post, signature
from ..tasks import webhook_deliveries_send_task

logger = logging.getLogger(__name__)

# Retries wait 1, 2, 4 ... minutes, at most 6 hours, so the 12 attempts span more than the day after which a
# failing target is paused; after the last one the delivery is "failed" (an administrator can replay it).
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=6)
MAX_ATTEMPTS = 12
PAUSE_AFTER = timedelta(hours=24)
# Delivered and failed deliveries are kept this long (the log an administrator reads and replays from).
KEEP_FOR = timedelta(days=90)
SWEEP_BATCH = 500


def backoff(attempts: int) -> timedelta:
    """Return the wait after the `attempts`-th failed attempt."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_MAX)


# --- Recording events ------------------------------------------------------------------------------------------


def events_record(*, events: list[Event]) -> list[int]:
    """Write an event row and a delivery row per interested endpoint and channel, in the caller's transaction.

    Registered with core.events from the app's ready(). Costs one query when nobody listens; the deliveries are
    queued once the transaction commits (a rolled-back write sends nothing).
    """
    types = {event.type for event in events}
    endpoints = [e for e in WebhookEndpoint.objects.filter(is_active=True) if types & set(e.event_types)]
    channels = list(ChatChannel.objects.filter(is_active=True)) if types & CHAT_EVENT_TYPES else []
    if not endpoints and not channels:
        return []
    owners = {}
    if any(channel.scope == ChatChannel.Scope.OWNER for channel in channels):
        supplier_ids = {event.supplier_id for event in events}
        owners = dict(Supplier.objects.filter(pk__in=supplier_ids).values_list("pk", "owner_id"))
    planned = []
    for event in events:
        targets = [{"endpoint": e} for e in endpoints if e.wants(event.type)] + [
            {"channel": c} for c in channels if c.wants(event.type, owners.get(event.supplier_id))
        ]
        if targets:
            row = WebhookEvent(type=event.type, supplier_id=event.supplier_id, payload=event.payload())
            planned.append((row, targets))
    if not planned:
        return []
    rows = WebhookEvent.objects.bulk_create([row for row, _targets in planned])
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=row, **target)
            for row, (_row, targets) in zip(rows, planned, strict=True)
            for target in targets
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    enqueue_on_commit(webhook_deliveries_send_task, ids)
    return ids


# --- Sending ---------------------------------------------------------------------------------------------------


def _sendable() -> Q:
    """Rows whose target is active and not paused."""
    return Q(endpoint__is_active=True, endpoint__paused_at__isnull=True) | Q(
        channel__is_active=True, channel__paused_at__isnull=True
    )


def _claimable(now: datetime) -> Q:
    """Due and waiting, or stuck "sending" past the lease (its worker died)."""
    return Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - LEASE
    )


def _request(delivery: WebhookDelivery) -> tuple[bytes, dict]:
    """Return the body and headers of a delivery's POST (signed for an endpoint, a chat card for a channel)."""
    event = delivery.event
    if delivery.channel_id:
        return json_body(chat_message(channel=delivery.channel, event=event)), {}
    body = json_body(event.body())
    timestamp = int(timezone.now().timestamp())
    return body, {
        "X-Forgeline-Event": event.type,
        "X-Forgeline-Event-Id": str(event.uuid),
        "X-Forgeline-Delivery": str(delivery.pk),
        "X-Forgeline-Attempt": str(delivery.attempts),
        "X-Forgeline-Timestamp": str(timestamp),
        "X-Forgeline-Signature": signature(secret=delivery.endpoint.secret, timestamp=timestamp, body=body),
    }


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> bool:
    """POST one delivery if it is due, claimed first by a conditional UPDATE; return whether it was delivered.

    Safe to run twice or alongside the sweep: only the claimant sends, and only the claimant records the outcome.
    """
    now = now or timezone.now()
    claimant = f"{worker_name()}:{time.monotonic_ns()}"[:100]
    won = (
        WebhookDelivery.objects.filter(
            _claimable(now), _sendable(), pk=delivery_id, attempts__lt=MAX_ATTEMPTS
        )
        .order_by()
        .update(
            status=WebhookDelivery.Status.SENDING,
            claimed_at=now,
            claimed_by=claimant,
            attempts=F("attempts") + 1,
        )
    )
    if not won:
        return False
    delivery = WebhookDelivery.objects.select_related("event", "endpoint", "channel").get(pk=delivery_id)
    started = timezone.now()
    try:
        body, headers = _request(delivery)
    except Exception as exc:  # a payload that cannot be rendered is logged and retried like a failed POST
        logger.exception("Webhook delivery %s could not be rendered", delivery_id)
        from ..sender import Outcome

        outcome = Outcome(None, f"{type(exc).__name__}: {exc}"[:2000], 0)
    else:
        outcome = post(url=delivery.target.url, body=body, headers=headers)
    _record_outcome(delivery=delivery, claimant=claimant, started=started, outcome=outcome)
    return outcome.ok


@transaction.atomic
def _record_outcome(*, delivery: WebhookDelivery, claimant: str, started: datetime, outcome) -> None:
    """Log the attempt and move the delivery on: delivered, waiting for its retry, or failed; pause a target
    that has failed for a day."""
    finished = timezone.now()
    mine = WebhookDelivery.objects.filter(
        pk=delivery.pk, status=WebhookDelivery.Status.SENDING, claimed_by=claimant
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
    )
    target = delivery.target
    targets = type(target).objects.filter(pk=target.pk)
    if outcome.ok:
        mine.update(
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=finished,
            last_status_code=outcome.status_code,
            last_error="",
        )
        targets.update(failing_since=None)
        return
    gave_up = delivery.attempts >= MAX_ATTEMPTS
    mine.update(
        status=WebhookDelivery.Status.FAILED if gave_up else WebhookDelivery.Status.PENDING,
        next_attempt_at=finished + backoff(delivery.attempts),
        last_status_code=outcome.status_code,
        last_error=outcome.error,
    )
    targets.filter(failing_since__isnull=True).update(failing_since=started)
    paused = targets.filter(failing_since__lte=finished - PAUSE_AFTER, paused_at__isnull=True).update(
        paused_at=finished
    )
    if paused:
        target.refresh_from_db()
        _tell_owner_paused(target)


def _tell_owner_paused(target) -> None:
    """Tell a paused target's owner, in their language, that it stopped receiving and how to resume it."""
    owner = target.owner
    with translation.override(owner.language or None):
        notify(
            users=[owner],
            title=_("Paused: %(name)s has failed for a day") % {"name": target.name},
            body=_(
                "Every delivery to %(url)s has failed since %(since)s (last error: %(error)s). Nothing more is "
                "sent until you resume it; the waiting events are kept and go out then."
            )
            % {
                "url": target.url,
                "since": timezone.localtime(target.failing_since).strftime("%Y-%m-%d %H:%M"),
                "error": target.deliveries.exclude(last_error="").values_list("last_error", flat=True).first()
                or "-",
            },
            url=target.get_absolute_url(),
        )


def deliveries_send(*, delivery_ids) -> int:
    """Send each delivery of a batch that is due (each claimed on its own); return how many were delivered."""
    return sum(delivery_send(delivery_id=pk) for pk in delivery_ids)


def deliveries_due(*, now: datetime) -> list[int]:
    """Return the deliveries to try now: retries whose back-off is over, lost queue messages, dead workers' rows.

    A row stuck "sending" on its last attempt is marked failed here, so that it shows in the admin.
    """
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - LEASE, attempts__gte=MAX_ATTEMPTS
    ).update(status=WebhookDelivery.Status.FAILED, last_error=_("The worker stopped while sending."))
    return list(
        WebhookDelivery.objects.filter(_claimable(now), _sendable(), attempts__lt=MAX_ATTEMPTS)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


@transaction.atomic
def events_prune(*, now: datetime) -> int:
    """Delete events older than KEEP_FOR whose every delivery is over (delivered or failed); return how many.

    An event with a delivery still pending (a paused endpoint's) is kept, however old: it has yet to arrive.
    """
    unfinished = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING]
    ).values("event_id")
    old = WebhookEvent.objects.filter(occurred_at__lt=now - KEEP_FOR).exclude(pk__in=unfinished)
    return old.delete()[1].get(WebhookEvent._meta.label, 0)


@transaction.atomic
def delivery_replay(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send a delivery's event again to the same target, as a new delivery with the same event id."""
    require_capability(by, "integration.manage")
    if not delivery.target.is_active:
        raise ValidationError(_("This target is switched off; switch it on to replay."))
    replay = WebhookDelivery.objects.create(
        event_id=delivery.event_id,
        endpoint_id=delivery.endpoint_id,
        channel_id=delivery.channel_id,
        replay_of=delivery,
    )
    enqueue_on_commit(webhook_deliveries_send_task, [replay.pk])
    return replay
