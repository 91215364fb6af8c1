"""Leases, not flags: every emailed row records who claimed it and when, a claim older than the lease is taken
again by the sweep, a reminder is marked sent only after the mail server accepted it, and every email carries a
Message-ID derived from its rows, so the rare duplicate is recognisable."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from communications import services as communications
from communications.models import Notification
from communications.tasks import notifications_resend_pending_task
from core.leases import LEASE, MAX_ATTEMPTS, claim_unsent, retry_due
from core.mail import message_id
from suppliers import services as suppliers
from suppliers.models import CertificationReminder
from suppliers.tasks import certification_reminders_resend_task
from tests.factories import CertificationFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def smtp_down():
    return mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 try later")
    )


@pytest.fixture
def expiring(buyer):
    """Two certificates of one buyer's supplier that expire within 30 days."""
    supplier = SupplierFactory(owner=buyer)
    today = timezone.localdate()
    return [
        CertificationFactory(supplier=supplier, valid_until=today + timedelta(days=20)),
        CertificationFactory(supplier=supplier, standard="bsci", valid_until=today + timedelta(days=25)),
    ]


def test_back_off_doubles_after_the_lease_and_stops_at_the_cap():
    now = timezone.now()
    assert retry_due(attempts=0, claimed_at=None, now=now)
    assert not retry_due(attempts=1, claimed_at=now - LEASE + timedelta(seconds=1), now=now)
    assert retry_due(attempts=1, claimed_at=now - LEASE, now=now)
    assert not retry_due(attempts=2, claimed_at=now - LEASE, now=now)
    assert retry_due(attempts=2, claimed_at=now - 2 * LEASE, now=now)
    assert not retry_due(attempts=MAX_ATTEMPTS, claimed_at=now - 1000 * LEASE, now=now)


def test_two_sweeps_claiming_the_same_rows_each_win_different_ones(expiring):
    for cert in expiring:
        CertificationReminder.objects.create(certification=cert, threshold="30d")
    now = timezone.now()
    first = claim_unsent(CertificationReminder.objects.all(), now=now)
    second = claim_unsent(CertificationReminder.objects.all(), now=now)
    assert len(first) == 2 and second == []
    assert set(CertificationReminder.objects.values_list("attempts", flat=True)) == {1}
    assert all(CertificationReminder.objects.values_list("claimed_by", flat=True))


def test_reminders_claimed_by_a_worker_that_died_are_sent_exactly_once_by_the_sweep_after_the_lease(expiring):
    now = timezone.now()
    for cert in expiring:
        CertificationReminder.objects.create(certification=cert, threshold="30d")
    # The crash: the rows are claimed, the worker dies before sending anything.
    assert len(claim_unsent(CertificationReminder.objects.all(), now=now)) == 2
    assert CertificationReminder.objects.filter(sent_at__isnull=True).count() == 2

    with time_machine.travel(now + timedelta(minutes=5), tick=False):
        assert certification_reminders_resend_task.delay().get() == 0  # still within the lease
    with time_machine.travel(now + LEASE + timedelta(seconds=1), tick=False):
        assert certification_reminders_resend_task.delay().get() == 2
        assert certification_reminders_resend_task.delay().get() == 0

    (message,) = mail.outbox  # one email listing both
    ids = sorted(CertificationReminder.objects.values_list("pk", flat=True))
    assert message.extra_headers["Message-ID"] == message_id("certification-reminders", *ids)
    assert not CertificationReminder.objects.filter(sent_at__isnull=True).exists()


def test_a_reminder_is_marked_sent_only_after_the_server_accepted_it_and_a_failure_is_retried(expiring):
    today, now = timezone.localdate(), timezone.now()
    with smtp_down():
        assert suppliers.certification_reminders_send(today=today, now=now) == 0
    # Not lost and visible: unsent, with its attempt and error.
    rows = CertificationReminder.objects.all()
    assert [(r.sent_at, r.attempts) for r in rows] == [(None, 1), (None, 1)]
    assert all("451 try later" in r.last_error for r in rows)
    # The daily run again the same day records nothing new and waits out the back-off.
    assert suppliers.certification_reminders_send(today=today, now=now + timedelta(minutes=1)) == 0
    assert suppliers.certification_reminders_deliver(now=now + LEASE) == 2
    assert len(mail.outbox) == 1
    assert CertificationReminder.objects.filter(sent_at__isnull=False, last_error="").count() == 2


def test_a_notification_claim_records_who_claimed_it_and_its_email_has_a_stable_message_id(buyer):
    note = Notification.objects.create(user=buyer, title="Hello")
    assert communications.notification_send_email(notification_id=note.pk) is True
    note.refresh_from_db()
    assert note.email_claimed_by and note.email_claimed_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == message_id("notification", note.pk)
    assert mail.outbox[0].message()["Message-ID"] == message_id("notification", note.pk)


def test_a_notification_whose_worker_died_after_the_claim_is_sent_once_after_the_lease(buyer):
    note = Notification.objects.create(user=buyer, title="Hello")
    started = timezone.now()
    Notification.objects.filter(pk=note.pk).update(
        email=Notification.Email.SENDING,
        email_claimed_at=started,
        email_claimed_by="dead:1",
        email_attempts=1,
    )
    with time_machine.travel(started + LEASE - timedelta(minutes=1)):
        assert notifications_resend_pending_task.delay().get() == 0
    with time_machine.travel(started + LEASE + timedelta(minutes=1)):
        assert notifications_resend_pending_task.delay().get() == 1
        assert notifications_resend_pending_task.delay().get() == 0
    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert note.email == Notification.Email.SENT and note.email_claimed_by != "dead:1"
