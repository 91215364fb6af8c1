"""Build a size's bench database: migrate it, then fill it by COPY with seeded, realistic rows.

    .venv/bin/python bench/generate.py --size S [--regenerate]

Deterministic: one random.Random(seed), and every date counted from the day of generation (midnight UTC).
A second run finds the rows already there and skips the load; data older than MAX_AGE_DAYS is rebuilt so
that the 90-day KPI windows still cover it.
"""

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SIZES, BenchError, Size, connect, setup_django
from bench.rows import Generator
from bench.tables import CATEGORIES, TABLES

GENERATOR_VERSION = 1
DEFAULT_SEED = 20_260_101
MAX_AGE_DAYS = 7
SNAPSHOT_WEEKS = 12

# Tables a fresh `migrate` fills itself and a reload keeps.
KEEP = {"django_migrations", "django_content_type", "auth_permission", "bench_meta"}


def log(message: str) -> None:
    print(f"[generate] {message}", flush=True)


# --- Loading ---------------------------------------------------------------------------------------------------


def migrations_fingerprint() -> str:
    """Return a hash of every app's migration files: an edited migration needs a database built afresh."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def schema_changed(size: Size) -> bool:
    """Return whether the size's database exists but was built from other migration files than today's.

    `migrate` does not notice a migration edited in place, so such a database is dropped and built again.
    """
    import psycopg

    try:
        with connect(size.database) as conn:
            table = conn.execute("SELECT to_regclass('bench_meta')").fetchone()[0]
            row = (
                conn.execute("SELECT meta FROM bench_meta WHERE size = %s", [size.name]).fetchone()
                if table
                else None
            )
    except psycopg.OperationalError:
        return False  # not built yet, or no server: ensure_database says which, plainly
    if row is None:
        return table is not None or _has_tables(size)
    return row[0].get("migrations") != migrations_fingerprint()


def rebuild_needed(size: Size, regenerate: bool) -> bool:
    """Return whether to drop the size's database and build it again, saying why."""
    if not regenerate and schema_changed(size):
        log(f"the app's migrations changed since {size.database} was built: rebuilding it")
        return True
    return regenerate


def _has_tables(size: Size) -> bool:
    with connect(size.database) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] > 0


# The empty value of a NOT NULL column the generator does not know (added by a later migration, no DB default).
EMPTY_BY_TYPE = {
    "character varying": "",
    "text": "",
    "boolean": False,
    "integer": 0,
    "smallint": 0,
    "bigint": 0,
    "numeric": 0,
    "jsonb": "{}",
}


def _unlisted_required(cursor, table: str, columns: list[str]) -> list[tuple[str, object]]:
    """Return (column, empty value) for each NOT NULL column without a default that the generator leaves out.

    A migration that adds `models.CharField(blank=True)` (Django keeps the default in Python, not in the table)
    would otherwise make COPY fail: such a column gets the empty value a form would save.
    """
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    missing = []
    for name, data_type in cursor.fetchall():
        if name in columns:
            continue
        if data_type not in EMPTY_BY_TYPE:
            raise RuntimeError(
                f"{table}.{name} ({data_type}) is required and bench/tables.py does not fill it"
            )
        missing.append((name, EMPTY_BY_TYPE[data_type]))
    return missing


def _copy(cursor, table: str, rows: Iterable[tuple]) -> int:
    columns = TABLES[table].split()
    extra = _unlisted_required(cursor, table, columns)
    tail = tuple(value for _name, value in extra)
    count = 0
    with cursor.copy(
        f"COPY {table} ({', '.join(columns + [name for name, _value in extra])}) FROM STDIN"
    ) as copy:
        for row in rows:
            copy.write_row(tuple(row) + tail)
            count += 1
    return count


def expected_counts(size: Size) -> dict[str, int]:
    return {
        "suppliers_supplier": size.suppliers,
        "orders_delivery": size.deliveries,
        "audits_qcinspection": size.inspections,
        "communications_supplierissue": size.issues,
        "payments_invoice": size.invoices,
    }


