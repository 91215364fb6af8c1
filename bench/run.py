"""Run the benchmark on one size's data and print the figures as a table and JSON.

    make bench SIZE=S          # or: .venv/bin/python bench/run.py --size S [--reps 5] [--regenerate]

In one run, on the same data: (1) every supplier's KPIs and weekly snapshots, against the same formulas as raw
SQL GROUP BYs; (2) the nightly red-flag scan, against one set-based statement; (3) the portfolio, a supplier
scorecard and two API lists, rendered in-process; (4) scorecard PDFs per second against bare WeasyPrint on the
same HTML; (5) spreadsheet imports; (7) the weekly email after a nightly scan, in a child process (seconds, peak
RSS); (6) the pages under load on gunicorn. Each time is the median of --reps runs after one warm-up run, which
also counts the queries.
The figures go to bench/results/<size>.json. When the other size's database is built, the same code's queries
are counted there too, so the constant-query targets are judged in one run; when its JSON exists, the timings of
both sizes are printed side by side.
"""

import argparse
import sys
import warnings
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, SIZES, BenchError, Size, app_fingerprint, setup_django, vacuum_dead_rows
from bench.engine_cases import bench_current_kpis, bench_flags, bench_kpis
from bench.import_cases import bench_imports, print_imports
from bench.load import TARGET_M_OVER_S
from bench.measure import counted
from bench.playbook_cases import bench_playbooks, print_playbooks
from bench.render_cases import bench_pages, bench_pdf, pages_to_measure
from bench.report import evaluate_targets, print_comparison, print_table, write_json
from bench.weekly_email import bench_weekly_email, print_weekly_email

IMPORTS_TARGET = "(5) 10,000 order lines imported in under a minute"

# --- The other size's query counts, with the same code --------------------------------------------------------


class _Rollback(Exception):
    """Raised to leave a transaction by rolling it back."""


def actors():
    """Return the manager the pages are requested as and the supplier whose scorecard is shown."""
    from accounts.models import User
    from accounts.roles import Role
    from scorecards.models import ACTIVE_STAGES
    from suppliers.models import Supplier

    manager = User.objects.filter(role=Role.MANAGER, is_active=True).order_by("pk").first()
    # Suppliers 1.. are generated first from the same seed, so this is the same supplier on S and on M.
    supplier = Supplier.objects.filter(stage__in=ACTIVE_STAGES).order_by("pk").first()
    return manager, supplier


def query_counts(*, today, now) -> dict[str, int]:
    """Count (without timing) the app's queries of every measurement on the current database."""
    from django.db import connection

    from scorecards import alerts, kpis, periods, services

    def clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM scorecards_redflag")
            cursor.execute("DELETE FROM communications_notification")

    def scan():
        return alerts.flags_evaluate(today=today, now=now)

    week = services.week_start_of(today) - timedelta(days=7)
    start = periods.rolling(today).start
    counts = {
        "kpi_recompute": counted(lambda: services.snapshots_write(week_start=week, now=now), None)[0],
        "kpi_compute": counted(lambda: kpis.all_kpis(start=start, end=today, today=today, now=now), None)[0],
        "red_flag_scan": counted(scan, clear)[0],
        "red_flag_rescan": counted(scan, None)[0],
        "current_kpis_refresh": counted(
            lambda: services.current_kpis_refresh(today=today, now=now, every_window=True), None
        )[0],
    }
    clear()
    manager, supplier = actors()
    for key, _name, _url, get in pages_to_measure(manager=manager, supplier=supplier):
        counts[f"page:{key}"] = counted(get, None)[0]
    return counts


