"""An issue's subject is one line wherever it comes from (so its email cannot be stopped by a line break), and
the notification email outbox never loses an email: a failed send keeps its error, is retried with a back-off
and a cap, and a worker that died mid-send frees the row after the lease."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone

from communications import services
from communications.models import Notification, SupplierIssue
from communications.tasks import notifications_resend_pending_task

pytestmark = pytest.mark.django_db

BROKEN = "Stitching\r\nBcc: victim@example.com\nloose"
CLEAN = "Stitching Bcc: victim@example.com loose"


def smtp_down():
    return mock.patch.object(
        EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 try later")
    )


def test_a_subject_with_a_line_break_raised_in_the_portal_reaches_the_owner_in_exactly_one_email(
    client, portal_a, supplier_a, django_capture_on_commit_callbacks
):
    client.force_login(portal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:issues"),
            {"category": "quality", "severity": "medium", "subject": BROKEN, "description": "See photos"},
        )

    assert response.status_code == 302
    issue = SupplierIssue.objects.get()
    assert issue.subject == CLEAN
    assert [m.to for m in mail.outbox] == [[supplier_a.owner.email]]
    assert "\n" not in mail.outbox[0].subject and "\r" not in mail.outbox[0].subject
    assert CLEAN in mail.outbox[0].subject
    assert Notification.objects.get().email == Notification.Email.SENT


def test_a_subject_with_a_line_break_raised_by_staff_reaches_the_factory(
    client, buyer, supplier_a, portal_a, django_capture_on_commit_callbacks
):
    client.force_login(buyer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communications:issue_create"),
            {
                "supplier": supplier_a.pk,
                "category": "quality",
                "severity": "medium",
                "subject": BROKEN,
                "description": "See photos",
            },
        )

    assert response.status_code == 302
    assert SupplierIssue.objects.get().subject == CLEAN
    assert [m.to for m in mail.outbox] == [[portal_a.email]]
    assert "\n" not in mail.outbox[0].subject


def test_a_subject_with_a_line_break_sent_to_the_api_is_stored_on_one_line(
    api_client, portal_a, supplier_a, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(portal_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(
            reverse("api:issue-list"),
            {"category": "delivery", "subject": BROKEN, "description": "Late"},
            format="json",
        )

    assert response.status_code == 201, response.content
    assert response.json()["subject"] == CLEAN
    assert len(mail.outbox) == 1 and CLEAN in mail.outbox[0].subject


def test_a_title_that_still_holds_a_line_break_is_emailed_on_one_line(buyer):
    # A row written before the inputs were cleaned, or by a path that forgot: the sending path copes.
    note = Notification.objects.create(user=buyer, title="Old\r\nrow")

    assert services.notification_send_email(notification_id=note.pk) is True
    assert mail.outbox[0].subject == "Forgeline: Old row"


def test_an_smtp_failure_leaves_the_issue_notification_to_send_and_a_later_run_sends_it(
    client, portal_a, supplier_a, django_capture_on_commit_callbacks
):
    client.force_login(portal_a)
    with smtp_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:issues"),
            {"category": "quality", "severity": "medium", "subject": "Loose threads", "description": "Look"},
        )

    assert response.status_code == 302  # the factory's issue is raised; the email waits
    note = Notification.objects.get()
    assert note.email == Notification.Email.PENDING and note.email_attempts == 1
    assert "451 try later" in note.email_last_error
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert notifications_resend_pending_task.delay().get() == 1

    note.refresh_from_db()
    assert note.email == Notification.Email.SENT and note.email_last_error == ""
    assert [m.to for m in mail.outbox] == [[supplier_a.owner.email]]


def test_retries_back_off_and_stop_at_the_cap_with_the_error_kept(buyer):
    note = Notification.objects.create(user=buyer, title="Hello")
    now = timezone.now()
    with smtp_down():
        for attempt in range(1, services.EMAIL_MAX_ATTEMPTS + 1):
            # The first try of a lost message after 10 minutes; then the wait doubles: 10, 20, 40 ... minutes.
            now += services.EMAIL_RETRY_AFTER * 2 ** max(attempt - 2, 0) + timedelta(seconds=1)
            with time_machine.travel(now, tick=False):
                if attempt > 1:
                    early = now - timedelta(minutes=2)
                    assert note.pk not in services.notifications_due_for_retry(now=early)
                assert services.notifications_due_for_retry(now=now) == [note.pk]
                assert notifications_resend_pending_task.delay().get() == 1
            note.refresh_from_db()
            assert note.email_attempts == attempt

    assert note.email == Notification.Email.FAILED
    assert note.email_last_error == "SMTPException: 451 try later"
    with time_machine.travel(now + timedelta(days=2)):
        assert notifications_resend_pending_task.delay().get() == 0
    assert mail.outbox == []

    # An administrator sends it again once the mail server is back.
    assert services.notifications_email_again(ids=[note.pk]) == 1
    assert services.notification_send_email(notification_id=note.pk) is True
    assert len(mail.outbox) == 1


def test_a_row_left_sending_by_a_dead_worker_is_retried_after_the_lease_and_sent_once(buyer):
    note = Notification.objects.create(user=buyer, title="Hello")
    started = timezone.now()
    Notification.objects.filter(pk=note.pk).update(
        email=Notification.Email.SENDING, email_claimed_at=started, email_attempts=1
    )

    assert (
        services.notification_send_email(notification_id=note.pk, now=started + timedelta(minutes=5)) is False
    )
    with time_machine.travel(started + services.EMAIL_LEASE + timedelta(minutes=1)):
        assert notifications_resend_pending_task.delay().get() == 1
        assert notifications_resend_pending_task.delay().get() == 0

    assert len(mail.outbox) == 1
    note.refresh_from_db()
    assert (note.email, note.email_attempts) == (Notification.Email.SENT, 2)


def test_the_admin_shows_the_last_error_and_sends_failed_ones_again(
    admin_client_of, buyer, django_capture_on_commit_callbacks
):
    failed = Notification.objects.create(
        user=buyer,
        title="Hello",
        email=Notification.Email.FAILED,
        email_attempts=services.EMAIL_MAX_ATTEMPTS,
        email_last_error="SMTPException: 451 try later",
    )
    client = admin_client_of()

    page = client.get(reverse("admin:communications_notification_changelist"))
    assert "451 try later" in page.content.decode()
    assert "last email error" in page.content.decode().lower()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:communications_notification_changelist"),
            {"action": "email_again", "_selected_action": [failed.pk]},
        )
    failed.refresh_from_db()
    assert (failed.email, failed.email_attempts) == (Notification.Email.SENT, 1)
    assert [m.to for m in mail.outbox] == [[buyer.email]]


@pytest.fixture
def admin_client_of(client, admin_user):
    def make():
        client.force_login(admin_user)
        return client

    return make
