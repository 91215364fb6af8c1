"""The nightly red-flag scan on a real Celery worker: a `celery worker` subprocess fed by the broker this
environment configures, writing to the same database as the test.

How the two processes share a broker and a database, in each of the two CI modes:

- PostgreSQL + Redis (DATABASE_URL, REDIS_URL set): the test runs with ``transaction=True``, so what it writes is
  committed to pytest-django's test database, and the worker is pointed at that database by name. The broker is
  the configured Redis, with transport options of the test's own: a 5-second visibility timeout, swept every
  second (so a message whose worker died is handed out again within seconds, not after two hours), and unacked
  keys private to the test (so the short timeout never touches anyone else's unacknowledged messages).
- SQLite + filesystem broker (neither set): pytest-django's SQLite test database lives in memory, out of another
  process's reach. The test copies it (migrated, still empty) into a file with SQLite's backup API and, for its
  own duration, swaps the "default" connection for one on that file; the worker opens the same file (WAL, busy
  timeout: base settings). The rest of the suite keeps the in-memory database, which is put back afterwards.
  The broker is kombu's filesystem transport in folders under the test's tmp dir.

Either way the task goes to a queue of the test's own, so no other worker can take it, and the worker runs with
tests/worker_settings.py (the test settings, eager mode off, plus a few hooks the test reads).

A SIGKILLed worker: the worker settings can pause the scan as the task starts or just after the first commit that
holds a red flag, and the test kills the worker there. With Redis the scan's message (acks_late) stays
unacknowledged and is handed to the next worker once its visibility timeout passes. kombu's filesystem transport
deletes a message's file as soon as it hands the message out, so there the killed scan's message is gone: the test
checks that and sends the scan again, as the next nightly run (or `manage.py scan_red_flags`) would. In both modes
the flags the killed run committed are kept, the rest are raised by the run that completes, none is raised twice,
and the manager's escalation of a consistent miss is notified and emailed exactly once (an email whose queue
message died with the worker goes out through the resend task).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from kombu import Exchange, Queue

from accounts.roles import Role
from communications.models import Notification, Side, SupplierIssue
from communications.tasks import notifications_resend_pending_task
from config.celery_app import app
from scorecards.models import Kpi, KpiSnapshot, RedFlag
from scorecards.periods import iso_week
from scorecards.tasks import red_flags_scan_task
from suppliers import triggers
from suppliers.models import Stage
from tests.factories import PurchaseOrderFactory, SupplierFactory, UserFactory
from tests.scorecards.builders import received_deliveries

pytestmark = pytest.mark.django_db(transaction=True)

READY_TIMEOUT = 45  # a cold Django + Celery start on a loaded CI machine
RUN_TIMEOUT = 60
REDIS_VISIBILITY_TIMEOUT = 5


# --- The database both processes use ----------------------------------------------------------------------------


@pytest.fixture
def worker_db(transactional_db, tmp_path):
    """Return the database name for the worker: the test database itself, or on SQLite a file copy of it that
    this test uses as well (see the module docstring)."""
    if connection.vendor != "sqlite":
        yield connection.settings_dict["NAME"]
        return
    memory = connections["default"]
    path = tmp_path / "shared.sqlite3"
    memory.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        memory.connection.backup(copy)
    finally:
        copy.close()
    on_file = type(memory)({**memory.settings_dict, "NAME": str(path)}, alias="default")
    connections["default"] = on_file
    try:
        yield str(path)
    finally:
        on_file.close()
        connections["default"] = memory


# --- The broker ---------------------------------------------------------------------------------------------------


class Broker:
    """The configured broker, with a private queue and private transport options."""

    def __init__(self, tmp_path):
        self.queue = f"forgeline-test-{uuid.uuid4().hex[:12]}"
        # As the worker declares it for `-Q`; passed as an object, so the app's queue registry is left alone.
        self.kombu_queue = Queue(self.queue, Exchange(self.queue, type="direct"), routing_key=self.queue)
        self.redis = bool(settings.REDIS_URL)
        if self.redis:
            self.options = {
                "visibility_timeout": REDIS_VISIBILITY_TIMEOUT,
                "unacked_restore_interval": 1,
                "unacked_restore_throttle": 1,
                "unacked_key": f"{self.queue}.unacked",
                "unacked_index_key": f"{self.queue}.unacked_index",
                "unacked_mutex_key": f"{self.queue}.unacked_mutex",
            }
        else:
            root = tmp_path / "broker"
            self.folder = root / "queue"
            for folder in (self.folder, root / "processed", root / "control"):
                folder.mkdir(parents=True)
            self.options = {
                "data_folder_in": str(self.folder),
                "data_folder_out": str(self.folder),
                "processed_folder": str(root / "processed"),
                "control_folder": str(root / "control"),
                "store_processed": False,
                "polling_interval": 0.1,
            }

    def connection(self):
        return app.connection_for_write(transport_options=self.options)

    def send(self, task):
        """Queue a task as beat does, but on the private queue."""
        with self.connection() as conn:
            return task.apply_async(queue=self.kombu_queue, producer=conn.Producer())

    def waiting_files(self) -> list[str]:
        """The filesystem transport's message files still waiting in the private queue."""
        return [name for name in os.listdir(self.folder) if name.endswith(f".{self.queue}.msg")]

    def clean(self) -> None:
        """Remove what the test left in Redis (the queue, its binding, the unacked bookkeeping)."""
        if not self.redis:
            return
        with self.connection() as conn:
            channel = conn.default_channel
            queue = self.kombu_queue(channel)
            queue.declare()  # a channel deletes only the bindings it knows of
            queue.delete()
            channel.client.delete(*(self.options[key] for key in self.options if key.startswith("unacked_k")))