def other_size_counts(other: Size, *, today, now) -> dict[str, int] | None:
    """Count the queries on the other size's database with this same code; None when it is not built yet.

    Query counts need no quiet machine, so "constant in the number of suppliers" is judged in one run, on one
    version of the code, however the timings of the two sizes were taken.
    """
    import psycopg
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from bench import generate
    from bench.common import connect

    try:
        with connect(other.database) as conn:
            built = conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0] is not None
    except psycopg.OperationalError:
        built = False
    if not built or generate.schema_changed(other):
        return None
    own = connection.settings_dict["NAME"]
    try:
        connection.close()
        connection.settings_dict["NAME"] = other.database
        ContentType.objects.clear_cache()
        # Counting runs the scan, the snapshots and the stored KPI rows, and empties the flags first: all of it in
        # one transaction rolled back at the end, so the other size's database is left exactly as it was.
        try:
            with transaction.atomic():
                counts = query_counts(today=today, now=now)
                raise _Rollback
        except _Rollback:
            pass
        return counts
    finally:
        connection.close()
        connection.settings_dict["NAME"] = own
        ContentType.objects.clear_cache()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument(
        "--reps", type=int, default=0, help="timed runs per measurement (default 7 on S, 3 on M)"
    )
    parser.add_argument("--pdfs", type=int, default=0, help="PDFs rendered each way (default 8 on S, 2 on M)")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even when it is current")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="measure only (6), the pages under load on gunicorn (written to bench/results/load-<size>.json)",
    )
    parser.add_argument(
        "--load-rounds",
        type=int,
        default=0,
        help="timed requests of each page per client, both phases (default 30 with 1 client, 10 each with 8)",
    )
    parser.add_argument(
        "--weekly-email-only",
        action="store_true",
        help='measure only (7), the weekly email after a nightly scan (under "weekly_email" in <size>.json)',
    )
    parser.add_argument(
        "--imports-only",
        action="store_true",
        help='measure only (5), the spreadsheet imports (written under "import" in bench/results/<size>.json)',
    )
    parser.add_argument(
        "--scan-only",
        action="store_true",
        help="measure only (2), the nightly red-flag scan against raw SQL (printed, nothing written)",
    )
    args = parser.parse_args(argv)
    # The test settings' static folder need not exist; nothing here serves static files.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    size = SIZES[args.size]
    reps = args.reps or (7 if size.name == "S" else 3)
    pdfs = args.pdfs or (8 if size.name == "S" else 2)
    try:
        from bench import generate

        setup_django(size, fresh=generate.rebuild_needed(size, args.regenerate))
        generation = generate.ensure(size, regenerate=args.regenerate)
        if args.imports_only:
            from django.utils import timezone

            log("(5) spreadsheet imports")
            imports = bench_imports(today=timezone.localdate())
            section_write(
                size,
                "import",
                imports | {"today": timezone.localdate().isoformat()},
                {IMPORTS_TARGET: imports["target"]},
                stale=("imports",),
            )
            print_imports(imports)
            print(f"  {imports['target']['status']:<7} {IMPORTS_TARGET}: {imports['target']['detail']}")
            return 0
        if args.weekly_email_only:
            from django.utils import timezone

            log("(7) the weekly email after a nightly scan, built in a child process")
            manager, _supplier = actors()
            weekly_email = bench_weekly_email(
                size=size, manager=manager, today=timezone.localdate(), now=datetime.now(UTC)
            )
            section_write(size, "weekly_email", weekly_email, weekly_email["targets"])
            print_weekly_email(weekly_email)
            for name, target in weekly_email["targets"].items():
                print(f"  {target['status']:<7} {name}: {target['detail']}")
            return 0
        if args.scan_only:
            scan_run(reps=reps)
            return 0
        if args.load_only:
            load_run(size, rounds=args.load_rounds or None)
            return 0
        results = run(size, reps=reps, pdfs=pdfs, generation=generation)
        load_run(size, rounds=args.load_rounds or None)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print_comparison()
    import json

    # Every verdict of the run, the load test's included (load_run adds them to the file).
    targets = json.loads((RESULTS_DIR / f"{size.name}.json").read_text()).get("targets", results["targets"])
    failed = [name for name, target in targets.items() if target["status"] == "FAIL"]
    print(
        f"\nResults written to {RESULTS_DIR / (size.name + '.json')}"
        + (f"; {len(failed)} target(s) missed" if failed else "")
    )
    return 0


