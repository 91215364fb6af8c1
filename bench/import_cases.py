"""(5) Spreadsheet imports: the size's supplier list and 10,000 open order lines, through the import's preview
(a dry run of every row) and the import itself, each row through the same services as a row typed in.

Everything runs inside one transaction that is rolled back at the end, so the bench database is left as it was
(the import's own all-or-nothing transaction becomes a savepoint inside it). Each step records its seconds, its
queries and the process's peak resident memory (sampled every 20 ms; with the growth over the step's start).
"""

import csv
import io
import os
import threading
import time
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

ORDER_LINES = 10_000
LINES_PER_ORDER = 4
TARGET_SECONDS = 60.0


class _Rollback(Exception):
    pass


def _csv(kind: str, rows: list[dict]) -> SimpleUploadedFile:
    from imports.resources import RESOURCES

    header = RESOURCES[kind].column_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    # As the downloadable template: UTF-8 with a BOM (imports.selectors.import_template).
    return SimpleUploadedFile(f"bench-{kind}.csv", ("\ufeff" + buffer.getvalue()).encode())


def supplier_rows(suppliers) -> list[dict]:
    """Return the size's supplier list as an import file would hold it (new names and numbers: all created)."""
    return [
        {
            "name": f"Imported {supplier.name}",
            "country": supplier.country.code,
            "registration_number": f"BENCH-{supplier.pk:06d}",
            "city": supplier.city,
            "segment": supplier.segment,
        }
        for supplier in suppliers
    ]


