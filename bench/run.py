"""Run the benchmark on one size's data and print the figures as a table and JSON.

    make bench SIZE=S          # or: .venv/bin/python bench/run.py --size S [--reps 5] [--regenerate]

In one run, on the same data: (1) every supplier's KPIs and weekly snapshots, against the same formulas as raw
SQL GROUP BYs; (2) the nightly red-flag scan, against one set-based statement; (3) the portfolio, a supplier
scorecard and two API lists, rendered in-process; (4) scorecard PDFs per second against bare WeasyPrint on the
same HTML. Each time is the median of --reps runs after one warm-up run, which also counts the queries.
The figures go to bench/results/<size>.json. When the other size's database is built, the same code's queries
are counted there too, so the constant-query targets are judged in one run; when its JSON exists, the timings of
both sizes are printed side by side.
"""

import argparse
import sys
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from unittest import mock

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import RESULTS_DIR, ROOT, SIZES, BenchError, Size, app_fingerprint, setup_django
from bench.measure import Row, counted, measure, measure_pair
from bench.report import evaluate_targets, print_comparison, print_table, write_json

BENCH_PDF_TEMPLATE = "bench/scorecard_pdf.html"
APP_PDF_TEMPLATE = "pdf/weekly_scorecard.html"


# --- (1) KPIs and snapshots ------------------------------------------------------------------------------------


def bench_kpis(*, reps: int, today, now) -> tuple[list[Row], dict]:
    """Time all_kpis against the five GROUP BYs, and snapshots_write against one INSERT … SELECT."""
    from django.conf import settings
    from django.db import connection

    from bench import rawsql
    from scorecards import kpis, periods, services
    from scorecards.models import DEFAULT_TARGETS, KpiSnapshot

    start, target_hours = (
        periods.rolling(today).start,
        Decimal(settings.FORGELINE_RESPONSE_TARGET_HOURS),
    )
    window = {"start": start, "end": today, "today": today, "now": now, "target_hours": target_hours}

    def raw_kpis():
        with connection.cursor() as cursor:
            return rawsql.kpis_group_by(cursor, **window)

    app = kpis.all_kpis(start=start, end=today, today=today, now=now)
    raw = raw_kpis()
    kpi_mismatches = _compare_kpis(app, raw)
    compute = Row(
        "KPIs, all suppliers (all_kpis)",
        *measure_pair(
            lambda: kpis.all_kpis(start=start, end=today, today=today, now=now), raw_kpis, reps=reps
        ),
        note="5 GROUP BYs",
    )

    # Last week's snapshots: the ones the Monday task writes (an upsert, so every run rewrites the same rows).
    week = services.week_start_of(today) - timedelta(days=7)

    def app_snapshots():
        return services.snapshots_write(week_start=week, now=now)

    def raw_snapshots():
        with connection.cursor() as cursor:
            return rawsql.snapshots_upsert(
                cursor,
                week_start=week,
                today=today,
                now=now,
                target_hours=target_hours,
                targets=DEFAULT_TARGETS,
            )

    def written():
        return {
            (s.supplier_id, s.kpi): (s.numerator, s.denominator, s.sample, s.value, s.target, s.met)
            for s in KpiSnapshot.objects.filter(week_start=week)
        }

    app_snapshots()
    by_app = written()
    raw_snapshots()
    snapshot_mismatches = _compare_snapshots(by_app, written())
    recompute = Row(
        "KPIs + snapshots (snapshots_write)",
        *measure_pair(app_snapshots, raw_snapshots, reps=reps),
        note="1 INSERT…SELECT…ON CONFLICT",
        extra={"rows": len(by_app)},
    )
    checks = {
        "kpis_match_raw_sql": not kpi_mismatches,
        "kpi_mismatches": kpi_mismatches[:5],
        "snapshots_match_raw_sql": not snapshot_mismatches,
        "snapshot_mismatches": snapshot_mismatches[:5],
    }
    return [recompute, compute], checks


