"""The health page, /health/: JSON with the database, broker, worker heartbeat, beat's runs, the email outbox and
disk space; 200 when healthy, 503 otherwise, and never a secret."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone

from communications.models import Notification
from core import task_runs
from core.models import TaskRun
from core.tasks import HEARTBEAT_TASK

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_worker(settings):
    """As in production: tasks run on a worker, so the heartbeat counts."""
    settings.CELERY_TASK_ALWAYS_EAGER = False


def beat(at):
    TaskRun.objects.update_or_create(
        task=HEARTBEAT_TASK, defaults={"last_started_at": at, "last_succeeded_at": at}
    )


def test_a_healthy_app_answers_200_with_every_check_and_no_secret(client, with_worker, settings):
    beat(timezone.now() - timedelta(seconds=30))
    response = client.get("/health/")
    assert response.status_code == 200, {k: v for k, v in response.json().items() if k != "beat"}
    report = response.json()
    assert report["status"] == "ok"
    assert {"database", "broker", "worker", "beat", "outbox", "disk"} <= set(report)
    assert report["beat"]["tasks"]["heartbeat"]["last_started"] is not None
    body = response.content.decode()
    assert settings.SECRET_KEY not in body and "postgres://" not in body and "redis://" not in body


def test_a_stale_heartbeat_means_no_worker_or_no_beat_and_answers_503(client, with_worker):
    beat(timezone.now() - timedelta(minutes=20))
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["worker"]["ok"] is False and response.json()["worker"]["age_seconds"] >= 1200


def test_no_heartbeat_ever_answers_503(client, with_worker):
    assert client.get("/health/").status_code == 503


def test_a_database_that_is_down_answers_503_and_names_only_the_error(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("pw=secret")
    ):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == {"ok": False, "error": "OperationalError"}
    assert "secret" not in response.content.decode()


def test_the_outbox_backlog_and_its_oldest_email_are_reported(client, buyer):
    note = Notification.objects.create(user=buyer, title="Waiting")
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(hours=2))
    outbox = client.get("/health/").json()["outbox"]
    assert outbox["pending_emails"] == 1 and outbox["oldest_pending_age_seconds"] >= 7200
    assert outbox["ok"] is False  # reported, but email waiting does not make the app down
    assert client.get("/health/").status_code == 200


def test_too_little_disk_space_answers_503(client, settings):
    settings.FORGELINE_HEALTH_MIN_FREE_MB = 10**12
    response = client.get("/health/")
    assert response.status_code == 503 and response.json()["disk"]["ok"] is False


def test_only_limits_the_checks_for_the_web_containers_probe(client, with_worker):
    response = client.get("/health/?only=database,broker")
    assert response.status_code == 200
    assert set(response.json()) == {"checked_at", "database", "broker", "status"}


def test_a_periodic_task_run_on_a_worker_records_its_start_success_and_failure():
    from scorecards.tasks import red_flags_scan_task as task

    request = mock.Mock(is_eager=False)
    with mock.patch.object(type(task), "request", request, create=True):
        task_runs._started(sender=task)
        task_runs._succeeded(sender=task)
        task_runs._failed(sender=task, exception=RuntimeError("boom"))
    run = TaskRun.objects.get(task=task.name)
    assert run.last_started_at and run.last_succeeded_at and run.last_failed_at
    assert run.last_error == "RuntimeError: boom" and run.worker


def test_tasks_run_in_process_or_not_periodic_are_not_recorded(buyer):
    from communications.tasks import notification_email_task

    note = Notification.objects.create(user=buyer, title="x")
    notification_email_task.delay(note.pk)  # eager, and not in the beat schedule
    assert not TaskRun.objects.exists()
