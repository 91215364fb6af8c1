"""Notifications: the bell and its send-once email outbox (claimed with a conditional UPDATE, retried, never lost)."""

import json
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.inputs import single_line
from core.leases import LEASE, worker_name
from core.mail import email_send, message_id
from core.queue import enqueue_on_commit

from ..attachments import attachment_render
from ..messages import message_family, message_render
from ..models import Family, Notification, Timing
from ..tasks import notification_email_task, notification_emails_task
from .preferences import timings_by_family, timings_for

# The notification email outbox: attempts before giving up, the wait before the first retry (doubling after
# each failure), and how long a claimed row may stay "sending" before another worker may take it over (longer
# than the time a send may take: EMAIL_TIMEOUT per SMTP step).
EMAIL_MAX_ATTEMPTS = 6
EMAIL_RETRY_AFTER = timedelta(minutes=10)
EMAIL_LEASE = LEASE

logger = logging.getLogger(__name__)

# What a user's timing for a family makes of a new row's email: sent at once, kept for the digest, or none.
EMAIL_STATE = {
    Timing.IMMEDIATELY: Notification.Email.PENDING,
    Timing.DAILY: Notification.Email.DIGEST,
    Timing.OFF: Notification.Email.OFF,
}


# --- Notifications --------------------------------------------------------------------------------------------


def notify(
    *,
    users,
    title: str = "",
    body: str = "",
    url: str = "",
    attachment: tuple[str, int] | None = None,
    family: str | None = None,
    key: str = "",
    params: dict | None = None,
) -> list[Notification]:
    """Create a notification per user; each one's email is queued after the transaction commits.

    `attachment` = (kind, object id): a file the email carries, rendered when it is sent (communications/attachments).
    `key` and `params` name a text of communications/messages.py, rendered in each reader's language when shown or
    sent (then `title` and `body` may be left out). `family` (from the key, else "other") decides by each user's
    preference whether the email goes at once, waits for their daily digest, or is not sent at all.
    """
    kind, object_id = attachment or ("", None)
    params = params or {}
    family = family or (message_family(key) if key else Family.OTHER)
    if key:
        with translation.override("en"):  # the stored English text is what the admin and search show
            title, body = message_render(key, params)
    recipients = list({u.pk: u for u in users if u is not None and u.is_active}.values())
    timings = timings_for(users=recipients, family=family)
    created = [
        Notification.objects.create(
            user=user,
            family=family,
            title=single_line(title)[:200],
            body=body,
            message_key=key,
            params=params,
            url=url,
            attachment_kind=kind,
            attachment_id=object_id,
            email=EMAIL_STATE[timings[user.pk]],
        )
        for user in recipients
    ]
    for notification in created:
        if notification.email == Notification.Email.PENDING:
            # A broker that is down is logged, not raised: the row is the outbox, and the resend sweep sends it.
            enqueue_on_commit(notification_email_task, notification.pk)
    return created


def notify_many(items, *, family: str = Family.OTHER) -> list[Notification]:
    """Create many notifications in one INSERT: items are (user, title, body, url); one task emails them all.

    One queued task for the batch, not one each: a scan that escalates to every manager costs one broker round
    trip, however many suppliers it flags. The task is queued after the transaction commits. Each user's
    preference for `family` decides whether their row is emailed at once, kept for the digest, or not emailed.
    """
    items = list(items)
    timings = timings_for(users=[user for user, *_rest in items], family=family)
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                family=family,
                title=single_line(title)[:200],
                body=body,
                url=url,
                email=EMAIL_STATE[timings[user.pk]],
            )
            for user, title, body, url in items
        ]
    )
    ids = [notification.pk for notification in created if notification.email == Notification.Email.PENDING]
    if ids:
        enqueue_on_commit(notification_emails_task, ids)
    return created


