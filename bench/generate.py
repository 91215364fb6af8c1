"""Build a size's bench database: migrate it, then fill it by COPY with seeded, realistic rows.

    .venv/bin/python bench/generate.py --size S [--regenerate]

Deterministic: one random.Random(seed), and every date counted from the day of generation (midnight UTC).
A second run finds the rows already there and skips the load; data older than MAX_AGE_DAYS is rebuilt so
that the 90-day KPI windows still cover it.
"""

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SIZES, BenchError, Size, connect, setup_django

GENERATOR_VERSION = 1
DEFAULT_SEED = 20_260_101
MAX_AGE_DAYS = 7
HISTORY_DAYS = 125  # deliveries, inspections and issues spread over the last ~120 days
SNAPSHOT_WEEKS = 12

COUNTRIES = [("CN", "Asia/Shanghai"), ("VN", "Asia/Ho_Chi_Minh"), ("IN", "Asia/Kolkata"), ("TR", "Europe/Istanbul"),
             ("BD", "Asia/Dhaka"), ("MX", "America/Mexico_City"), ("PT", "Europe/Lisbon"), ("TH", "Asia/Bangkok")]
CATEGORIES = ["Apparel", "Electronics", "Furniture", "Packaging", "Plastics", "Metal parts", "Textiles", "Toys"]
# (share, stage); suppliers in the first six stages trade with us (orders, deliveries, invoices).
STAGES = [(0.55, "approved"), (0.10, "strategic"), (0.08, "pilot"), (0.04, "on_hold"), (0.03, "suspended"),
          (0.02, "offboarded"), (0.12, "vetting"), (0.06, "prospect")]
TRADING = {"approved", "strategic", "pilot", "on_hold", "suspended", "offboarded"}
# ISO 2859-1 general level II, single sampling: (largest lot, code letter, sample, major Ac at AQL 2.5,
# minor Ac at AQL 4.0); Re is Ac + 1.
SAMPLING = [(150, "F", 20, 1, 2), (280, "G", 32, 2, 3), (500, "H", 50, 3, 5), (1200, "J", 80, 5, 7),
            (3200, "K", 125, 7, 10), (10000, "L", 200, 10, 14)]
STAFF = [("admin", 1), ("manager", 2), ("procurement", 12), ("quality", 6)]
TABLES = {  # what the generator fills, with its columns, in load order
    "accounts_user": "id password is_superuser email full_name role timezone language is_active is_staff "
                     "date_joined supplier_id",
    "suppliers_supplier": "id name legal_name registration_number country city address timezone website segment "
                          "stage stage_changed_at notes created_at updated_at owner_id project_manager_id qc_lead_id",
    "suppliers_productcategory": "id name",
    "suppliers_supplier_categories": "id supplier_id productcategory_id",
    "suppliers_certification": "id standard standard_other number issuer scope valid_from valid_until document "
                               "status submitted_at verified_at review_note supplier_id verified_by_id",
    "orders_purchaseorder": "id number ordered_on currency incoterm status pilot sent_at acknowledged_at notes "
                            "created_at buyer_id supplier_id",
    "orders_orderline": "id sku description quantity unit unit_price required_on order_id",
    "orders_delivery": "id sequence promised_on original_promised_on quantity_planned shipped_on tracking_reference "
                       "quantity_shipped received_on quantity_received status received_by_id supplier_id order_id",
    "audits_qcinspection": "id checkpoint inspected_on lot_number lot_size level aql_major aql_minor code_letter "
                           "sample_size major_accept major_reject minor_accept minor_reject critical_defects "
                           "major_defects minor_defects defective_units computed_result result override_reason "
                           "notes report shared_with_supplier created_at delivery_id inspector_id order_id "
                           "supplier_id",
    "communications_supplierissue": "id raised_by_side category severity subject description raised_at status "
                                    "first_response_at resolved_at resolution_note owner_id raised_by_id "
                                    "resolved_by_id supplier_id",
    "payments_invoice": "id number invoice_date received_on currency amount payment_terms_days terms_source due_on "
                        "status paid_on document notes submitted_at decided_at rejection_reason decided_by_id "
                        "order_id submitted_by_id supplier_id",
    "communications_checkinschedule": "id cadence weekday local_time channel starts_on is_active created_by_id "
                                      "supplier_id",
    "communications_checkin": "id original_date date scheduled_at moved_reason status held_at attendees notes "
                              "shared_with_supplier recorded_by_id supplier_id schedule_id",
    "audits_correctiveaction": "id title problem due_on raised_at supplier_owner containment root_cause "
                               "corrective_action preventive_action status verification_note raised_by_id "
                               "supplier_id",
}
# Tables a fresh `migrate` fills itself and a reload keeps.
KEEP = {"django_migrations", "django_content_type", "auth_permission", "bench_meta"}


