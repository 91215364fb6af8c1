"""The runtime around the app: the Celery broker configured for this environment, the demo data."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from config.celery_app import app
from suppliers.models import Stage, StageChange, Supplier


def test_celery_broker_of_this_environment_accepts_a_message(tmp_path):
    """With REDIS_URL the broker is Redis (CI); without it, kombu's filesystem transport (make run)."""
    if settings.REDIS_URL:
        assert app.conf.broker_url.startswith("redis://")
    else:
        assert app.conf.broker_url == "filesystem://"
        for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
            app.conf.broker_transport_options[key] = str(tmp_path)
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)
        queue = connection.SimpleQueue("forgeline-test-ping")
        queue.put({"ping": 1})
        assert queue.get(timeout=5).payload == {"ping": 1}
        queue.close()


def test_beat_schedule_names_tasks_that_exist():
    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
def test_seed_demo_covers_every_stage_and_is_idempotent():
    call_command("seed_demo")
    counts = (Supplier.objects.count(), User.objects.count(), StageChange.objects.count())
    call_command("seed_demo")
    assert (Supplier.objects.count(), User.objects.count(), StageChange.objects.count()) == counts
    assert counts[0] == 30
    assert set(Supplier.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert set(Supplier.objects.values_list("country", flat=True)) == {
        "CN",
        "VN",
        "BD",
        "IN",
        "TR",
        "PT",
        "MX",
    }
    assert User.objects.filter(role="supplier").values("supplier").distinct().count() >= 3
    assert StageChange.objects.exclude(waived=[]).exists()
    # The story reads as a year, not as one afternoon: stage changes in order, on their evidence's dates.
    from django.utils import timezone

    from suppliers.models import Activity

    today = timezone.localdate()
    for supplier in Supplier.objects.exclude(stage__in=[Stage.PROSPECT]):
        days = [c.changed_at.date() for c in supplier.stage_changes.order_by("pk")]
        assert days == sorted(days) and len(set(days)) == len(days), (supplier, days)
        assert days[0] < today and supplier.stage_changed_at.date() == days[-1]
    approved = StageChange.objects.filter(to_stage=Stage.APPROVED).values_list("changed_at", flat=True)
    assert all(when.date() <= today - timedelta(days=30) for when in approved)
    old = Activity.objects.filter(occurred_at__date__lt=today - timedelta(days=90)).count()
    assert old > Activity.objects.count() / 3