def _current(cursor, size: Size, seed: int, today: date) -> bool:
    """Return whether the database already holds this size's rows, from this seed, recent enough."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (size text PRIMARY KEY, meta jsonb NOT NULL)")
    cursor.execute("SELECT meta FROM bench_meta WHERE size = %s", [size.name])
    row = cursor.fetchone()
    if row is None:
        return False
    meta = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    if (
        meta.get("seed") != seed
        or meta.get("version") != GENERATOR_VERSION
        or meta.get("migrations") != migrations_fingerprint()
    ):
        return False
    if (today - date.fromisoformat(meta["generated_on"])).days > MAX_AGE_DAYS:
        log(f"data generated on {meta['generated_on']} is older than {MAX_AGE_DAYS} days: rebuilding")
        return False
    for table, count in expected_counts(size).items():
        cursor.execute(f"SELECT count(*) FROM {table}")
        if cursor.fetchone()[0] != count:
            return False
    return True


def ensure(size: Size, *, seed: int = DEFAULT_SEED, regenerate: bool = False) -> dict:
    """Migrate the size's database and fill it unless it is already current; return what it holds.

    Django must already be set up on the size's database (bench.common.setup_django).
    """
    from django.core.management import call_command
    from django.db import connection, transaction

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    log(f"migrated {size.database} in {time.perf_counter() - started:.1f} s")
    today = datetime.now(UTC).date()
    with connection.cursor() as cursor:
        if not regenerate and _current(cursor, size, seed, today):
            log(f"{size.database} already holds size {size.name} (seed {seed}): generation skipped")
            return {"generated": False, "seconds": 0.0}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor, for COPY
        cursor.execute("SET LOCAL synchronous_commit TO off")
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall() if name not in KEEP]
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        gen = Generator(size, seed, today)
        counts = {"accounts_user": _copy(cursor, "accounts_user", gen.users())}
        counts["suppliers_supplier"] = _copy(cursor, "suppliers_supplier", gen.supplier_rows())
        counts["accounts_user"] += _copy(cursor, "accounts_user", gen.portal_users())
        counts["suppliers_productcategory"] = _copy(
            cursor, "suppliers_productcategory", enumerate(CATEGORIES, 1)
        )
        counts["suppliers_supplier_categories"] = _copy(
            cursor, "suppliers_supplier_categories", gen.category_links()
        )
        counts["suppliers_certification"] = _copy(cursor, "suppliers_certification", gen.certifications())
        orders, lines, deliveries, for_invoices = gen.orders_lines_deliveries()
        log(f"{len(deliveries):,} deliveries built in {time.perf_counter() - started:.1f} s; copying")
        counts["orders_purchaseorder"] = _copy(cursor, "orders_purchaseorder", orders)
        counts["orders_orderline"] = _copy(cursor, "orders_orderline", lines)
        counts["orders_delivery"] = _copy(cursor, "orders_delivery", deliveries)
        del orders, lines, deliveries
        counts["audits_qcinspection"] = _copy(cursor, "audits_qcinspection", gen.inspections())
        counts["communications_supplierissue"] = _copy(cursor, "communications_supplierissue", gen.issues())
        counts["payments_invoice"] = _copy(cursor, "payments_invoice", gen.invoices(for_invoices))
        schedules, checkins = gen.checkins()
        counts["communications_checkinschedule"] = _copy(cursor, "communications_checkinschedule", schedules)
        counts["communications_checkin"] = _copy(cursor, "communications_checkin", checkins)
        counts["audits_correctiveaction"] = _copy(cursor, "audits_correctiveaction", gen.corrective_actions())
        for table in TABLES:  # ids were given explicitly: the next insert continues after them
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
        log(f"rows copied in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    snapshots = _snapshots(today)
    counts["scorecards_kpisnapshot"] = snapshots
    counts["scorecards_currentkpi"] = _current_kpis(today)
    seconds = round(time.perf_counter() - started, 1)
    meta = {
        "seed": seed,
        "version": GENERATOR_VERSION,
        "generated_on": today.isoformat(),
        "counts": counts,
        "seconds": seconds,
        "migrations": migrations_fingerprint(),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_meta (size, meta) VALUES (%s, %s) ON CONFLICT (size) DO UPDATE "
            "SET meta = EXCLUDED.meta",
            [size.name, json.dumps(meta)],
        )
        cursor.execute("ANALYZE scorecards_kpisnapshot")
        cursor.execute("ANALYZE scorecards_currentkpi")
    log(f"size {size.name} generated in {seconds} s: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    return {"generated": True, "seconds": seconds}


def _snapshots(today: date) -> int:
    """Write the last weeks' KPI snapshots through the app's own service (the trend charts and the
    three-misses rule read them)."""
    from scorecards import services

    this_week = services.week_start_of(today)
    started, rows = time.perf_counter(), 0
    for n in range(SNAPSHOT_WEEKS, 0, -1):
        rows += services.snapshots_write(week_start=this_week - timedelta(weeks=n))
    log(f"{rows:,} snapshot rows for {SNAPSHOT_WEEKS} weeks in {time.perf_counter() - started:.1f} s")
    return rows


def _current_kpis(today: date) -> int:
    """Store every active supplier's KPI rows through the app's own service, as the nightly pass leaves them."""
    from django.utils import timezone

    from scorecards import services

    started = time.perf_counter()
    rows = services.current_kpis_refresh(today=today, now=timezone.now(), every_window=True)
    log(f"{rows:,} current KPI rows in {time.perf_counter() - started:.1f} s")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--regenerate", action="store_true", help="rebuild even when the rows are current")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    try:
        setup_django(size, fresh=rebuild_needed(size, args.regenerate))
        ensure(size, seed=args.seed, regenerate=args.regenerate)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
