"""What the generator and the runner share: the sizes, the bench database of each, and Django set up on it."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
# The bench creates, truncates and fills databases: it never talks to anything but this machine.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Size:
    """How many rows of each kind a benchmark size holds."""

    name: str
    suppliers: int
    deliveries: int  # two per order, so orders = deliveries / 2
    inspections: int
    issues: int
    invoices: int  # at most one per order

    @property
    def orders(self) -> int:
        return self.deliveries // 2

    @property
    def database(self) -> str:
        # BENCH_DATABASE_PREFIX lets two checkouts on one server keep apart (default forgeline_bench).
        prefix = os.environ.get("BENCH_DATABASE_PREFIX") or "forgeline_bench"
        return f"{prefix}_{self.name.lower()}"


SIZES = {
    "S": Size("S", suppliers=200, deliveries=100_000, inspections=20_000, issues=20_000, invoices=50_000),
    "M": Size(
        "M", suppliers=2_000, deliveries=1_000_000, inspections=200_000, issues=200_000, invoices=500_000
    ),
}


# What is not the app: its figures do not change when these do.
NOT_APP = {".venv", "bench", "tests", "var", "build", "static", "node_modules", ".git", "forgeline.egg-info"}


def app_fingerprint() -> str:
    """Return a hash of the app's code and templates, so that figures from two versions are not compared."""
    import hashlib

    digest = hashlib.sha256()
    for folder in sorted(p for p in ROOT.iterdir() if p.is_dir() and p.name not in NOT_APP):
        for path in sorted([*folder.rglob("*.py"), *folder.rglob("*.html"), *folder.rglob("*.txt")]):
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


class BenchError(RuntimeError):
    """A condition the bench cannot run under (no PostgreSQL, a remote server), said plainly."""


def server_url() -> str:
    """Return the PostgreSQL server to use (DATABASE_URL without its database), refusing remote hosts."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_SERVER
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        url, parts = DEFAULT_SERVER, urlsplit(DEFAULT_SERVER)
    if parts.hostname not in LOCAL_HOSTS:
        raise BenchError(
            f"The bench only runs against a local PostgreSQL (127.0.0.1), not {parts.hostname!r}."
        )
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def database_url(size: Size) -> str:
    """Return the URL of a size's own database on the local server."""
    return f"{server_url()}/{size.database}"


def connect(dbname: str):
    """Return a psycopg connection (autocommit) to one database of the local server."""
    import psycopg

    parts = urlsplit(server_url())
    return psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=dbname,
        connect_timeout=5,
        autocommit=True,
    )


def ensure_database(size: Size, *, fresh: bool = False) -> None:
    """Create the size's database when missing (dropped first when `fresh`); explain clearly when PostgreSQL
    cannot be reached."""
    import psycopg

    parts = urlsplit(server_url())
    try:
        with connect("postgres") as conn:
            if fresh:
                conn.execute(f'DROP DATABASE IF EXISTS "{size.database}" WITH (FORCE)')
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [size.database]).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{size.database}"')
    except psycopg.OperationalError as exc:
        raise BenchError(
            f"The benchmark needs PostgreSQL at {parts.hostname}:{parts.port or 5432} (user "
            f"{parts.username or 'postgres'}); it could not connect: {str(exc).strip().splitlines()[0]}\n"
            "Start PostgreSQL, or set DATABASE_URL=postgres://USER@127.0.0.1:PORT, then run make bench again."
        ) from exc


def setup_django(size: Size, *, fresh: bool = False) -> None:
    """Point Django at the size's bench database (created if missing, rebuilt empty when `fresh`) and set it up."""
    ensure_database(size, fresh=fresh)
    os.environ["DATABASE_URL"] = database_url(size)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def vacuum_dead_rows(*, minimum: int = 1000) -> dict:
    """VACUUM (ANALYZE) every table holding at least `minimum` dead rows, as autovacuum does on a normal server.

    The bench's own writes (every scan's flags and notifications deleted and raised again, the stored KPI rows
    refreshed for every window) leave hundreds of thousands of dead rows behind, and a server with autovacuum off
    (this project's sandbox has it off) would then time pages that read through them: at M the portfolio's open-flag
    subquery visited 100k heap blocks of a table with no live row. Run before the pages and the load test are timed;
    returns {"autovacuum": on|off, "vacuumed": {table: dead rows}}.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        (autovacuum,) = cursor.fetchone()
        cursor.execute(
            "SELECT relname, n_dead_tup FROM pg_stat_user_tables WHERE n_dead_tup >= %s ORDER BY relname",
            [minimum],
        )
        dead = dict(cursor.fetchall())
        for table in dead:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    return {"autovacuum": autovacuum, "vacuumed": dead}