def notify_messages(items) -> list[Notification]:
    """Create many keyed notifications in one INSERT: items are (user, message key, params, url), or with a fifth
    value, the (kind, object id) of a file the email carries (as notify()'s `attachment`).

    Each row's family comes from its key and each user's preference for it decides its email; one queued task
    emails those sent at once, and an email carrying a file gets a task of its own (notify()'s time limit). For scans and imports that tell many users at a time, in a number of queries that
    does not grow with them (one preference read for every family, one INSERT).
    """
    items = [(*item, None)[:5] for item in items if item[0] is not None and item[0].is_active]
    users_by_family: dict[str, list[User]] = {}
    for user, key, *_rest in items:
        users_by_family.setdefault(message_family(key), []).append(user)
    timings = timings_by_family(users_by_family=users_by_family) if items else {}
    rows = []
    rendered: dict[tuple[str, str], tuple[str, str]] = {}  # a text told to many is rendered once
    with translation.override("en"):  # the stored English text is what the admin and search show
        for user, key, params, url, attachment in items:
            kind, object_id = attachment or ("", None)
            family = message_family(key)
            same = (key, json.dumps(params, sort_keys=True, cls=DjangoJSONEncoder))
            if same not in rendered:
                rendered[same] = message_render(key, params)
            title, body = rendered[same]
            rows.append(
                Notification(
                    user=user,
                    family=family,
                    title=single_line(title)[:200],
                    body=body,
                    message_key=key,
                    params=params,
                    url=url,
                    attachment_kind=kind,
                    attachment_id=object_id,
                    email=EMAIL_STATE[timings[family][user.pk]],
                )
            )
    created = _bulk_insert(rows) if rows else []
    pending = [notification for notification in created if notification.email == Notification.Email.PENDING]
    # An email with an attachment (an order's PDF, rendered when sent) goes in a task of its own, under that task's
    # time limit and spread over the workers; the others in one task.
    for notification in pending:
        if notification.attachment_kind:
            enqueue_on_commit(notification_email_task, notification.pk)
    if ids := [notification.pk for notification in pending if not notification.attachment_kind]:
        enqueue_on_commit(notification_emails_task, ids)
    return created


