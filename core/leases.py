"""Leases for send-once work: a row is claimed by a conditional UPDATE that records who claimed it and when.

A claim older than the lease is taken again (by the periodic sweep or the next run), so a worker that dies after
claiming costs a retry, never the work. The lease is longer than any task's time limit that sends one row, so a
live worker never has its row taken from under it. A failed attempt waits a back-off that doubles each time.
"""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db.models import Model, QuerySet

logger = logging.getLogger(__name__)

# How long a claim holds; longer than the time limit of any task that sends one claimed row (at most 5 minutes).
LEASE = timedelta(minutes=10)
# Attempts before a row is given up (it stays visible, with its error, for an administrator).
MAX_ATTEMPTS = 6


def worker_name() -> str:
    """Name this process for a claim: host and process id, so an operator can tell which worker held a row."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def retry_due(*, attempts: int, claimed_at: datetime | None, now: datetime) -> bool:
    """Tell whether a row last claimed at `claimed_at` after `attempts` attempts may be claimed again now.

    Never claimed: at once. Claimed (crashed or failed): after the lease, then 2x, 4x ... the lease.
    """
    if attempts >= MAX_ATTEMPTS:
        return False
    return claimed_at is None or claimed_at <= now - LEASE * 2 ** max(attempts - 1, 0)


def claim_unsent(queryset: QuerySet, *, now: datetime) -> list[int]:
    """Claim every unsent row of `queryset` that is due; return the ids this call won.

    For SendOnceRow models. Each row is claimed by a conditional UPDATE on the attempt count and claim time it
    was read with: of two runs (two beats, a sweep and a late worker) exactly one wins each row.
    """
    model: type[Model] = queryset.model
    won = []
    rows = queryset.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS).values_list(
        "pk", "attempts", "claimed_at"
    )
    for pk, attempts, claimed_at in rows:
        if not retry_due(attempts=attempts, claimed_at=claimed_at, now=now):
            continue
        if model.objects.filter(pk=pk, sent_at__isnull=True, attempts=attempts, claimed_at=claimed_at).update(
            claimed_by=worker_name(), claimed_at=now, attempts=attempts + 1
        ):
            won.append(pk)
    return won


def unsent_deliver(queryset: QuerySet, *, now: datetime, kind: str, recipient, compose) -> int:
    """Claim the due unsent rows of `queryset`, email each recipient one message listing theirs; return rows sent.

    `recipient(row)` returns the User to write to, `compose(rows)` the (subject, body) in that user's language.
    A row is marked sent only after the server accepted its email; a failure keeps the error on the rows, which
    are taken again after the back-off (the periodic sweep). The Message-ID comes from the row ids.
    """
    from django.utils import timezone, translation

    from .mail import email_send, message_id

    ids = claim_unsent(queryset, now=now)
    groups: dict[int, list] = {}
    for row in queryset.filter(pk__in=ids).order_by("pk"):
        groups.setdefault(recipient(row).pk, []).append(row)
    sent = 0
    for rows in groups.values():
        user, pks = recipient(rows[0]), [row.pk for row in rows]
        claimed = queryset.model.objects.filter(pk__in=pks, sent_at__isnull=True, claimed_at=now)
        try:
            with translation.override(user.language or None):
                subject, body = compose(rows)
            email_send(subject=subject, body=body, to=[user.email], message_id_header=message_id(kind, *pks))
        except Exception as exc:  # any backend error: kept on the rows, retried after the back-off
            logger.warning("%s email to user %s failed (%s rows): %r", kind, user.pk, len(pks), exc)
            claimed.update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
            continue
        sent += claimed.update(sent_at=timezone.now(), last_error="")
    return sent
