"""The runtime around the app: the Celery broker configured for this environment, the demo data."""

import copy
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from config.celery_app import app
from suppliers.models import Stage, StageChange, Supplier

SEED_DAY = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def celery_conf():
    """Yield the Celery app's configuration; put back afterwards the settings a test changes in it."""
    saved = {key: copy.deepcopy(app.conf[key]) for key in ("broker_url", "broker_transport_options")}
    yield app.conf
    app.conf.update(saved)


def test_celery_broker_of_this_environment_accepts_a_message(tmp_path, celery_conf):
    """With REDIS_URL the broker is Redis (CI); without it, kombu's filesystem transport (make run)."""
    if settings.REDIS_URL:
        assert celery_conf.broker_url.startswith("redis://")
    else:
        assert celery_conf.broker_url == "filesystem://"
        folders = dict.fromkeys(("data_folder_in", "data_folder_out", "processed_folder", "control_folder"))
        celery_conf.broker_transport_options = {
            **celery_conf.broker_transport_options,
            **{key: str(tmp_path) for key in folders},
        }
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
def test_seed_demo_covers_every_stage_and_is_idempotent(time_machine):
    # The demo's year ends "today": a fixed day, so its stories (and the checks below) are the same every day.
    time_machine.move_to(SEED_DAY)
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
    # The portfolio's stored KPI rows are there for every active supplier.
    from scorecards.models import ACTIVE_STAGES, CurrentKpi

    active = Supplier.objects.filter(stage__in=ACTIVE_STAGES)
    assert CurrentKpi.objects.filter(period="90d").count() == active.count() > 0
    assert StageChange.objects.exclude(waived=[]).exists()
    # One verification policy, and one supplier whose re-verification is due (its flag raised by the scan).
    from audits.models import VerificationPolicy
    from scorecards.models import RedFlag

    assert VerificationPolicy.objects.count() == 1
    assert (
        RedFlag.objects.filter(rule=RedFlag.Rule.VERIFICATION_DUE).values("supplier").distinct().count() == 1
    )
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
    # One supplier is due for its site visit: the nightly scan raised it (issue 18, visit reports).
    from scorecards.models import RedFlag

    assert RedFlag.objects.filter(rule=RedFlag.Rule.VISIT_DUE).count() == 1
    # A SKU on reduced inspection, switched by quality staff with a reason once ten clean lots scored 30.
    from audits.models import InspectionSeverity, SwitchRule

    reduced = InspectionSeverity.objects.get(severity="reduced")
    assert (reduced.sku, reduced.rule) == ("SOCK-CTN-08", SwitchRule.HAND) and reduced.reason
    # A corrected training: accepted by the factory, then moved a week by the buyer, so offered again.
    from partnership.models import Training

    corrected = Training.objects.get(topic="Chemical compliance (REACH, CPSIA)")
    assert (corrected.status, corrected.held_on, corrected.accepted_by) == (
        Training.Status.OFFERED,
        today + timedelta(days=31),
        None,
    )


def test_django_refuses_orm_calls_from_async_code_outside_the_browser_journeys():
    """Only tests/e2e (Playwright's event loop) lifts Django's async-safety check, and only while it runs."""
    assert "DJANGO_ALLOW_ASYNC_UNSAFE" not in os.environ


def test_a_gunicorn_worker_freezes_what_it_loaded_at_start():
    """config.wsgi (what each gunicorn worker imports) loads every view and the holiday calendars, then moves those
    long-lived objects out of the cyclic collector's reach (gc.freeze), so a full collection inside a request no
    longer walks them: without it, a 170-200 ms pause every 40-80 requests of a card page. The collector stays on."""
    probe = (
        "import gc, sys\n"
        "import config.wsgi\n"
        "assert 'holidays.countries' in sys.modules\n"
        "print(gc.isenabled(), gc.get_freeze_count(), len(gc.get_objects()))\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    enabled, frozen, tracked = result.stdout.strip().splitlines()[-1].split()
    assert enabled == "True"
    assert int(frozen) > 50_000  # Django, the apps, the URLconf and the calendars
    assert int(tracked) < int(frozen) // 10  # what the collector still walks: next to nothing until a request
