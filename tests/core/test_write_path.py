"""The broker and the mail server are not on the write path: a write commits, and its page answers normally,
when Redis refuses to publish or SMTP is down; the outbox rows it committed are sent by the sweep later."""

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from celery.app.task import Task
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from communications.models import Notification, SupplierIssue
from communications.tasks import notifications_resend_pending_task
from core.queue import task_publish
from scorecards.tasks import red_flags_scan_task

pytestmark = pytest.mark.django_db


def broker_down():
    """Every publish fails as kombu fails when Redis does not answer."""
    return mock.patch.object(Task, "apply_async", side_effect=BrokerDown("Error 111 connecting to redis"))


def test_an_issue_raised_while_the_broker_is_down_is_saved_once_and_emailed_by_the_sweep(
    client, portal_a, supplier_a, django_capture_on_commit_callbacks
):
    client.force_login(portal_a)
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:issues"),
            {"category": "quality", "severity": "medium", "subject": "Loose threads", "description": "Look"},
        )

    assert response.status_code == 302  # the page answers; the user has no reason to submit again
    assert SupplierIssue.objects.count() == 1
    note = Notification.objects.get()
    assert note.email == Notification.Email.PENDING and mail.outbox == []

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert notifications_resend_pending_task.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[supplier_a.owner.email]]


def test_publishing_with_the_broker_down_is_logged_not_raised(caplog):
    with broker_down():
        assert task_publish(red_flags_scan_task) is False
    assert "Could not queue scorecards.tasks.red_flags_scan_task" in caplog.text


def test_a_database_error_in_a_task_is_retried_with_back_off():
    assert OperationalError in red_flags_scan_task.autoretry_for
    assert red_flags_scan_task.retry_backoff and red_flags_scan_task.max_retries == 3


def test_proposing_payment_terms_with_smtp_down_answers_normally_and_the_factory_is_told_later(
    client, buyer, supplier_a, portal_a, django_capture_on_commit_callbacks
):
    from payments.models import PaymentTermChange
    from suppliers.models import Stage

    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    client.force_login(buyer)
    data = {
        "supplier": supplier_a.pk,
        "new_terms_days": "60",
        "effective_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "reason": "Group terms",
    }
    smtp = mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 later"))
    with smtp, django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:term_change_create"), data)

    assert response.status_code == 302
    assert PaymentTermChange.objects.count() == 1
    note = Notification.objects.get(user=portal_a)
    assert note.email == Notification.Email.PENDING and "451 later" in note.email_last_error

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert notifications_resend_pending_task.delay().get() == 1
    assert [m.to for m in mail.outbox] == [[portal_a.email]]
    assert "from 30 to 60 days" in mail.outbox[0].body