def _compare_kpis(app: dict, raw: dict) -> list[str]:
    """Return the (kpi, supplier) pairs where the app's counts or median differ from the raw SQL's."""
    mismatches = []
    for kpi, values in app.items():
        if set(values) != set(raw[kpi]):
            mismatches.append(f"{kpi}: suppliers differ ({len(values)} vs {len(raw[kpi])})")
            continue
        for supplier_id, value in values.items():
            numerator, denominator, sample, median_seconds = raw[kpi][supplier_id]
            if (value.numerator, value.denominator, value.sample) != (numerator, denominator, sample):
                mismatches.append(f"{kpi} supplier {supplier_id}: {value} vs {raw[kpi][supplier_id]}")
            elif (
                median_seconds is not None
                and value.value is not None
                and abs(value.value - Decimal(str(median_seconds / 3600))) > Decimal("0.051")
            ):
                mismatches.append(
                    f"{kpi} supplier {supplier_id}: median {value.value} h vs {median_seconds} s"
                )
    return mismatches


def _compare_snapshots(app: dict, raw: dict) -> list[str]:
    """Return the snapshot rows the app and the raw SQL wrote differently (they must be identical)."""
    mismatches = [f"rows differ: {len(app)} vs {len(raw)}"] if set(app) != set(raw) else []
    return mismatches + sorted(
        f"{key}: {app[key]} vs {raw[key]}" for key in set(app) & set(raw) if app[key] != raw[key]
    )


# --- (2) The nightly red-flag scan -----------------------------------------------------------------------------


def bench_flags(*, reps: int, today, now) -> tuple[list[Row], dict]:
    """Time flags_evaluate on a night where every flag is new, and on a night that raises nothing."""
    from django.db import connection

    from bench import rawsql
    from communications import tasks as communication_tasks
    from communications.models import Notification
    from scorecards import alerts
    from scorecards.models import RedFlag

    params = rawsql.flags_params(today=today, now=now)

    def clear():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM scorecards_redflag")
            cursor.execute("DELETE FROM communications_notification")

    def app_scan():
        return alerts.flags_evaluate(today=today, now=now)

    def raw_scan():
        with connection.cursor() as cursor:
            return rawsql.flags_scan(cursor, params)

    def raised():
        fields = (
            "supplier_id",
            "rule",
            "period",
            "severity",
            "observed",
            "target",
            "recommended_action",
            "detail",
            "url",
            "owner_id",
            "escalated",
            "issue_id",
            "discrepancy_id",
            "certification_id",
            "corrective_action_id",
        )
        notes = Counter(Notification.objects.values_list("user_id", "title", "body"))
        return set(RedFlag.objects.values_list(*fields)), notes

    clear()
    new_flags = len(app_scan())
    by_app, app_notes = raised()
    clear()
    raw_scan()
    by_raw, raw_notes = raised()
    mismatches = sorted(map(str, by_app ^ by_raw)) + sorted(
        f"notification {key}: app ×{app_notes[key]}, raw ×{raw_notes[key]}"
        for key in set(app_notes) | set(raw_notes)
        if app_notes[key] != raw_notes[key]
    )
    fresh = Row(
        "Red-flag scan, every flag new",
        *measure_pair(app_scan, raw_scan, reps=reps, before=clear),
        note="1 INSERT…SELECT…ON CONFLICT",
        extra={"flags_raised": new_flags, "notifications": sum(app_notes.values())},
    )
    # Diagnostic: the same scan with the escalations' email task not queued (one broker round trip for the
    # whole batch in production), to show how much of the gap to raw SQL is queueing rather than SQL.
    with mock.patch.object(
        communication_tasks.notification_emails_task, "apply_async", lambda *args, **kwargs: None
    ):
        unqueued = Row(
            "  same, email task not queued",
            *measure_pair(app_scan, raw_scan, reps=reps, before=clear),
            note="diagnostic",
        )
    app_scan()  # the flags are there now: the next runs raise nothing
    rescan = Row(
        "Red-flag scan, nothing new",
        *measure_pair(app_scan, raw_scan, reps=reps),
        note="same statement, all conflicts",
    )
    clear()
    checks = {
        "flags_match_raw_sql": not mismatches,
        "flag_mismatches": mismatches[:5],
        "notifications": {"app": sum(app_notes.values()), "raw": sum(raw_notes.values())},
    }
    return [fresh, unqueued, rescan], checks