def order_rows(suppliers, *, today) -> list[dict]:
    """Return ORDER_LINES open order lines (LINES_PER_ORDER per PO, two required dates each) over the suppliers."""
    rows = []
    for index in range(ORDER_LINES // LINES_PER_ORDER):
        supplier = suppliers[index % len(suppliers)]
        ordered_on = today - timedelta(days=10 + index % 20)
        for line in range(LINES_PER_ORDER):
            rows.append(
                {
                    "po_number": f"BENCH-IMP-{index:06d}",
                    "supplier": supplier.name,
                    "ordered_on": ordered_on.isoformat(),
                    "status": "sent",
                    "sku": f"SKU-{line}",
                    "description": f"Bench item {line}",
                    "quantity": str(100 + line),
                    "unit_price": "1.2500",
                    "required_on": (today + timedelta(days=30 + 14 * (line % 2) + index % 30)).isoformat(),
                }
            )
    return rows


def _rss_bytes() -> int:
    """Return the process's resident memory now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _PeakMemory:
    """Sample the resident memory every 20 ms while a step runs; keep the highest."""

    def __enter__(self):
        self.start = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_bytes())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)

    @property
    def growth_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def _server_cpu_seconds() -> float:
    """Return the CPU seconds this connection's PostgreSQL backend has used (the server is local; 0 if unknown)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (OSError, ValueError, IndexError):
        return 0.0


def _timed(fn):
    """Return what fn returns, its seconds, its number of queries (counted, not logged: there are 100k+), the
    peak memory while it ran and the CPU seconds it took here and in PostgreSQL. On a shared machine the CPU
    seconds say what the step costs; the wall-clock seconds add the wait for a core."""
    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    server_before = _server_cpu_seconds()
    with connection.execute_wrapper(counter), _PeakMemory() as memory:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = fn()
        seconds = time.perf_counter() - started
        memory.cpu_s = time.process_time() - cpu_started
    memory.server_cpu_s = _server_cpu_seconds() - server_before
    return result, seconds, count[0], memory


def _import(kind: str, rows: list[dict], by) -> dict:
    """Upload, preview and import one file; return the rows, seconds and queries of each step."""
    from imports import services

    upload = _csv(kind, rows)
    job, upload_s, upload_q, _memory = _timed(
        lambda: services.import_job_create(by=by, kind=kind, upload=upload)
    )
    job, preview_s, preview_q, preview_memory = _timed(lambda: services.import_job_preview(job_id=job.pk))
    assert job.error_count == 0, (
        f"{kind}: {job.error_count} bad rows in the bench file: {list(job.rows.filter(action='error')[:3].values_list('errors', flat=True))}"
    )
    services.import_job_confirm(job=job, by=by)
    job, run_s, run_q, run_memory = _timed(lambda: services.import_job_run(job_id=job.pk))
    assert job.status == "done" and job.created_count == len(rows), (job.status, job.message)
    return {
        "rows": len(rows),
        "file_kb": round(upload.size / 1024, 1),
        "upload_s": round(upload_s, 2),
        "preview_s": round(preview_s, 2),
        "import_s": round(run_s, 2),
        "import_rows_per_s": round(len(rows) / run_s, 1),
        "preview_rows_per_s": round(len(rows) / preview_s, 1),
        "queries_per_row_import": round(run_q / len(rows), 1),
        "queries_per_row_preview": round(preview_q / len(rows), 1),
        "upload_queries": upload_q,
        "import_cpu_s": round(run_memory.cpu_s, 2),
        "import_postgres_cpu_s": round(run_memory.server_cpu_s, 2),
        "preview_cpu_s": round(preview_memory.cpu_s, 2),
        "preview_postgres_cpu_s": round(preview_memory.server_cpu_s, 2),
        "peak_rss_mb_preview": preview_memory.peak_mb,
        "peak_rss_mb_import": run_memory.peak_mb,
        "rss_growth_mb_import": run_memory.growth_mb,
    }


def bench_imports(*, today) -> dict:
    """Import the size's supplier list and 10,000 order lines, then roll everything back."""
    from accounts.models import User
    from accounts.roles import Role
    from suppliers.models import Stage, Supplier

    admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    # The machine may be shared: the load average before and after says how quiet it was.
    results = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    try:
        with transaction.atomic():
            suppliers = list(Supplier.objects.order_by("pk"))
            results["suppliers"] = _import("suppliers", supplier_rows(suppliers), admin)
            approved = list(
                Supplier.objects.filter(stage__in=[Stage.APPROVED, Stage.STRATEGIC]).order_by("pk")
            )
            results["orders"] = _import("orders", order_rows(approved, today=today), admin)
            raise _Rollback
    except _Rollback:
        pass
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["cpus"] = os.cpu_count()
    orders = results["orders"]
    results["target"] = {
        "status": "PASS" if orders["import_s"] < TARGET_SECONDS else "FAIL",
        "detail": f"{orders['rows']:,} order lines imported in {orders['import_s']} s "
        f"({orders['import_rows_per_s']} rows/s; CPU {orders['import_cpu_s']} s + PostgreSQL "
        f"{orders['import_postgres_cpu_s']} s; preview {orders['preview_s']} s; "
        f"load average {results['load_average_before'][0]} on {results['cpus']} CPUs)",
    }
    return results


def print_imports(results: dict) -> None:
    print("\nSpreadsheet imports (each row through the services; rolled back afterwards):")
    print(
        f"{'file':<12} {'rows':>7} {'upload s':>9} {'preview s':>10} {'import s':>9} {'rows/s':>8} {'q/row':>6} "
        f"{'peak MB':>8} {'CPU s':>6} {'PG CPU s':>9}"
    )
    for kind in ("suppliers", "orders"):
        r = results[kind]
        print(
            f"{kind:<12} {r['rows']:>7,} {r['upload_s']:>9} {r['preview_s']:>10} {r['import_s']:>9} "
            f"{r['import_rows_per_s']:>8} {r['queries_per_row_import']:>6} {r['peak_rss_mb_import']:>8} "
            f"{r['import_cpu_s']:>6} {r['import_postgres_cpu_s']:>9}"
        )
    before, after = results["load_average_before"], results["load_average_after"]
    print(f"load average {before[0]} before, {after[0]} after ({results['cpus']} CPUs)")
