"""Leases for send-once work: a row is claimed by a conditional UPDATE that records who claimed it and when.

A claim older than the lease is taken again (by the periodic sweep or the next run), so a worker that dies after
claiming costs a retry, never the work. The lease is longer than any task's time limit that sends one row, so a
live worker never has its row taken from under it. A failed attempt waits a back-off that doubles each time.
"""

import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone, translation

from .mail import email_send, message_id

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


def due_condition(now: datetime) -> Q:
    """Return, as SQL, the unsent rows retry_due would accept now (one branch per attempt count)."""
    due = Q(attempts=0) | Q(claimed_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    for attempts in range(1, MAX_ATTEMPTS):
        due |= Q(attempts=attempts, claimed_at__lte=now - LEASE * 2 ** (attempts - 1))
    return Q(sent_at__isnull=True) & due


def claim_unsent(queryset: QuerySet, *, now: datetime, claimant: str | None = None) -> list[int]:
    """Claim every unsent row of `queryset` that is due, in one conditional UPDATE; return the ids it won.

    For SendOnceRow models. One statement for the whole set, so of two runs (two beats, a sweep and a late
    worker) one wins all the rows both saw, and a recipient's reminders are not split over two emails.
    """
    model: type[Model] = queryset.model
    claimant = claimant or f"{worker_name()}:{uuid.uuid4().hex[:8]}"
    pks = list(queryset.filter(due_condition(now)).values_list("pk", flat=True))
    if not pks:
        return []
    model.objects.filter(due_condition(now), pk__in=pks).update(
        claimed_by=claimant, claimed_at=now, attempts=F("attempts") + 1
    )
    return list(
        model.objects.filter(pk__in=pks, claimed_by=claimant, claimed_at=now).values_list("pk", flat=True)
    )


def send_claimed(claimed: QuerySet, send: Callable[[], object], *, failure: str, args: tuple = ()) -> int:
    """Run `send` for the rows `claimed` (a queryset of the rows this run won, still unsent); return how many it
    marked sent.

    A row is marked sent only after `send` returned (the server accepted the email). Any failure is logged
    (`failure % args`, then the error) and kept on the rows, whose attempt the claim already counted; the rows
    stay unsent and are taken again after the back-off (the periodic sweep).
    """
    try:
        send()
    except Exception as exc:  # any backend error: kept on the rows, retried after the back-off
        logger.warning(failure + ": %r", *args, exc)
        claimed.update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return 0
    return claimed.update(sent_at=timezone.now(), last_error="")


def send_once(
    queryset: QuerySet,
    *,
    now: datetime,
    kind: str,
    compose: Callable[[Model], tuple[str, str]],
    address: Callable[[Model], str],
    related: tuple[str, ...] = (),
) -> int:
    """Email each due, unsent row of `queryset` on its own, at most once; return how many were sent.

    The rows are claimed first (claim_unsent: one conditional UPDATE), so two runs never send one twice; each
    won row is read again (with `related`), `compose(row)` gives its (subject, body) in the recipient's language
    and `address(row)` whom to write to; the Message-ID comes from the row's id and `kind`. A failure keeps its
    error on the row, which the sweep takes again after the back-off (send_claimed).
    """
    model: type[Model] = queryset.model
    sent = 0
    for pk in claim_unsent(queryset, now=now):
        row = model.objects.select_related(*related).get(pk=pk)

        def send(row=row, pk=pk):
            subject, body = compose(row)
            email_send(subject=subject, body=body, to=[address(row)], message_id_header=message_id(kind, pk))

        sent += send_claimed(
            model.objects.filter(pk=pk, sent_at__isnull=True, claimed_at=now),
            send,
            failure="%s %s email attempt %s failed",
            args=(kind, pk, row.attempts),
        )
    return sent


def unsent_deliver(queryset: QuerySet, *, now: datetime, kind: str, recipient, compose) -> int:
    """Email each recipient one message listing their due unsent rows of `queryset`; return how many rows sent.

    `recipient(row)` returns the User to write to, `compose(rows)` the (subject, body) in that user's language.
    A row is marked sent only after the server accepted its email; a failure keeps the error on the rows, which
    are taken again after the back-off (the periodic sweep). The Message-ID comes from the row ids.
    """
    started = timezone.now()
    groups: dict[int, list] = {}
    for row in queryset.filter(due_condition(now)).order_by("pk"):
        groups.setdefault(recipient(row).pk, []).append(row)
    sent = 0
    for rows in groups.values():
        # Each recipient's rows are claimed together (one UPDATE) just before their email, so the lease covers
        # one send however long the run, and two runs at once never split a recipient's rows over two emails.
        moment = now + (timezone.now() - started)
        won = set(claim_unsent(queryset.filter(pk__in=[row.pk for row in rows]), now=moment))
        rows = [row for row in rows if row.pk in won]
        if not rows:
            continue
        user, pks = recipient(rows[0]), [row.pk for row in rows]

        def send(user=user, rows=rows, pks=pks):
            with translation.override(user.language or None):
                subject, body = compose(rows)
            email_send(subject=subject, body=body, to=[user.email], message_id_header=message_id(kind, *pks))

        sent += send_claimed(
            queryset.model.objects.filter(pk__in=pks, sent_at__isnull=True, claimed_at=moment),
            send,
            failure="%s email to user %s failed (%s rows)",
            args=(kind, user.pk, len(pks)),
        )
    return sent