@pytest.fixture
def broker(tmp_path):
    """The broker, with eager mode off in this process so that apply_async really publishes."""
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    broker = Broker(tmp_path)
    try:
        yield broker
    finally:
        app.conf.task_always_eager = eager
        broker.clean()


# --- Worker subprocesses ----------------------------------------------------------------------------------------


class Workers:
    """Starts `celery worker` subprocesses on the private queue and reads what they report."""

    def __init__(self, *, db_name: str, broker: Broker, tmp_path):
        self.db_name = db_name
        self.broker = broker
        self.tmp_path = tmp_path
        self.events_path = tmp_path / "worker-events.jsonl"
        self.events_path.touch()
        self.started: list[subprocess.Popen] = []

    def start(self, *, pause: str = "", pause_seconds: float = 10.0, smtp_port: int = 0) -> subprocess.Popen:
        """Start a worker and return once it is consuming (its process is the one that runs the tasks)."""
        log_path = self.tmp_path / f"worker-{len(self.started) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])
            ),
            "PYTHONUNBUFFERED": "1",
            "FORGELINE_WORKER_DB_NAME": self.db_name,
            "FORGELINE_WORKER_QUEUE": self.broker.queue,
            "FORGELINE_WORKER_BROKER_OPTIONS": json.dumps(self.broker.options),
            "FORGELINE_WORKER_EVENTS": str(self.events_path),
            "FORGELINE_WORKER_PAUSE": pause,
            "FORGELINE_WORKER_PAUSE_SECONDS": str(pause_seconds),
            **({"FORGELINE_WORKER_SMTP_PORT": str(smtp_port)} if smtp_port else {}),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1",
            "-Q", self.broker.queue, "-n", f"{self.broker.queue}-{len(self.started) + 1}@%h",
            "--without-heartbeat", "--without-mingle", "--without-gossip", "-l", "info",
        ]  # fmt: skip
        with open(log_path, "wb") as log:
            worker = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        worker.log_path = log_path
        self.started.append(worker)

        def ready():
            if worker.poll() is not None:
                pytest.fail(
                    f"Worker {worker.pid} exited ({worker.returncode}) before it was ready.\n{self.logs()}"
                )
            return self.event("ready", pid=worker.pid)

        self.wait_for(ready, f"worker {worker.pid} to be ready", READY_TIMEOUT)
        return worker

    def events(self) -> list[dict]:
        return [json.loads(line) for line in self.events_path.read_text().splitlines() if line.strip()]

    def event(self, kind: str, **fields) -> dict | None:
        """The first event of a kind whose fields match, if any yet."""
        for event in self.events():
            if event["event"] == kind and all(event.get(key) == value for key, value in fields.items()):
                return event
        return None

    def emails_sent(self) -> int:
        """How many notification emails the workers sent (a send claims its row first: at most once each), by the
        batch task (it returns how many it sent) or the single-id one (True when it sent)."""
        sent = 0
        for event in self.events():
            if event["event"] != "finished":
                continue
            if event["task"] == "communications.tasks.notification_emails_task" and event["retval"].isdigit():
                sent += int(event["retval"])
            elif event["task"] == "communications.tasks.notification_email_task":
                sent += event["retval"] == "True"
        return sent

    def wait_for(self, condition, what: str, timeout: float = RUN_TIMEOUT):
        """Poll `condition` until it returns something truthy; fail with the workers' logs after `timeout`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := condition():
                return value
            time.sleep(0.05)
        pytest.fail(f"Timed out after {timeout} s waiting for {what}.\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {worker.log_path.name} (pid {worker.pid}, exit {worker.poll()}) ---\n{worker.log_path.read_text()[-4000:]}"
            for worker in self.started
        )

    def stop_all(self) -> None:
        for worker in self.started:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(timeout=10)


@pytest.fixture
def workers(worker_db, broker, tmp_path):
    workers = Workers(db_name=worker_db, broker=broker, tmp_path=tmp_path)
    try:
        yield workers
    finally:
        workers.stop_all()


# --- Data -------------------------------------------------------------------------------------------------------


def deliveries(supplier, *, on_time: int = 0, late: int = 0) -> None:
    """Received deliveries promised 20+ days ago: `late` three days after their date, `on_time` a day early."""
    order = PurchaseOrderFactory(supplier=supplier, buyer=supplier.owner)
    received_deliveries(order, on_time=on_time, late=late, first=20)


def issue(supplier, *, hours_ago: int, answered: bool = False) -> SupplierIssue:
    raised_at = timezone.now() - timedelta(hours=hours_ago)
    return SupplierIssue.objects.create(
        supplier=supplier,
        raised_by_side=Side.BUYER,
        category=SupplierIssue.Category.QUALITY,
        subject=f"Stitching defects, {supplier.name}",
        description="Loose stitching on the last lot.",
        raised_at=raised_at,
        raised_by=supplier.owner,
        owner=supplier.owner,
        status=SupplierIssue.Status.ANSWERED if answered else SupplierIssue.Status.OPEN,
        first_response_at=raised_at + timedelta(hours=1) if answered else None,
    )


def seed(*, unanswered: int) -> set[tuple[int, str, str]]:
    """Suppliers that raise known red flags, and look-alikes that must raise none; return the flags expected.

    Approved suppliers: one with 6 late deliveries of 6 (on-time delivery flag), one below its on-time target in
    each of the last three weekly snapshots (consistent miss, escalated to the manager), and `unanswered` with an
    issue waiting 30 hours for a reply (24-hour target). Muted: the per-write checks would raise the flags in this
    process before the worker could.
    """
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    with triggers.muted():
        buyer = UserFactory(role=Role.PROCUREMENT, full_name="Bea Buyer")
        UserFactory(role=Role.MANAGER, full_name="Mona Manager")
        late = SupplierFactory(name="Late Lanterns", stage=Stage.APPROVED, owner=buyer)
        deliveries(late, late=6)
        drifting = SupplierFactory(name="Drifting Dyes", stage=Stage.APPROVED, owner=buyer)
        for weeks_ago in (3, 2, 1):
            KpiSnapshot.objects.create(
                supplier=drifting, kpi=Kpi.ON_TIME_DELIVERY, week_start=monday - timedelta(weeks=weeks_ago),
                numerator=8, denominator=10, sample=10, value=Decimal(80), target=Decimal(95), met=False,
            )  # fmt: skip
        expected = {
            (late.pk, RedFlag.Rule.ON_TIME_DELIVERY.value, iso_week(today)),
            (
                drifting.pk,
                RedFlag.Rule.CONSISTENT_MISS.value,
                f"{iso_week(monday - timedelta(weeks=1))}:on_time_delivery",
            ),
        }
        for n in range(unanswered):
            silent = SupplierFactory(name=f"Silent Supplier {n:02d}", stage=Stage.APPROVED, owner=buyer)
            expected.add(
                (silent.pk, RedFlag.Rule.UNANSWERED_ISSUE.value, f"issue-{issue(silent, hours_ago=30).pk}")
            )
        # Look-alikes: a prospect (not watched) as late and as silent; an approved supplier on time, whose
        # issues are recent or were answered in time.
        prospect = SupplierFactory(name="Prospect Pottery", stage=Stage.PROSPECT, owner=buyer)
        deliveries(prospect, late=6)
        issue(prospect, hours_ago=30)
        punctual = SupplierFactory(name="Punctual Pins", stage=Stage.APPROVED, owner=buyer)
        deliveries(punctual, on_time=6)
        issue(punctual, hours_ago=2)
        issue(punctual, hours_ago=30, answered=True)
    assert not RedFlag.objects.exists() and not Notification.objects.exists()
    return expected


def escalations() -> list[str]:
    """Who was notified of the escalated flag (the only notifications the scan of this data sends)."""
    notified = Notification.objects.values_list("user__full_name", "title")
    assert all("Drifting Dyes" in title for _name, title in notified), list(notified)
    return [name for name, _title in notified]


def flag_keys() -> list[tuple[int, str, str]]:
    return list(RedFlag.objects.values_list("supplier_id", "rule", "period"))


# --- Tests ------------------------------------------------------------------------------------------------------


def test_nightly_scan_runs_end_to_end_on_a_real_worker(workers, broker):
    expected = seed(unanswered=2)
    worker = workers.start()

    sent = broker.send(red_flags_scan_task)

    finished = workers.wait_for(lambda: workers.event("finished", task_id=sent.id), "the scan to finish")
    # Run by the worker, not eagerly in this process.
    assert workers.event("started", task_id=sent.id)["pid"] == worker.pid
    assert (finished["state"], finished["retval"]) == ("SUCCESS", str(len(expected))), workers.logs()
    assert sorted(flag_keys()) == sorted(expected)
    late_flag = RedFlag.objects.get(rule=RedFlag.Rule.ON_TIME_DELIVERY)
    assert late_flag.observed.endswith("% (0/6)")
    assert (late_flag.severity, late_flag.owner.full_name) == ("high", "Bea Buyer")
    assert RedFlag.objects.get(rule=RedFlag.Rule.CONSISTENT_MISS).escalated
    assert escalations() == ["Mona Manager"]
    # The scan queued the escalation's email (on the worker's default queue, the private one); the worker sent it.
    workers.wait_for(lambda: workers.emails_sent() == 1, "the escalation email")
    assert list(Notification.objects.values_list("email", flat=True)) == [Notification.Email.SENT]


@pytest.mark.parametrize("kill_point", ["task_start", "flag_insert"])
def test_worker_killed_mid_scan_loses_no_alert_and_doubles_none(workers, broker, kill_point):
    """SIGKILL the worker while the scan runs: as it starts (nothing raised yet), or just after the first commit
    that holds a red flag (some or, when they go in one INSERT, all raised; the task not finished, its message not
    acknowledged; the escalation's email not queued yet)."""
    expected = seed(unanswered=10)  # 12 flags
    first = workers.start(pause=kill_point)

    sent = broker.send(red_flags_scan_task)
    workers.wait_for(lambda: workers.event("paused", pid=first.pid), f"the scan to pause at {kill_point}")
    os.kill(first.pid, signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL
    assert workers.event("finished", task_id=sent.id) is None
    raised_before_kill = RedFlag.objects.count()
    if kill_point == "task_start":
        assert raised_before_kill == 0
    else:
        assert 1 <= raised_before_kill <= len(expected)

    second = workers.start()
    if broker.redis:
        # The message was never acknowledged (acks_late): Redis hands it to the new worker once the visibility
        # timeout has passed. Same task id: the killed run's own message, not a new one.
        rerun = sent
    else:
        # kombu's filesystem transport deleted the message's file when it handed it out, so nothing is left to
        # redeliver; the next scan (nightly, or `manage.py scan_red_flags`) has to fill the gap.
        assert broker.waiting_files() == []
        rerun = broker.send(red_flags_scan_task)
    finished = workers.wait_for(lambda: workers.event("finished", task_id=rerun.id), "the scan to run again")

    assert workers.event("started", task_id=rerun.id, pid=second.pid), workers.logs()
    assert finished["state"] == "SUCCESS", workers.logs()
    # The completing run raised exactly the flags the killed one had not committed: none lost, none twice.
    assert finished["retval"] == str(len(expected) - raised_before_kill)
    keys = flag_keys()
    assert max(Counter(keys).values()) == 1
    assert sorted(keys) == sorted(expected)
    # The consistent miss was escalated to the manager once, and emailed once: an email whose queue message died
    # with the worker is queued again by the resend task (beat, every 10 minutes, for notifications pending 10+).
    assert escalations() == ["Mona Manager"]
    Notification.objects.filter(email=Notification.Email.PENDING).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    resend = broker.send(notifications_resend_pending_task)
    workers.wait_for(lambda: workers.event("finished", task_id=resend.id), "the resend task")
    workers.wait_for(lambda: workers.emails_sent() == 1, "the escalation email")
    assert list(Notification.objects.values_list("email", flat=True)) == [Notification.Email.SENT]
