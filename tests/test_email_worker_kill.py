"""Issue 15, point 1: an email is never lost when its worker dies, whatever the step it dies at.

A real `celery worker` (tests/test_celery_worker.py's fixtures: the configured broker, a private queue, the test's
database) sends one notification email to a real SMTP server on a local port (tests/smtp_server.py). The server
stalls at the step under test, the test SIGKILLs the worker there, time moves past the lease, and the periodic
resend sweep runs on a second worker. Then the test counts what the server received:

- killed after the claim (the row says "sending", nothing accepted): the sweep sends it, once;
- killed after the server accepted it (not yet marked sent): the sweep sends it again, under the same Message-ID,
  so the duplicate is recognisable — the one case where at-least-once shows;
- killed after the row was marked sent: nothing more is sent.
"""

import os
import signal
from datetime import timedelta

import pytest
from django.db.models import F

from communications.models import Notification
from communications.tasks import notification_email_task, notifications_resend_pending_task
from core.mail import message_id
from tests.factories import UserFactory
from tests.smtp_server import LocalSMTPServer
from tests.test_celery_worker import broker, worker_db, workers  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)

# Further back than the lease and the first retry's wait: as if the sweep ran a good while after the crash.
LATER = timedelta(hours=1)


def notification() -> Notification:
    """One notification whose email is to be sent, as notify() leaves it (its queue message is sent by the test)."""
    user = UserFactory(email="qc.lead@factory.example")
    return Notification.objects.create(
        user=user,
        title="Corrective action due",
        body="CAPA-7 is due on Friday.",
        email=Notification.Email.PENDING,
    )


def as_if_an_hour_passed(row: Notification) -> None:
    Notification.objects.filter(pk=row.pk).update(
        created_at=F("created_at") - LATER, email_claimed_at=F("email_claimed_at") - LATER
    )


def kill(worker) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


@pytest.mark.parametrize(
    ("step", "received_in_the_end"),
    [("after_claim", 1), ("after_smtp_accepted", 2), ("after_mark", 1)],
)
def test_an_email_whose_worker_is_killed_at_any_step_is_sent_after_the_lease_never_lost(
    workers,  # noqa: F811
    broker,  # noqa: F811
    step,
    received_in_the_end,
):
    row = notification()
    with LocalSMTPServer() as smtp:
        smtp.stall = {"after_claim": "mail", "after_smtp_accepted": "quit"}.get(step, "")
        worker = workers.start(smtp_port=smtp.port)
        broker.send(notification_email_task.s(row.pk))

        if step == "after_mark":
            workers.wait_for(
                lambda: Notification.objects.filter(pk=row.pk, email=Notification.Email.SENT).exists(),
                "the email to be marked sent",
            )
        else:
            workers.wait_for(smtp.stalled.is_set, f"the SMTP session to reach the {step} stall")
            row.refresh_from_db()
            assert row.email == Notification.Email.SENDING
            assert row.email_claimed_by.endswith(f":{worker.pid}")  # who holds the claim, for an operator
        assert len(smtp.received) == (0 if step == "after_claim" else 1)
        kill(worker)
        smtp.stall = ""
        smtp.release()

        # The periodic sweep, on a fresh worker, an hour later.
        as_if_an_hour_passed(row)
        workers.start(smtp_port=smtp.port)
        broker.send(notifications_resend_pending_task.s())
        workers.wait_for(
            lambda: (
                Notification.objects.filter(pk=row.pk, email=Notification.Email.SENT).exists()
                and len(smtp.received) == received_in_the_end
                and workers.event("finished", task="communications.tasks.notifications_resend_pending_task")
            ),
            "the sweep to finish",
        )
        # Whatever the sweep queued has run: no third copy is on its way.
        workers.wait_for(lambda: not _tasks_running(workers), "the workers to be idle")
        received = list(smtp.received)

    assert len(received) == received_in_the_end
    assert {message["Message-ID"] for _to, message in received} == {message_id("notification", row.pk)}
    assert all(to == ["qc.lead@factory.example"] for to, _message in received)
    row.refresh_from_db()
    assert row.email == Notification.Email.SENT and row.email_last_error == ""


def _tasks_running(workers) -> bool:  # noqa: F811
    """Tell whether a live worker started a task it has not finished."""
    alive = {worker.pid for worker in workers.started if worker.poll() is None}
    started = [e["task_id"] for e in workers.events() if e["event"] == "started" and e["pid"] in alive]
    finished = {e["task_id"] for e in workers.events() if e["event"] == "finished"}
    return any(task_id not in finished for task_id in started)
