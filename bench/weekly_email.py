"""(7) The weekly scorecard email at the size, with the red flags a nightly scan leaves, for a manager who
oversees every supplier: its wall time and the peak resident memory of the process that builds it.

The nightly scan (`alerts.flags_evaluate`, what the nightly task runs after the stored KPI rows) runs first, in
this process, and its flags and notifications are committed: the email is then built in a child process, as a
Celery worker would, which cannot see an uncommitted transaction (so no transaction rolled back can undo it).
Afterwards the rows the scan inserted (flags, notes and notifications, by id) are deleted, and the columns it changed
of the flags that were there before (resolved by themselves, a lapsed one raised to high) are put back from a
snapshot, so the bench database is left as it was, also one that holds flags (the full run's step 2 leaves none).

The child does what the weekly digest task does for one manager and week (`digest_outbox.digest_send`, less the
outbox row and the SMTP connection): `digest.digest_message` (the context, the text and HTML bodies, the summary
PDF and whatever else it attaches) and the message serialised as it goes to the mail server. It does it
`runs` times (the first in a fresh process: imports, fonts and templates loaded, as a worker's first task),
then the context alone once, for where the time goes. Its peak resident memory is the kernel's (ru_maxrss from
wait4 on the child, the high-water mark of its whole life), which stands for a Celery worker's.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SIZES, BenchError

TARGET_SECONDS = 10.0
TARGET_MB = 300.0
RUNS = 2
SECONDS_TARGET = f"(7) the weekly email in ≤ {TARGET_SECONDS:g} s"
MEMORY_TARGET = f"(7) the weekly email in ≤ {TARGET_MB:g} MB peak RSS"


def _status_kb(field: str) -> int:
    """Return a field of /proc/self/status in KB (VmRSS now, VmHWM the peak); 0 if unknown."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def bench_weekly_email(*, size, manager, today, now, runs: int = RUNS) -> dict:
    """Run the nightly scan, time the manager's weekly email in a child process, delete the scan's rows."""
    from communications.models import Notification
    from scorecards import alerts, digest
    from scorecards.models import RedFlag, RedFlagNote
    from suppliers.models import Supplier

    week = digest.current_iso_week(manager, now=now)
    last_flag = RedFlag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_note = RedFlagNote.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    older = _flags_as_they_are(last_flag)
    results = {
        "manager_id": manager.pk,
        "iso_week": week,
        "flags_before_scan": RedFlag.objects.count(),
        "suppliers_visible": Supplier.objects.visible_to(manager).count(),
        "suppliers": Supplier.objects.count(),
    }
    try:
        started = time.perf_counter()
        raised = alerts.flags_evaluate(today=today, now=now)
        results["scan_s"] = round(time.perf_counter() - started, 2)
        results["flags_raised"] = len(raised)
        results["open_flags"] = RedFlag.objects.exclude(state=RedFlag.State.RESOLVED).count()
        results |= _child(size=size, manager=manager, week=week, now=now, runs=runs)
    finally:
        # Only what the scan inserted (flag notices may point at flags: notifications first), and what it changed
        # of the flags that were there before it: their notes (resolved by itself, lapsed) and their columns.
        Notification.objects.filter(pk__gt=last_notification).delete()
        RedFlagNote.objects.filter(pk__gt=last_note).delete()
        RedFlag.objects.filter(pk__gt=last_flag).delete()
        results["older_flags_restored"] = _flags_restore(older, last_flag)
    # Judged on the slowest run: the first, in a fresh process, is what a worker's first email after it starts costs.
    worst = max(results["runs_s"])
    results["seconds"] = worst
    results["targets"] = {
        SECONDS_TARGET: {
            "status": "PASS" if worst <= TARGET_SECONDS else "FAIL",
            "detail": (
                f"{worst} s (runs {results['runs_s']}, CPU {results['runs_cpu_s']}; context {results['context_s']} s; PDF "
                f"{results['pdf_kb']} KB; {results['flags_raised']} flags raised by the scan, "
                f"{results['suppliers_in_digest']} suppliers)"
            ),
        },
        MEMORY_TARGET: {
            "status": "PASS" if results["peak_rss_mb"] <= TARGET_MB else "FAIL",
            "detail": f"{results['peak_rss_mb']} MB peak (the process at rest {results['baseline_rss_mb']} MB)",
        },
    }
    return results


def _flag_columns() -> dict[str, str]:
    """Return the flag's columns: attribute name (`supplier_id`) to field name (`supplier`)."""
    from scorecards.models import RedFlag

    return {field.attname: field.name for field in RedFlag._meta.concrete_fields}


def _flags_as_they_are(last_flag: int) -> dict[int, dict]:
    """Return every column of the flags up to `last_flag`, by id: what the scan may change of them (it resolves
    those whose problem is gone, raises the severity of a lapsed one) is put back afterwards (_flags_restore)."""
    from scorecards.models import RedFlag

    return {row["id"]: row for row in RedFlag.objects.filter(pk__lte=last_flag).values(*_flag_columns())}