def scan_run(*, reps: int) -> None:
    """(2) The nightly red-flag scan alone, against raw SQL: the check, the table rows and the queries by kind,
    printed only (a step too small to stand for a full run's figures, so bench/results is left as it is)."""
    from django.utils import timezone

    log(f"(2) red-flag scan, {reps} runs each")
    rows, checks = bench_flags(reps=reps, today=timezone.localdate(), now=datetime.now(UTC))
    print(
        f"  flags match raw SQL: {'yes' if checks['flags_match_raw_sql'] else 'NO'} {checks['flag_mismatches']}"
    )
    print(f"  notifications: {checks['notifications']}")
    for row in rows:
        reference = row.reference
        print(
            f"  {row.name:<34} app {row.app.median_ms:>8.1f} ms ({row.app.queries} queries)"
            + (f"  raw {reference.median_ms:>8.1f} ms  {row.ratio}×" if reference else "")
        )
        print(f"    {row.app.query_kinds}")


def load_run(size: Size, *, rounds: int | None = None) -> dict:
    """(6) Every page on gunicorn with 1 and 8 clients; compared with the other size's figures when it has any."""

    from bench.load import ROUNDS, WARM_UP_PER_WORKER, bench_load, print_load
    from suppliers.models import Supplier

    vacuum = vacuum_dead_rows()  # what the steps before left behind, as autovacuum would have cleared it
    manager, supplier = actors()
    factory_user = (
        Supplier.objects.get(pk=supplier.pk).portal_users.filter(is_active=True).order_by("pk").first()
    )
    if factory_user is None:
        raise BenchError(f"Supplier {supplier.pk} has no factory user: run again with --regenerate.")
    per_client = (
        f"{rounds} requests per client"
        if rounds
        else f"{ROUNDS[1]} requests with 1 client, {ROUNDS[8]} each with 8"
    )
    log(
        f"(6) pages under load on gunicorn, each after an uncounted warm-up ({WARM_UP_PER_WORKER}/worker): {per_client}"
    )
    results = bench_load(
        size_name=size.name, supplier=supplier, manager=manager, factory_user=factory_user, rounds=rounds
    )
    results["vacuum_before"] = vacuum
    results["app_fingerprint"] = app_fingerprint()
    verdict = sizes_compare(size, results)
    print_load(results)
    for name, target in results["targets"].items():
        print(f"  {target['status']:<7} {name}: {target['detail']}")
    if verdict is not None:
        print(f"  {verdict['status']:<7} (6) M ÷ S: {verdict['detail']}")
    section_write(size, "load", results, dict(results["targets"]), verdicts={M_OVER_S_TARGET: verdict})
    return results


def sizes_compare(size: Size, results: dict) -> dict | None:
    """Write a size's load figures to load-<size>.json, compared with the other size's when that was timed on the
    same code (M ÷ S of each page's one-client p95); return the verdict, or None when there is nothing to compare.

    The comparison goes into both sizes' files, and its verdict into both <size>.json, so that S then M leaves
    one verdict in each; figures from another version of the code are not compared, and an older verdict is
    dropped rather than left standing.
    """
    import json

    from bench.load import compare_sizes

    mine = RESULTS_DIR / f"load-{size.name}.json"
    other_size = SIZES["M" if size.name == "S" else "S"]
    other = RESULTS_DIR / f"load-{other_size.name}.json"
    theirs = json.loads(other.read_text()) if other.exists() else None
    if theirs is not None and theirs.get("app_fingerprint") != results.get("app_fingerprint"):
        log(
            f"load-{other_size.name}.json is from other code: M ÷ S is compared once both sizes ran this code"
        )
        if theirs.pop("m_over_s", None) is not None:  # it compared with figures no longer on disk
            write_json(other, theirs)
        _verdict_write(other_size, M_OVER_S_TARGET, None, m_over_s=None)
        theirs = None
    results.pop("m_over_s", None)
    verdict = None
    if theirs is not None:
        small, large = (results, theirs) if size.name == "S" else (theirs, results)
        results["m_over_s"] = theirs["m_over_s"] = compare_sizes(small, large)
        verdict = {key: results["m_over_s"][key] for key in ("status", "detail")}
        write_json(other, theirs)
        _verdict_write(other_size, M_OVER_S_TARGET, verdict, m_over_s=results["m_over_s"])
    write_json(mine, results)
    return verdict


