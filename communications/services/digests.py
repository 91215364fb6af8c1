"""The daily digest: one email a day per user, at a fixed hour of their own timezone, listing what waited for it.

Notifications of a family the user reads in the digest wait as "for the digest". From DIGEST_HOUR on, local time,
the hourly job gives each such user today's digest: a DailyDigest row, unique per (user, local day), inserted in
the transaction that creates the digest's own Notification (emailed through the one outbox: claimed, retried,
never lost) and marks the listed notifications "sent in a digest". Of two runs only one inserts the row; a crash
before the commit leaves nothing, and the next hourly run does it again.
"""

import zoneinfo
from datetime import datetime, time

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.inputs import single_line
from core.queue import enqueue_on_commit

from ..models import DailyDigest, Family, Notification
from ..tasks import notification_email_task

DIGEST_HOUR = 8  # local time: the digest is read with the morning's first coffee
DIGEST_KEY = "daily_digest"


def _zone(user: User) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(user.timezone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def digests_send_due(*, now: datetime | None = None) -> int:
    """Create today's digest of every user whose digest hour has come and who has notifications waiting for it.

    Return how many digests this run created (each queues its email after its commit). Safe to run any number of
    times: a user gets at most one digest per local day.
    """
    now = now or timezone.now()
    waiting = User.objects.filter(is_active=True, notifications__email=Notification.Email.DIGEST).distinct()
    created = 0
    for user in waiting.only("pk", "timezone", "role", "supplier_id"):
        local = now.astimezone(_zone(user))
        cutoff = datetime.combine(local.date(), time(DIGEST_HOUR), tzinfo=local.tzinfo)
        if local >= cutoff and digest_create(user=user, day=local.date(), cutoff=cutoff) is not None:
            created += 1
    return created


def digest_create(*, user: User, day, cutoff: datetime) -> DailyDigest | None:
    """Create a user's digest for a local day: the notifications waiting from before `cutoff`, in one email.

    Return None when there is nothing to list or this day's digest already exists (another run made it).
    """
    with transaction.atomic():
        ids = list(
            Notification.objects.filter(
                user=user, email=Notification.Email.DIGEST, created_at__lt=cutoff
            ).values_list("pk", flat=True)
        )
        if not ids:
            return None
        try:
            with transaction.atomic():  # the unique (user, day) decides which of two runs sends
                digest = DailyDigest.objects.create(user=user, day=day)
        except IntegrityError:
            return None
        ids = list(
            Notification.objects.filter(pk__in=ids, email=Notification.Email.DIGEST).values_list(
                "pk", flat=True
            )
        )
        Notification.objects.filter(pk__in=ids).update(
            email=Notification.Email.DIGESTED, emailed_at=timezone.now()
        )
        page = reverse("portal:notifications" if user.is_portal_user else "communications:notifications")
        # The digest is an email, not news: it is born read, and the list leaves it out.
        digest.notification = Notification.objects.create(
            user=user,
            family=Family.OTHER,
            title=f"Your daily summary: {len(ids)} notifications",
            message_key=DIGEST_KEY,
            params={"ids": ids, "n": len(ids)},
            url=page,
            read_at=timezone.now(),
        )
        digest.save(update_fields=["notification"])
        enqueue_on_commit(notification_email_task, digest.notification.pk)
    return digest


def digest_body(ids) -> str:
    """Return the digest's text in the active language: each notification's title, text and link."""
    rows = Notification.objects.filter(pk__in=list(ids)).order_by("created_at", "pk")
    return "\n\n".join(
        f"- {single_line(row.shown_title)}"
        + (f"\n  {single_line(row.shown_body)}" if row.shown_body else "")
        + (f"\n  {settings.FORGELINE_BASE_URL}{row.url}" if row.url else "")
        for row in rows
    )