def _flags_restore(before: dict[int, dict], last_flag: int) -> int:
    """Put back the columns the scan changed of the flags that were there before it; return how many it changed."""
    from scorecards.models import RedFlag

    columns, changed, fields = _flag_columns(), [], set()
    for row in RedFlag.objects.filter(pk__lte=last_flag).values(*columns):
        was = before.get(row["id"])
        differ = [name for name, value in row.items() if was is not None and was[name] != value]
        if differ:
            changed.append(RedFlag(**was))
            fields.update(columns[name] for name in differ)
    if changed:
        RedFlag.objects.bulk_update(changed, sorted(fields), batch_size=500)
    return len(changed)


def _child(*, size, manager, week, now, runs: int) -> dict:
    """Build the email in a child process; return its figures and its peak resident memory (wait4)."""
    command = [
        sys.executable,
        "-m",
        "bench.weekly_email",
        "--size",
        size.name,
        "--manager",
        str(manager.pk),
        "--week",
        week,
        "--now",
        now.isoformat(),
        "--runs",
        str(runs),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, env=os.environ.copy())
    output = process.stdout.read()
    process.stdout.close()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise BenchError(
            f"the weekly email's child process failed ({process.returncode}): {output[-2000:]!r}"
        )
    figures = json.loads(output.decode().strip().splitlines()[-1])
    return figures | {
        # The peak is the child's own high-water mark (VmHWM, read by the child at its end). wait4's ru_maxrss is
        # not: Linux carries the forked copy's resident set (the bench process, ~1 GB at size M after the
        # imports) across exec into it, so it tells the parent's size, not the email's.
        "peak_rss_mb": figures["peak_rss_mb_self"],
        "peak_rss_mb_wait4": round(usage.ru_maxrss / 1024, 1),  # KB on Linux; see above
        "child_cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "child_wall_s": round(time.perf_counter() - started, 2),
    }


def print_weekly_email(results: dict) -> None:
    print(
        f"\nWeekly email (manager {results['manager_id']}, {results['iso_week']}, {results['suppliers_in_digest']} "
        f"suppliers, after a scan that raised {results['flags_raised']} flags in {results['scan_s']} s):"
    )
    print(
        f"  runs {results['runs_s']} s (CPU {results['runs_cpu_s']} s; context {results['context_s']} s), {results['queries']} queries, PDF "
        f"{results['pdf_kb']} KB, message {results['message_kb']} KB; peak RSS {results['peak_rss_mb']} MB "
        f"(at rest {results['baseline_rss_mb']} MB; CPU {results['child_cpu_s']} s)"
    )


# --- The child process ---------------------------------------------------------------------------------------


def child_main(argv: list[str] | None = None) -> int:
    import argparse
    from datetime import datetime

    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--manager", type=int, required=True)
    parser.add_argument("--week", required=True)
    parser.add_argument("--now", required=True)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args(argv)

    import warnings

    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    from bench.common import setup_django

    setup_django(SIZES[args.size])
    from django.db import connection

    from accounts.models import User
    from scorecards import digest, tasks  # noqa: F401 (loaded as in a worker)

    now = datetime.fromisoformat(args.now)
    manager = User.objects.get(pk=args.manager)
    baseline_kb = _status_kb("VmRSS")
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    runs_s, runs_cpu_s, message_bytes, pdf_bytes, attachments = [], [], 0, 0, []
    for run in range(args.runs):
        count[0] = 0
        started, cpu_started = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(counter):
            message = digest.digest_message(manager=manager, iso_week=args.week, now=now)
            raw = message.message().as_bytes()  # what the SMTP backend sends
        runs_s.append(round(time.perf_counter() - started, 2))
        runs_cpu_s.append(round(time.process_time() - cpu_started, 2))
        if run == 0:
            queries, message_bytes = count[0], len(raw)
            attachments = [(name, mimetype, len(content)) for name, content, mimetype in message.attachments]
            pdf_bytes = sum(size for _name, mimetype, size in attachments if mimetype == "application/pdf")
        del message, raw
    started = time.perf_counter()
    context = digest.digest_context(manager=manager, iso_week=args.week, now=now)
    context_s = round(time.perf_counter() - started, 2)
    figures = {
        "runs_s": runs_s,
        "runs_cpu_s": runs_cpu_s,  # this process's CPU: on a shared machine, the wall time adds the wait for a core
        "context_s": context_s,
        "queries": queries,
        "message_kb": round(message_bytes / 1024),
        "pdf_kb": round(pdf_bytes / 1024),
        "attachments": [
            {"name": name, "type": mimetype, "kb": round(size / 1024)} for name, mimetype, size in attachments
        ],
        "suppliers_in_digest": len(context["cards"]),
        "suppliers_in_detail": len(context["detail_cards"]),
        "new_flags": context["new_flag_count"],
        "older_open_flags": context["open_flag_count"],
        "baseline_rss_mb": round(baseline_kb / 1024, 1),
        "peak_rss_mb_self": round(_status_kb("VmHWM") / 1024, 1),
    }
    print(json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