def log(message: str) -> None:
    print(f"[generate] {message}", flush=True)


# --- Rows ------------------------------------------------------------------------------------------------------


class Generator:
    """Produce a size's rows from one seeded random stream; each method yields the rows of one table."""

    def __init__(self, size: Size, seed: int, today: date):
        self.size, self.rng, self.today = size, random.Random(seed), today
        self.now = datetime(today.year, today.month, today.day, tzinfo=UTC)  # midnight: nothing in the future
        self.staff: dict[str, list[int]] = {}
        user_id = 0
        for role, count in STAFF:
            self.staff[role] = list(range(user_id + 1, user_id + count + 1))
            user_id += count
        self.first_portal_user = user_id + 1
        self.suppliers: list[dict] = []
        self.deliveries_received: list[tuple] = []  # (delivery, order, supplier, received_on, shipped_on, qty)

    def day(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def poisson(self, mean: float) -> int:
        # Knuth's method: the means here are small (defects in a sample).
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def users(self) -> Iterator[tuple]:
        for role, ids in self.staff.items():
            for n, pk in enumerate(ids, 1):
                yield (pk, "!bench", role == "admin", f"{role}{n}@bench.example", f"Bench {role.title()} {n}", role,
                       "UTC", "en", True, role == "admin", self.now, None)

    def portal_users(self) -> Iterator[tuple]:
        for s in self.suppliers:
            yield (s["portal_user"], "!bench", False, f"factory{s['id']}@bench.example", f"Factory {s['id']}",
                   "supplier", s["timezone"], "en", True, False, self.now, s["id"])

    def supplier_rows(self) -> Iterator[tuple]:
        rng = self.rng
        for pk in range(1, self.size.suppliers + 1):
            roll, stage = rng.random(), STAGES[-1][1]
            for share, name in STAGES:
                if roll < share:
                    stage = name
                    break
                roll -= share
            country, tz = rng.choice(COUNTRIES)
            supplier = {
                "id": pk, "stage": stage, "timezone": tz, "owner": rng.choice(self.staff["procurement"]),
                "qc": rng.choice(self.staff["quality"]), "portal_user": self.first_portal_user + pk - 1,
                # Each supplier's habits: order volume (a few big ones), punctuality, defects, replies.
                "volume": min(rng.paretovariate(1.3), 40.0), "on_time": min(0.995, rng.betavariate(14, 1.3)),
                "defects": min(0.06, rng.lognormvariate(math.log(0.007), 0.8)),
                "reply_hours": rng.lognormvariate(math.log(8), 0.5), "we_pay_on_time": rng.uniform(0.8, 0.98),
            }
            self.suppliers.append(supplier)
            yield (pk, f"Bench Supplier {pk:05d}", f"Bench Supplier {pk:05d} Co., Ltd.", "", country, "", "", tz,
                   "", rng.choice(["strategic", "leverage", "bottleneck", "routine"]), stage,
                   self.now - timedelta(days=rng.randint(30, 700)), "", self.now, self.now, supplier["owner"],
                   rng.choice(self.staff["procurement"]), supplier["qc"])

    def category_links(self) -> Iterator[tuple]:
        pk = 0
        for s in self.suppliers:
            for category in self.rng.sample(range(1, len(CATEGORIES) + 1), self.rng.choice([1, 1, 2])):
                pk += 1
                yield (pk, s["id"], category)

    def certifications(self) -> Iterator[tuple]:
        pk = 0
        for s in self.suppliers:
            if s["stage"] == "prospect":
                continue
            pk += 1
            until = self.day(self.rng.randint(-40, 900))
            verified = self.rng.random() < 0.9
            yield (pk, self.rng.choice(["iso_9001", "bsci", "iso_14001", "wrap"]), "", f"C-{pk:06d}",
                   "Bench Certification Body", "", until - timedelta(days=3 * 365), until, "",
                   "verified" if verified else "pending", self.now - timedelta(days=400),
                   self.now - timedelta(days=390) if verified else None, "", s["id"],
                   self.staff["quality"][0] if verified else None)

    def orders_lines_deliveries(self) -> tuple[list, list, list, list]:
        """Return orders, lines, deliveries and what the invoices need of each order, in one pass."""
        rng = self.rng
        trading = [s for s in self.suppliers if s["stage"] in TRADING]
        picks = rng.choices(trading, weights=[s["volume"] for s in trading], k=self.size.orders)
        orders, lines, deliveries, for_invoices = [], [], [], []
        for pk, s in enumerate(picks, 1):
            first = self.day(rng.randint(-HISTORY_DAYS, 10))
            ordered_on = first - timedelta(days=rng.randint(25, 60))
            quantity = rng.randint(100, 5000)
            price = Decimal(rng.randint(50, 5000)) / 100
            states = []
            for sequence, (promised, planned) in enumerate(
                ((first, quantity // 2), (first + timedelta(days=rng.randint(7, 21)), quantity - quantity // 2)), 1
            ):
                delivery_id = 2 * pk - 2 + sequence
                row, state = self.delivery(delivery_id, pk, s, sequence, promised, planned)
                deliveries.append(row)
                states.append(state)
            status = ("received" if states == ["received", "received"] else "shipped" if "shipped" in states
                      or "received" in states else rng.choice(["acknowledged", "in_production"]))
            sent_at = datetime(ordered_on.year, ordered_on.month, ordered_on.day, 9, tzinfo=UTC)
            orders.append((pk, f"PO-{pk:07d}", ordered_on, "USD", "FOB", status, False, sent_at,
                           sent_at + timedelta(days=1), "", sent_at, s["owner"], s["id"]))
            lines.append((pk, f"SKU-{rng.randint(1000, 9999)}", "Bench item", quantity, "pcs", price, first, pk))
            for_invoices.append((pk, s, ordered_on, (quantity * price).quantize(Decimal("0.01"))))
        return orders, lines, deliveries, for_invoices

    def delivery(self, pk: int, order: int, s: dict, sequence: int, promised: date, planned: int):
        rng, today = self.rng, self.today
        original = promised if rng.random() > 0.1 else promised - timedelta(days=rng.randint(3, 14))
        shipped_on = received_on = quantity_received = received_by = None
        if rng.random() < 0.02:
            status = "cancelled"
        elif promised > today:
            status = "shipped" if (promised - today).days < 15 and rng.random() < 0.6 else "planned"
            if status == "shipped":
                shipped_on = today - timedelta(days=rng.randint(0, 10))
        else:
            if rng.random() < s["on_time"]:
                arrival = promised - timedelta(days=rng.randint(0, 5))
            else:
                arrival = promised + timedelta(days=max(1, round(rng.lognormvariate(math.log(5), 0.8))))
            shipped_on = arrival - timedelta(days=rng.randint(10, 30))
            if arrival > today or rng.random() < 0.02:
                status = "shipped"  # overdue and still at sea: counts as late
            else:
                status, received_on, received_by = "received", arrival, s["qc"]
                quantity_received = planned if rng.random() > 0.05 else max(1, planned - rng.randint(1, 20))
                self.deliveries_received.append((pk, order, s, received_on, shipped_on, quantity_received))
        row = (pk, sequence, promised, original, planned, shipped_on, f"TRK{pk:08d}" if shipped_on else "",
               planned if shipped_on else None, received_on, quantity_received, status, received_by, s["id"], order)
        return row, status

    def inspections(self) -> Iterator[tuple]:
        rng, received = self.rng, self.deliveries_received
        for pk in range(1, self.size.inspections + 1):
            delivery, order, s, received_on, shipped_on, lot = received[rng.randrange(len(received))]
            if rng.random() < 0.7:
                checkpoint, inspected_on = "incoming", received_on
            else:
                checkpoint, inspected_on = "pre_shipment", shipped_on - timedelta(days=rng.randint(1, 3))
            lot = max(lot, 2)
            letter, sample, major_ac, minor_ac = next(
                (letter, n, major, minor) for limit, letter, n, major, minor in SAMPLING if lot <= limit
            ) if lot <= SAMPLING[-1][0] else SAMPLING[-1][1:]
            sample = min(sample, lot)
            defective = min(sample, self.poisson(sample * s["defects"]))
            minor = self.poisson(sample * s["defects"] * 0.5)
            result = "accept" if defective <= major_ac and minor <= minor_ac else "reject"
            yield (pk, checkpoint, inspected_on, f"L{pk:07d}", lot, "II", Decimal("2.5"), Decimal("4.0"), letter,
                   sample, major_ac, major_ac + 1, minor_ac, minor_ac + 1, 0, defective, minor, defective, result,
                   result, "", "", "", True, self.now, delivery, s["qc"], order, s["id"])

    def issues(self) -> Iterator[tuple]:
        rng, now = self.rng, self.now
        trading = [s for s in self.suppliers if s["stage"] in TRADING]
        picks = rng.choices(trading, weights=[s["volume"] for s in trading], k=self.size.issues)
        for pk, s in enumerate(picks, 1):
            raised_at = now - timedelta(seconds=rng.uniform(0, (HISTORY_DAYS - 5) * 86400))
            by_buyer = rng.random() < 0.7
            # Recent issues are often still waiting; old ones rarely are.
            waiting = rng.random() < (0.15 if now - raised_at < timedelta(days=7) else 0.004)
            first_response = resolved_at = resolved_by = None
            if not waiting:
                median = s["reply_hours"] if by_buyer else 6.0
                first_response = raised_at + timedelta(hours=rng.lognormvariate(math.log(median), 0.9))
                if first_response > now:
                    first_response = None
            if first_response is None:
                status = "open"
            elif rng.random() < 0.55 and first_response + timedelta(days=10) < now:
                status, resolved_at, resolved_by = "resolved", first_response + timedelta(days=rng.randint(1, 10)), \
                    s["owner"]
            else:
                status = "answered"
            yield (pk, "buyer" if by_buyer else "supplier",
                   rng.choice(["quality", "delivery", "documentation", "commercial", "communication"]),
                   rng.choice(["low", "medium", "medium", "high", "critical"]), f"Bench issue {pk}",
                   "Generated by the benchmark.", raised_at, status, first_response, resolved_at, "", s["owner"],
                   s["owner"] if by_buyer else s["portal_user"], resolved_by, s["id"])

    def invoices(self, for_invoices: list) -> Iterator[tuple]:
        rng, today = self.rng, self.today
        for pk, (order, s, ordered_on, amount) in enumerate(for_invoices[: self.size.invoices], 1):
            invoice_date = min(ordered_on + timedelta(days=rng.randint(20, 45)), today)
            received_on = min(invoice_date + timedelta(days=rng.randint(0, 3)), today)
            terms = rng.choice([30, 30, 45, 60])
            due_on = invoice_date + timedelta(days=terms)
            paid_on = decided_at = decided_by = None
            reason = ""
            roll = rng.random()
            if roll < 0.02:
                status, reason = "rejected", "Price does not match the order."
            elif due_on <= today:
                if roll < s["we_pay_on_time"]:
                    status, paid_on = "paid", max(invoice_date, due_on - timedelta(days=rng.randint(0, 10)))
                elif roll < 0.97:
                    paid_on = due_on + timedelta(days=rng.randint(1, 25))
                    status, paid_on = ("paid", paid_on) if paid_on <= today else ("approved", None)
                else:
                    status = rng.choice(["approved", "disputed", "partially_paid"])
            elif roll < 0.17:
                status, paid_on = "paid", invoice_date + timedelta(days=rng.randint(0, (today - invoice_date).days))
            else:
                status = "approved" if roll < 0.7 else "submitted"
            submitted_at = datetime(received_on.year, received_on.month, received_on.day, 10, tzinfo=UTC)
            if status != "submitted":
                decided_at, decided_by = submitted_at + timedelta(hours=20), s["owner"]
            yield (pk, f"INV-{pk:07d}", invoice_date, received_on, "USD", amount, terms, "", due_on, status, paid_on,
                   "", "", submitted_at, decided_at, reason, decided_by, order, s["portal_user"], s["id"])

    def checkins(self) -> tuple[list, list]:
        """Return check-in schedules for a quarter of the active suppliers, each with its last held check-in."""
        rng, schedules, checkins = self.rng, [], []
        gaps = {"weekly": 10, "biweekly": 17, "monthly": 38}
        for s in self.suppliers:
            if s["stage"] not in TRADING - {"suspended", "offboarded"} or rng.random() > 0.25:
                continue
            pk = len(schedules) + 1
            cadence = rng.choice(["weekly", "weekly", "biweekly", "monthly"])
            schedules.append((pk, cadence, rng.randint(0, 4), "09:00", "video", self.day(-200), True, s["owner"],
                              s["id"]))
            held_at = self.now - timedelta(days=rng.uniform(0.5, gaps[cadence] * 1.3))
            checkins.append((pk, held_at.date(), held_at.date(), held_at, "", "held", held_at, "", "", True,
                             s["owner"], s["id"], pk))
        return schedules, checkins

    def corrective_actions(self) -> Iterator[tuple]:
        pk = 0
        for s in self.suppliers:
            if s["stage"] in TRADING and self.rng.random() < 0.12:
                pk += 1
                yield (pk, "Bench corrective action", "Defects above the AQL.", self.day(self.rng.randint(-30, 30)),
                       self.now - timedelta(days=40), "", "", "", "", "",
                       "open" if self.rng.random() < 0.7 else "submitted", "", s["qc"], s["id"])


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
            row = conn.execute("SELECT meta FROM bench_meta WHERE size = %s", [size.name]).fetchone() if table else None
    except psycopg.OperationalError:
        return False  # not built yet, or no server: ensure_database says which, plainly
    if row is None:
        return table is not None or _has_tables(size)
    changed = row[0].get("migrations") != migrations_fingerprint()
    if changed:
        log("the app's migrations changed since the data was generated: rebuilding the database")
    return changed


def _has_tables(size: Size) -> bool:
    with connect(size.database) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] > 0


def _copy(cursor, table: str, rows: Iterable[tuple]) -> int:
    columns = TABLES[table].split()
    count = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def expected_counts(size: Size) -> dict[str, int]:
    return {"suppliers_supplier": size.suppliers, "orders_delivery": size.deliveries,
            "audits_qcinspection": size.inspections, "communications_supplierissue": size.issues,
            "payments_invoice": size.invoices}


def _current(cursor, size: Size, seed: int, today: date) -> bool:
    """Return whether the database already holds this size's rows, from this seed, recent enough."""
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (size text PRIMARY KEY, meta jsonb NOT NULL)")
    cursor.execute("SELECT meta FROM bench_meta WHERE size = %s", [size.name])
    row = cursor.fetchone()
    if row is None:
        return False
    meta = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    if meta.get("seed") != seed or meta.get("version") != GENERATOR_VERSION \
            or meta.get("migrations") != migrations_fingerprint():
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
        counts["suppliers_productcategory"] = _copy(cursor, "suppliers_productcategory",
                                                    enumerate(CATEGORIES, 1))
        counts["suppliers_supplier_categories"] = _copy(cursor, "suppliers_supplier_categories",
                                                        gen.category_links())
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
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")
        log(f"rows copied in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    snapshots = _snapshots(today)
    counts["scorecards_kpisnapshot"] = snapshots
    seconds = round(time.perf_counter() - started, 1)
    meta = {"seed": seed, "version": GENERATOR_VERSION, "generated_on": today.isoformat(), "counts": counts,
            "seconds": seconds, "migrations": migrations_fingerprint()}
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_meta (size, meta) VALUES (%s, %s) ON CONFLICT (size) DO UPDATE "
                       "SET meta = EXCLUDED.meta", [size.name, json.dumps(meta)])
        cursor.execute("ANALYZE scorecards_kpisnapshot")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--regenerate", action="store_true", help="rebuild even when the rows are current")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    try:
        setup_django(size, fresh=args.regenerate or schema_changed(size))
        ensure(size, seed=args.seed, regenerate=args.regenerate)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