M_OVER_S_TARGET = f"(6) every page's one-client p95 at M ≤ {TARGET_M_OVER_S:g}× at S"


def _verdict_write(size: Size, name: str, verdict: dict | None, *, m_over_s: dict | None) -> None:
    """Put a verdict reached by the other size's run into bench/results/<size>.json, or drop it (None); the
    size's own figures are left as they were."""
    import json

    path = RESULTS_DIR / f"{size.name}.json"
    if not path.exists():
        return
    results = json.loads(path.read_text())
    if "load" in results:
        if m_over_s is None:
            results["load"].pop("m_over_s", None)
        else:
            results["load"]["m_over_s"] = m_over_s
    _verdicts_put(results.setdefault("targets", {}), {name: verdict})
    write_json(path, results)


def _verdicts_put(targets: dict, verdicts: dict) -> None:
    """Set each verdict among a results file's targets, or drop it where it is None (none could be reached)."""
    for name, verdict in verdicts.items():
        if verdict is None:
            targets.pop(name, None)
        else:
            targets[name] = verdict


def section_write(
    size: Size,
    key: str,
    section: dict,
    targets: dict,
    *,
    stale: tuple[str, ...] = (),
    verdicts: dict | None = None,
) -> None:
    """Put one step's figures under `key` in bench/results/<size>.json and its verdicts in "targets", leaving the
    rest of the file as it is (a step run alone, e.g. --load-only, keeps the last full run's other figures); the
    `stale` keys (an older name of the same section) are dropped, and so is each of `verdicts` given as None (a
    verdict this run could not reach, which an older one must not stand for)."""
    import json

    path = RESULTS_DIR / f"{size.name}.json"
    results = json.loads(path.read_text()) if path.exists() else {"size": size.name}
    results[key] = section | {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "app_fingerprint": app_fingerprint(),
    }
    for old in stale:
        results.pop(old, None)
    results.setdefault("targets", {}).update(targets)
    _verdicts_put(results["targets"], verdicts or {})
    write_json(path, results)


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def run(size: Size, *, reps: int, pdfs: int, generation: dict) -> dict:
    """Measure everything on the size's database, print the table and write bench/results/<size>.json."""
    import platform

    from django.db import connection
    from django.utils import timezone

    from audits.models import QCInspection
    from communications.models import SupplierIssue
    from orders.models import Delivery
    from payments.models import Invoice
    from scorecards.models import ACTIVE_STAGES, KpiTarget
    from suppliers.models import Supplier

    if KpiTarget.objects.exists():
        raise BenchError(
            "The raw SQL assumes the default KPI targets, but the bench database holds KpiTarget "
            "rows: run again with --regenerate."
        )
    today, now = timezone.localdate(), datetime.now(UTC)
    manager, supplier = actors()
    counts = {
        "suppliers": Supplier.objects.count(),
        "active_suppliers": Supplier.objects.filter(stage__in=ACTIVE_STAGES).count(),
        "deliveries": Delivery.objects.count(),
        "inspections": QCInspection.objects.count(),
        "issues": SupplierIssue.objects.count(),
        "invoices": Invoice.objects.count(),
    }
    log(f"(1) KPIs and snapshots, {reps} runs each")
    kpi_rows, kpi_checks = bench_kpis(reps=reps, today=today, now=now)
    log(f"(1b) stored KPI rows (the nightly pass), {reps} runs each")
    current_rows, current_checks = bench_current_kpis(reps=reps, today=today, now=now)
    log(f"(2) red-flag scan, {reps} runs each")
    flag_rows, flag_checks = bench_flags(reps=reps, today=today, now=now)
    vacuum = vacuum_dead_rows()
    log(
        f"(3) pages, {reps} runs each (after VACUUM of {len(vacuum['vacuumed'])} tables; autovacuum {vacuum['autovacuum']})"
    )
    page_rows = bench_pages(reps=reps, manager=manager, supplier=supplier)
    log(f"(4) scorecard PDFs, {pdfs} each way")
    pdf_row, pdf = bench_pdf(count=pdfs, manager=manager, supplier=supplier, today=today, now=now)
    pdf.update(pdf_row.extra)
    log("(5) spreadsheet imports: the supplier list and 10,000 order lines")
    imports = bench_imports(today=today)
    log("(7) the weekly email after a nightly scan, built in a child process")
    weekly_email = bench_weekly_email(size=size, manager=manager, today=today, now=now)
    log(f"(8) playbook review: actions on the scan's flags, 8–12 weeks old, {reps} runs each")
    playbook_rows, playbook_checks, playbook = bench_playbooks(
        reps=reps, today=today, now=now, manager=manager
    )

    named = {
        "kpi_recompute": kpi_rows[0],
        "kpi_compute": kpi_rows[1],
        "red_flag_scan": flag_rows[0],
        "red_flag_scan_unqueued": flag_rows[1],
        "red_flag_rescan": flag_rows[2],
        "current_kpis_refresh": current_rows[1],
        "current_kpis_nightly": current_rows[0],
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    results = {
        "size": size.name,
        "run_at": now.isoformat(timespec="seconds"),
        "reps": reps,
        "counts": counts,
        "generation": generation,
        "kpi_recompute_ratio": kpi_rows[0].ratio,
        "kpi_compute_ratio": kpi_rows[1].ratio,
        "red_flag_scan_ratio": flag_rows[0].ratio,
        "red_flag_scan_unqueued_ratio": flag_rows[1].ratio,
        "red_flag_rescan_ratio": flag_rows[2].ratio,
        "pdf_vs_weasyprint_ratio": pdf["pdf_vs_weasyprint_ratio"],
        "page_queries": {row.extra["key"]: row.app.queries for row in page_rows},
        "page_ms": {row.extra["key"]: row.app.median_ms for row in page_rows},
        "queries": {key: row.app.queries for key, row in named.items()}
        | {f"{key}_raw": row.reference.queries for key, row in named.items() if row.reference},
        "ms": {key: row.app.median_ms for key, row in named.items()}
        | {f"{key}_raw": row.reference.median_ms for key, row in named.items() if row.reference},
        "pdf": pdf,
        "vacuum_before_pages": vacuum,
        "ms_pdf": pdf_row.app.median_ms,
        "measurements": [
            asdict(row) | {"ratio": row.ratio}
            for row in [*kpi_rows, *current_rows, *flag_rows, *page_rows, pdf_row, *playbook_rows]
        ],
        "checks": kpi_checks | current_checks | flag_checks | playbook_checks,
        "app_fingerprint": app_fingerprint(),
        "environment": {
            "python": platform.python_version(),
            "postgresql": server,
            "machine": platform.machine(),
        },
    }
    other = SIZES["M" if size.name == "S" else "S"]
    log(f"query counts on {other.database}, with the same code")
    skipped = ("red_flag_scan_unqueued", "current_kpis_nightly")  # the nightly's windows depend on the day
    mine = {key: row.app.queries for key, row in named.items() if key not in skipped} | {
        f"page:{row.extra['key']}": row.app.queries for row in page_rows
    }
    theirs = other_size_counts(other, today=today, now=now)
    results["queries_by_size"] = {size.name: mine} | ({other.name: theirs} if theirs else {})
    if theirs:
        results["page_queries_by_size"] = {
            name: {key.removeprefix("page:"): n for key, n in counts.items() if key.startswith("page:")}
            for name, counts in results["queries_by_size"].items()
        }
    results["import"] = imports
    results["weekly_email"] = weekly_email
    results["targets"] = evaluate_targets(results)
    results["targets"][IMPORTS_TARGET] = imports["target"]
    results["targets"].update(weekly_email["targets"])
    results |= {key: value for key, value in playbook.items() if key != "target"}
    results["targets"]["(8) playbook review ≤ 3× raw SQL, constant queries"] = playbook["target"]
    write_json(RESULTS_DIR / f"{size.name}.json", results)
    print_table(size, [*kpi_rows, *current_rows, *flag_rows, *page_rows, pdf_row, *playbook_rows], results)
    print_imports(imports)
    print_weekly_email(weekly_email)
    print_playbooks(playbook, playbook_checks)
    return results


if __name__ == "__main__":
    sys.exit(main())