def _json_value(value):
    """Return a value json cannot write as it is: a time to the microsecond (DjangoJSONEncoder keeps milliseconds)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return DjangoJSONEncoder().default(value)


def _bulk_insert(rows: list[Notification]) -> list[Notification]:
    """Insert the rows as bulk_create() does, on PostgreSQL as one JSON parameter read back into typed columns (a
    scan telling hundreds of contacts spends its time quoting one array per column otherwise); return them, with ids.
    """
    if connection.vendor != "postgresql":
        return Notification.objects.bulk_create(rows)
    fields = [field for field in Notification._meta.concrete_fields if not field.primary_key]
    for row in rows:
        for field in fields:
            field.pre_save(row, add=True)  # what bulk_create does first: no field of these sets a value here
    data = json.dumps(
        [{field.column: getattr(row, field.attname) for field in fields} for row in rows],
        default=_json_value,
    )
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    declared = ", ".join(
        f"{connection.ops.quote_name(field.column)} {field.db_type(connection)}" for field in fields
    )
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Notification._meta.db_table)} ({columns}) "
        f"SELECT {columns} FROM ROWS FROM (jsonb_to_recordset(%s::jsonb) AS ({declared})) WITH ORDINALITY "
        f"AS r({columns}, n) ORDER BY n "
        "RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [data])
        ids = [pk for (pk,) in cursor.fetchall()]
    for row, pk in zip(rows, ids, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias
    return rows


def notify_grouped(
    items, *, summary_title, summary_url: str = "", family: str = Family.OTHER
) -> list[Notification]:
    """Notify each user once for all their items of one run: items are (user, title, body, url).

    A user with one item gets it as it is; a user with several gets one notification (and so one email) listing
    them all, titled `summary_title % {"n": count}` in the user's own language (pass a lazy translation), so a
    scan that escalates a thousand things sends each manager one email, not a thousand.
    """
    by_user: dict[int, list] = {}
    for user, title, body, url in items:
        if user is not None and user.is_active:
            by_user.setdefault(user.pk, []).append((user, title, body, url))
    batch = []
    for rows in by_user.values():
        user = rows[0][0]
        if len(rows) == 1:
            batch.append(rows[0])
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            lines = [
                f"- {single_line(title)}"
                + (f"\n  {single_line(body)}" if body else "")
                + (f"\n  {settings.FORGELINE_BASE_URL}{url}" if url else "")
                for _user, title, body, url in rows
            ]
            batch.append((user, str(summary_title) % {"n": len(rows)}, "\n\n".join(lines), summary_url))
    return notify_many(batch, family=family)


def notification_send_email(*, notification_id: int, now: datetime | None = None) -> bool:
    """Email one notification at most once: the row is claimed by a conditional update before sending.

    Returns whether this call sent it. A failed send records the error and puts the row back to "to send"
    (retried by notifications_resend_pending_task) until EMAIL_MAX_ATTEMPTS, then marks it failed; either way
    the error is on the row, for the admin. A worker that dies after claiming frees the row after the lease.
    """
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(_claimable(now), pk=notification_id)
        .filter(email_attempts__lt=EMAIL_MAX_ATTEMPTS)
        .update(
            email=Notification.Email.SENDING,
            email_claimed_at=now,
            email_claimed_by=worker_name(),
            email_attempts=F("email_attempts") + 1,
        )
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    link = f"\n\n{settings.FORGELINE_BASE_URL}{notification.url}" if notification.url else ""
    try:
        # Rendered now, in the reader's language (not the language of whoever caused it).
        with translation.override(notification.user.language or settings.LANGUAGE_CODE):
            title, body = notification.shown_title, notification.shown_body
        attachments = []
        if notification.attachment_kind:
            # Rendered here, by the worker: a renderer's failure is recorded and retried like a failed send.
            attachments.append(
                attachment_render(
                    kind=notification.attachment_kind,
                    object_id=notification.attachment_id,
                    user=notification.user,
                )
            )
        email_send(
            # A mail header is one line: a title that still holds a line break must not stop the email.
            subject=single_line(f"Forgeline: {title}"),
            body=body + link,
            to=[notification.user.email],
            # The same id on every attempt: a send the server accepted but we could not mark shows as a duplicate.
            message_id_header=message_id("notification", notification.pk),
            attachments=attachments,
        )
    except Exception as exc:  # any backend error: recorded on the row and retried, never lost
        gave_up = notification.email_attempts >= EMAIL_MAX_ATTEMPTS
        logger.warning(
            "Notification %s email attempt %s failed: %r", notification_id, notification.email_attempts, exc
        )
        Notification.objects.filter(pk=notification_id, email=Notification.Email.SENDING).update(
            email=Notification.Email.FAILED if gave_up else Notification.Email.PENDING,
            email_last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return False
    Notification.objects.filter(pk=notification_id).update(
        email=Notification.Email.SENT, emailed_at=timezone.now(), email_last_error=""
    )
    return True


def _claimable(now: datetime) -> Q:
    """Return the condition under which a row may be claimed: to send, or stuck sending past the lease."""
    return Q(email=Notification.Email.PENDING) | Q(
        email=Notification.Email.SENDING, email_claimed_at__lt=now - EMAIL_LEASE
    )


def notifications_send_emails(*, notification_ids) -> int:
    """Email each notification of a batch at most once; return how many this call sent.

    Each is claimed on its own (notification_send_email), so a batch run twice, or alongside the resend job, sends
    nothing twice. One failing address does not hold back the others: each failure is recorded on its own row.
    """
    return sum(notification_send_email(notification_id=pk) for pk in notification_ids)


def notifications_due_for_retry(*, now: datetime) -> list[int]:
    """Return the notifications whose email should be tried (again) now.

    Pending for ten minutes with no attempt (the queue message was lost), or failed earlier and waited out the
    back-off (10, 20, 40 ... minutes after the last attempt); and those stuck sending past the lease. Rows stuck
    sending on their last allowed attempt are marked failed here, so they show in the admin instead of hanging.
    """
    Notification.objects.filter(
        email=Notification.Email.SENDING,
        email_claimed_at__lt=now - EMAIL_LEASE,
        email_attempts__gte=EMAIL_MAX_ATTEMPTS,
    ).update(email=Notification.Email.FAILED, email_last_error=_("The worker stopped while sending."))
    rows = Notification.objects.filter(
        _claimable(now), created_at__lt=now - EMAIL_RETRY_AFTER, email_attempts__lt=EMAIL_MAX_ATTEMPTS
    ).values_list("pk", "email_attempts", "email_claimed_at")
    return [
        pk
        for pk, attempts, claimed_at in rows
        if claimed_at is None or claimed_at <= now - EMAIL_RETRY_AFTER * 2 ** max(attempts - 1, 0)
    ]


def notifications_email_again(*, ids) -> int:
    """Give notifications whose email failed a fresh set of attempts (an administrator's action)."""
    return Notification.objects.filter(pk__in=ids, email=Notification.Email.FAILED).update(
        email=Notification.Email.PENDING, email_attempts=0, email_claimed_at=None
    )


def notifications_mark_read(*, user: User, ids=None) -> int:
    """Mark the user's notifications read (all, or the given ids)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())
