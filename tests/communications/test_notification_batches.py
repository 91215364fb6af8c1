"""Notifications created together are emailed by one queued task: one broker message per batch, each email sent
exactly once however often the task runs, and one bad address does not hold back the rest."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from communications import services
from communications.models import Notification
from communications.services.notifications import notify_messages
from communications.tasks import (
    notification_email_task,
    notification_emails_task,
    notifications_resend_pending_task,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return [UserFactory(role=Role.MANAGER) for _ in range(3)]


def items(people, count_each: int = 2):
    return [
        (user, f"Escalated #{n}", "Revisit the contract.", f"/x/{n}/")
        for n in range(count_each)
        for user in people
    ]


def test_notify_many_queues_one_email_task_for_the_whole_batch_after_commit(
    people, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(notification_emails_task, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        created = services.notify_many(items(people))
        assert not publish.called

    assert len(callbacks) == 1
    publish.assert_called_once()
    assert publish.call_args.kwargs["args"] == ([notification.pk for notification in created],)
    assert len(created) == 6


def test_keyed_notifications_carrying_a_file_are_emailed_by_a_task_each_the_others_by_one(
    people, django_capture_on_commit_callbacks
):
    """An email with an attachment renders it when sent (an order's PDF): one task each, under the single send's
    time limit, so an import telling thousands of factories is spread over the workers, not one long task."""
    with (
        mock.patch.object(notification_email_task, "apply_async") as single,
        mock.patch.object(notification_emails_task, "apply_async") as batch,
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = notify_messages(
            [
                (user, "order_sent", {"company": "Acme", "number": "PO-1"}, "/x/", ("order_pdf", 1))
                for user in people
            ]
            + [(user, "announcement_published", {"title": "Hello"}, "/y/") for user in people]
        )

    with_file = [n.pk for n in created if n.attachment_kind]
    without = [n.pk for n in created if not n.attachment_kind]
    assert len(with_file) == len(without) == 3
    assert sorted(call.kwargs["args"][0] for call in single.call_args_list) == sorted(with_file)
    batch.assert_called_once()
    assert batch.call_args.kwargs["args"] == (without,)


def test_notify_many_with_nothing_to_say_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.notify_many([]) == []
    assert callbacks == []


def test_notify_many_rolled_back_queues_nothing_and_leaves_nothing(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        services.notify_many(items(people))
        raise RuntimeError("the write that notified failed")

    assert callbacks == [] and not Notification.objects.exists()


def test_every_notification_of_a_batch_is_emailed_exactly_once_even_when_the_task_runs_twice(
    people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        created = services.notify_many(items(people))
    ids = [notification.pk for notification in created]
    assert len(mail.outbox) == 6

    assert notification_emails_task.delay(ids).get() == 0  # a redelivered message
    assert notification_emails_task(ids) == 0
    notification_email_task.delay(ids[0])  # and the single-id task, still there for compatibility

    assert len(mail.outbox) == 6
    assert sorted(m.to[0] for m in mail.outbox) == sorted(2 * [p.email for p in people])
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


def test_a_batch_sent_twice_at_the_same_time_as_the_resend_job_sends_each_email_once(people):
    created = services.notify_many(items(people, count_each=1))  # on_commit never fires in this test
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=11))
    ids = [notification.pk for notification in created]

    assert notification_emails_task(ids[:2]) == 2
    assert notifications_resend_pending_task.delay().get() == 1
    assert notification_emails_task(ids) == 0
    assert len(mail.outbox) == 3


def test_one_failing_email_does_not_hold_back_the_rest_of_the_batch(people):
    created = services.notify_many(items(people, count_each=1))
    ids = [notification.pk for notification in created]
    real_send = EmailBackend.send_messages

    def refuse_the_second(backend, messages):
        if messages[0].to == [people[1].email]:
            raise smtplib.SMTPRecipientsRefused({people[1].email: (550, b"no such user")})
        return real_send(backend, messages)

    with mock.patch.object(EmailBackend, "send_messages", refuse_the_second):
        assert notification_emails_task(ids) == 2

    assert sorted(m.to[0] for m in mail.outbox) == sorted([people[0].email, people[2].email])
    states = dict(Notification.objects.values_list("user_id", "email"))
    assert states == {
        people[0].pk: Notification.Email.SENT,
        people[1].pk: Notification.Email.PENDING,  # retried later; the error is on the row
        people[2].pk: Notification.Email.SENT,
    }
    assert "no such user" in Notification.objects.get(user=people[1]).email_last_error


def test_the_resend_job_queues_one_task_for_every_pending_email(people):
    services.notify_many(items(people))
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=11))

    with mock.patch.object(notification_emails_task, "delay") as delay:
        assert notifications_resend_pending_task() == 6

    delay.assert_called_once()
    assert sorted(delay.call_args.args[0]) == sorted(Notification.objects.values_list("pk", flat=True))


def test_the_resend_job_with_nothing_pending_queues_nothing(people):
    with mock.patch.object(notification_emails_task, "delay") as delay:
        assert notifications_resend_pending_task() == 0
    assert not delay.called