# --- (3) Pages and API lists -----------------------------------------------------------------------------------


def _pages(*, manager, supplier) -> list[tuple[str, str, str, Callable[[], object]]]:
    """Return (key, name, url, get) for each page measured, `get` requesting it as the manager."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client
    from django.urls import reverse

    # A manager's pages need a second factor (accounts.middleware.MFARequiredMiddleware): give the bench's one.
    if not Authenticator.objects.filter(user=manager, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(manager, generate_totp_secret())
    client = Client()
    client.force_login(manager)
    json_only = {"HTTP_ACCEPT": "application/json"}
    pages = [
        ("portfolio", "Portfolio dashboard", reverse("scorecards:portfolio"), {}),
        ("scorecard", "Supplier scorecard", reverse("scorecards:supplier", args=[supplier.pk]), {}),
        ("api_suppliers", "API list of suppliers", "/api/v1/suppliers/", json_only),
        ("api_deliveries", "API list of deliveries", "/api/v1/deliveries/", json_only),
    ]
    result = []
    for key, name, url, headers in pages:

        def get(url=url, headers=headers):
            response = client.get(url, **headers)
            if response.status_code != 200:
                raise BenchError(f"GET {url} answered {response.status_code}")
            return response

        result.append((key, name, url, get))
    return result


def bench_pages(*, reps: int, manager, supplier) -> list[Row]:
    """Time the portfolio, a scorecard and two API lists through the test client (the whole request)."""

    rows = []
    for key, name, url, get in _pages(manager=manager, supplier=supplier):
        size_kb = round(len(get().content) / 1024)
        rows.append(Row(name, measure(get, reps=reps), note=url, extra={"key": key, "kb": size_kb}))
    return rows


# --- (4) Scorecard PDFs ----------------------------------------------------------------------------------------


def bench_pdf(*, count: int, manager, supplier, today, now) -> tuple[Row, dict]:
    """Time whole scorecard PDFs (context, template, render_pdf) against bare WeasyPrint on the same HTML.

    With templates/pdf/weekly_scorecard.html, the PDF is the manager's weekly scorecard built by scorecards.digest;
    without it, one supplier's scorecard body in the bench's own print template.
    """
    import weasyprint
    from django.template.loader import render_to_string
    from django.utils import timezone, translation

    from core.pdf import base_url

    if (ROOT / "templates" / APP_PDF_TEMPLATE).exists():
        from scorecards import digest

        template, week = APP_PDF_TEMPLATE, digest.current_iso_week(manager, now=now)

        def context():
            return digest.digest_context(manager=manager, iso_week=week, now=now)

        def app_pdf():
            return digest.digest_pdf(context())

        def html_of(ctx):
            with translation.override(manager.language), timezone.override(ctx["timezone_name"]):
                return render_to_string(template, ctx)
    else:
        from core.pdf import render_pdf
        from scorecards.selectors import scorecard_context

        template = BENCH_PDF_TEMPLATE

        def context():
            return scorecard_context(user=manager, supplier=supplier, today=today)

        def app_pdf():
            return render_pdf(template_name=template, context=context())

        def html_of(ctx):
            return render_to_string(template, ctx)

    ctx = context()
    html = html_of(ctx)

    def bare_pdf():
        return weasyprint.HTML(string=html, base_url=base_url()).write_pdf()

    app, bare = measure_pair(app_pdf, bare_pdf, reps=count)
    # Where the app's time goes besides WeasyPrint: building the context, rendering the template.
    context_ms, template_ms = (
        measure(context, reps=count).median_ms,
        measure(lambda: html_of(ctx), reps=count).median_ms,
    )
    row = Row(
        "Scorecard PDF",
        app,
        bare,
        reference_label="bare WeasyPrint",
        note=template,
        extra={
            "app_pdfs_per_second": round(1000 / app.median_ms, 2),
            "weasyprint_pdfs_per_second": round(1000 / bare.median_ms, 2),
            "context_ms": context_ms,
            "template_ms": template_ms,
            "html_kb": round(len(html) / 1024),
            "pdf_kb": round(len(app_pdf()) / 1024),
        },
    )
    # PDFs per second, app ÷ bare: the inverse of the time ratio.
    return row, {"pdf_vs_weasyprint_ratio": round(bare.median_ms / app.median_ms, 2), "template": template}


# --- The other size's query counts, with the same code --------------------------------------------------------


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
    }
    clear()
    manager, supplier = actors()
    for key, _name, _url, get in _pages(manager=manager, supplier=supplier):
        counts[f"page:{key}"] = counted(get, None)[0]
    return counts


def other_size_counts(other: Size, *, today, now) -> dict[str, int] | None:
    """Count the queries on the other size's database with this same code; None when it is not built yet.

    Query counts need no quiet machine, so "constant in the number of suppliers" is judged in one run, on one
    version of the code, however the timings of the two sizes were taken.
    """
    import psycopg
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

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
        return query_counts(today=today, now=now)
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
        results = run(size, reps=reps, pdfs=pdfs, generation=generation)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    print_comparison()
    failed = [name for name, target in results["targets"].items() if target["status"] == "FAIL"]
    print(
        f"\nResults written to {RESULTS_DIR / (size.name + '.json')}"
        + (f"; {len(failed)} target(s) missed" if failed else "")
    )
    return 0


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
    log(f"(2) red-flag scan, {reps} runs each")
    flag_rows, flag_checks = bench_flags(reps=reps, today=today, now=now)
    log(f"(3) pages, {reps} runs each")
    page_rows = bench_pages(reps=reps, manager=manager, supplier=supplier)
    log(f"(4) scorecard PDFs, {pdfs} each way")
    pdf_row, pdf = bench_pdf(count=pdfs, manager=manager, supplier=supplier, today=today, now=now)
    pdf.update(pdf_row.extra)

    named = {
        "kpi_recompute": kpi_rows[0],
        "kpi_compute": kpi_rows[1],
        "red_flag_scan": flag_rows[0],
        "red_flag_scan_unqueued": flag_rows[1],
        "red_flag_rescan": flag_rows[2],
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
        | {f"{key}_raw": row.reference.queries for key, row in named.items()},
        "ms": {key: row.app.median_ms for key, row in named.items()}
        | {f"{key}_raw": row.reference.median_ms for key, row in named.items()},
        "pdf": pdf,
        "ms_pdf": pdf_row.app.median_ms,
        "measurements": [
            asdict(row) | {"ratio": row.ratio} for row in [*kpi_rows, *flag_rows, *page_rows, pdf_row]
        ],
        "checks": kpi_checks | flag_checks,
        "app_fingerprint": app_fingerprint(),
        "environment": {
            "python": platform.python_version(),
            "postgresql": server,
            "machine": platform.machine(),
        },
    }
    other = SIZES["M" if size.name == "S" else "S"]
    log(f"query counts on {other.database}, with the same code")
    mine = {key: row.app.queries for key, row in named.items() if key != "red_flag_scan_unqueued"} | {
        f"page:{row.extra['key']}": row.app.queries for row in page_rows
    }
    theirs = other_size_counts(other, today=today, now=now)
    results["queries_by_size"] = {size.name: mine} | ({other.name: theirs} if theirs else {})
    if theirs:
        results["page_queries_by_size"] = {
            name: {key.removeprefix("page:"): n for key, n in counts.items() if key.startswith("page:")}
            for name, counts in results["queries_by_size"].items()
        }
    results["targets"] = evaluate_targets(results)
    write_json(RESULTS_DIR / f"{size.name}.json", results)
    print_table(size, [*kpi_rows, *flag_rows, *page_rows, pdf_row], results)
    return results


if __name__ == "__main__":
    sys.exit(main())
