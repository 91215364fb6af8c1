"""core.leases.send_once, the one claim → send → mark loop of the send-once outboxes (the general manager's copy,
the portal invitation, the registration email): a row is claimed before its email, marked sent only after the
server accepted it, a claim older than the lease is taken again, and a failure keeps the row for the retry."""

import smtplib
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from core.leases import LEASE, claim_unsent, send_claimed, send_once
from core.mail import message_id
from suppliers.models import CertificationReminder
from tests.factories import CertificationFactory, SupplierFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rows(buyer):
    supplier = SupplierFactory(owner=buyer)
    return [
        CertificationReminder.objects.create(
            certification=CertificationFactory(supplier=supplier, standard=standard), threshold="30d"
        )
        for standard in ("iso_9001", "bsci")
    ]


def send(now=NOW, queryset=None) -> int:
    return send_once(
        queryset if queryset is not None else CertificationReminder.objects.all(),
        now=now,
        kind="test-row",
        compose=lambda row: (f"Row {row.pk}", f"About {row.certification.standard}"),
        address=lambda row: f"owner-{row.pk}@example.test",
        related=("certification",),
    )


def test_each_row_is_emailed_once_on_its_own_and_a_second_run_sends_nothing(rows):
    assert send() == 2
    assert send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"owner-{row.pk}@example.test" for row in rows)
    by_subject = {m.subject: m for m in mail.outbox}
    for row in rows:
        message = by_subject[f"Row {row.pk}"]
        assert message.extra_headers["Message-ID"] == message_id("test-row", row.pk)
    row = CertificationReminder.objects.get(pk=rows[0].pk)
    assert row.sent_at == NOW and row.attempts == 1 and row.claimed_by and row.last_error == ""


def test_a_row_claimed_twice_is_won_once(rows):
    assert sorted(claim_unsent(CertificationReminder.objects.all(), now=NOW)) == sorted(r.pk for r in rows)
    assert claim_unsent(CertificationReminder.objects.all(), now=NOW) == []
    assert send() == 0  # claimed (by a worker that is sending, or died): nobody else sends it in the lease
    assert mail.outbox == []


def test_a_claim_older_than_the_lease_is_taken_again_and_sent_once(rows):
    claim_unsent(CertificationReminder.objects.filter(pk=rows[0].pk), now=NOW)  # the worker then died
    assert send(now=NOW + LEASE - timedelta(seconds=1)) == 1  # only the other row
    assert send(now=NOW + LEASE) == 1
    assert send(now=NOW + LEASE) == 0
    assert len(mail.outbox) == 2
    assert CertificationReminder.objects.get(pk=rows[0].pk).attempts == 2


def test_a_failing_send_counts_the_attempt_keeps_the_error_and_is_retried_after_the_back_off(rows):
    queryset = CertificationReminder.objects.filter(pk=rows[0].pk)
    with mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 try later")):
        assert send(queryset=queryset) == 0
    row = queryset.get()
    assert (row.sent_at, row.attempts) == (None, 1) and "451 try later" in row.last_error
    assert send(now=NOW + LEASE - timedelta(seconds=1), queryset=queryset) == 0  # waits out the back-off
    assert send(now=NOW + LEASE, queryset=queryset) == 1
    row = queryset.get()
    assert row.sent_at is not None and row.attempts == 2 and row.last_error == ""
    assert len(mail.outbox) == 1


def test_a_failing_compose_is_kept_like_a_failing_send(rows):
    queryset = CertificationReminder.objects.filter(pk=rows[0].pk)

    def broken(_row):
        raise ValueError("no template")

    assert (
        send_once(queryset, now=NOW, kind="test-row", compose=broken, address=lambda row: "x@example.test")
        == 0
    )
    row = queryset.get()
    assert row.sent_at is None and row.attempts == 1 and row.last_error == "ValueError: no template"
    assert mail.outbox == []


def test_send_claimed_marks_only_the_rows_it_is_given_and_only_after_the_send_returned(rows):
    calls = []
    claimed = CertificationReminder.objects.filter(pk=rows[0].pk, sent_at__isnull=True)
    assert send_claimed(claimed, lambda: calls.append(claimed.get().sent_at), failure="test") == 1
    assert calls == [None]  # not yet marked while sending
    assert CertificationReminder.objects.filter(sent_at__isnull=False).count() == 1
    assert send_claimed(claimed, lambda: None, failure="test") == 0  # already sent: nothing to mark
