"""The rows of the bench data: one seeded random stream turned into each table's rows, in COPY column order."""

import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.common import Size

HISTORY_DAYS = 125  # deliveries, inspections and issues spread over the last ~120 days
COUNTRIES = [
    ("CN", "Asia/Shanghai"),
    ("VN", "Asia/Ho_Chi_Minh"),
    ("IN", "Asia/Kolkata"),
    ("TR", "Europe/Istanbul"),
    ("BD", "Asia/Dhaka"),
    ("MX", "America/Mexico_City"),
    ("PT", "Europe/Lisbon"),
    ("TH", "Asia/Bangkok"),
]
CATEGORIES = [
    "Apparel",
    "Electronics",
    "Furniture",
    "Packaging",
    "Plastics",
    "Metal parts",
    "Textiles",
    "Toys",
]
# (share, stage); suppliers in the first six stages trade with us (orders, deliveries, invoices).
STAGES = [
    (0.55, "approved"),
    (0.10, "strategic"),
    (0.08, "pilot"),
    (0.04, "on_hold"),
    (0.03, "suspended"),
    (0.02, "offboarded"),
    (0.12, "vetting"),
    (0.06, "prospect"),
]
TRADING = {"approved", "strategic", "pilot", "on_hold", "suspended", "offboarded"}
# ISO 2859-1 general level II, single sampling: (largest lot, code letter, sample, major Ac at AQL 2.5,
# minor Ac at AQL 4.0); Re is Ac + 1.
SAMPLING = [
    (150, "F", 20, 1, 2),
    (280, "G", 32, 2, 3),
    (500, "H", 50, 3, 5),
    (1200, "J", 80, 5, 7),
    (3200, "K", 125, 7, 10),
    (10000, "L", 200, 10, 14),
]
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
        self.deliveries_received: list[
            tuple
        ] = []  # (delivery, order, supplier, received_on, shipped_on, qty)

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
                yield (
                    pk,
                    "!bench",
                    role == "admin",
                    f"{role}{n}@bench.example",
                    f"Bench {role.title()} {n}",
                    role,
                    "UTC",
                    "en",
                    True,
                    role == "admin",
                    self.now,
                    None,
                )

    def portal_users(self) -> Iterator[tuple]:
        for s in self.suppliers:
            yield (
                s["portal_user"],
                "!bench",
                False,
                f"factory{s['id']}@bench.example",
                f"Factory {s['id']}",
                "supplier",
                s["timezone"],
                "en",
                True,
                False,
                self.now,
                s["id"],
            )

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
                "id": pk,
                "stage": stage,
                "timezone": tz,
                "owner": rng.choice(self.staff["procurement"]),
                "qc": rng.choice(self.staff["quality"]),
                "portal_user": self.first_portal_user + pk - 1,
                # Each supplier's habits: order volume (a few big ones), punctuality, defects, replies.
                "volume": min(rng.paretovariate(1.3), 40.0),
                "on_time": min(0.995, rng.betavariate(14, 1.3)),
                "defects": min(0.06, rng.lognormvariate(math.log(0.007), 0.8)),
                "reply_hours": rng.lognormvariate(math.log(8), 0.5),
                "we_pay_on_time": rng.uniform(0.8, 0.98),
            }
            self.suppliers.append(supplier)
            yield (
                pk,
                f"Bench Supplier {pk:05d}",
                f"Bench Supplier {pk:05d} Co., Ltd.",
                "",
                country,
                "",
                "",
                tz,
                "",
                rng.choice(["strategic", "leverage", "bottleneck", "routine"]),
                stage,
                self.now - timedelta(days=rng.randint(30, 700)),
                "",
                self.now,
                self.now,
                supplier["owner"],
                rng.choice(self.staff["procurement"]),
                supplier["qc"],
            )

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
            yield (
                pk,
                self.rng.choice(["iso_9001", "bsci", "iso_14001", "wrap"]),
                "",
                f"C-{pk:06d}",
                "Bench Certification Body",
                "",
                until - timedelta(days=3 * 365),
                until,
                "",
                "verified" if verified else "pending",
                self.now - timedelta(days=400),
                self.now - timedelta(days=390) if verified else None,
                "",
                s["id"],
                self.staff["quality"][0] if verified else None,
            )

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
                (
                    (first, quantity // 2),
                    (first + timedelta(days=rng.randint(7, 21)), quantity - quantity // 2),
                ),
                1,
            ):
                delivery_id = 2 * pk - 2 + sequence
                row, state = self.delivery(delivery_id, pk, s, sequence, promised, planned)
                deliveries.append(row)
                states.append(state)
            status = (
                "received"
                if states == ["received", "received"]
                else "shipped"
                if "shipped" in states or "received" in states
                else rng.choice(["acknowledged", "in_production"])
            )
            sent_at = datetime(ordered_on.year, ordered_on.month, ordered_on.day, 9, tzinfo=UTC)
            orders.append(
                (
                    pk,
                    f"PO-{pk:07d}",
                    ordered_on,
                    "USD",
                    "FOB",
                    status,
                    False,
                    sent_at,
                    sent_at + timedelta(days=1),
                    "",
                    sent_at,
                    s["owner"],
                    s["id"],
                )
            )
            lines.append(
                (pk, f"SKU-{rng.randint(1000, 9999)}", "Bench item", quantity, "pcs", price, first, pk)
            )
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
        row = (
            pk,
            sequence,
            promised,
            original,
            planned,
            shipped_on,
            f"TRK{pk:08d}" if shipped_on else "",
            planned if shipped_on else None,
            received_on,
            quantity_received,
            status,
            received_by,
            s["id"],
            order,
        )
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
            letter, sample, major_ac, minor_ac = (
                next((letter, n, major, minor) for limit, letter, n, major, minor in SAMPLING if lot <= limit)
                if lot <= SAMPLING[-1][0]
                else SAMPLING[-1][1:]
            )
            sample = min(sample, lot)
            defective = min(sample, self.poisson(sample * s["defects"]))
            minor = self.poisson(sample * s["defects"] * 0.5)
            result = "accept" if defective <= major_ac and minor <= minor_ac else "reject"
            yield (
                pk,
                checkpoint,
                inspected_on,
                f"L{pk:07d}",
                lot,
                "II",
                Decimal("2.5"),
                Decimal("4.0"),
                letter,
                sample,
                major_ac,
                major_ac + 1,
                minor_ac,
                minor_ac + 1,
                0,
                defective,
                minor,
                defective,
                result,
                result,
                "",
                "",
                "",
                True,
                self.now,
                delivery,
                s["qc"],
                order,
                s["id"],
            )

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
                status, resolved_at, resolved_by = (
                    "resolved",
                    first_response + timedelta(days=rng.randint(1, 10)),
                    s["owner"],
                )
            else:
                status = "answered"
            yield (
                pk,
                "buyer" if by_buyer else "supplier",
                rng.choice(["quality", "delivery", "documentation", "commercial", "communication"]),
                rng.choice(["low", "medium", "medium", "high", "critical"]),
                f"Bench issue {pk}",
                "Generated by the benchmark.",
                raised_at,
                status,
                first_response,
                resolved_at,
                "",
                s["owner"],
                s["owner"] if by_buyer else s["portal_user"],
                resolved_by,
                s["id"],
            )

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
                status, paid_on = (
                    "paid",
                    invoice_date + timedelta(days=rng.randint(0, (today - invoice_date).days)),
                )
            else:
                status = "approved" if roll < 0.7 else "submitted"
            submitted_at = datetime(received_on.year, received_on.month, received_on.day, 10, tzinfo=UTC)
            if status != "submitted":
                decided_at, decided_by = submitted_at + timedelta(hours=20), s["owner"]
            yield (
                pk,
                f"INV-{pk:07d}",
                invoice_date,
                received_on,
                "USD",
                amount,
                terms,
                "",
                due_on,
                status,
                paid_on,
                "",
                "",
                submitted_at,
                decided_at,
                reason,
                decided_by,
                order,
                s["portal_user"],
                s["id"],
            )

    def checkins(self) -> tuple[list, list]:
        """Return check-in schedules for a quarter of the active suppliers, each with its last held check-in."""
        rng, schedules, checkins = self.rng, [], []
        gaps = {"weekly": 10, "biweekly": 17, "monthly": 38}
        for s in self.suppliers:
            if s["stage"] not in TRADING - {"suspended", "offboarded"} or rng.random() > 0.25:
                continue
            pk = len(schedules) + 1
            cadence = rng.choice(["weekly", "weekly", "biweekly", "monthly"])
            schedules.append(
                (pk, cadence, rng.randint(0, 4), "09:00", "video", self.day(-200), True, s["owner"], s["id"])
            )
            held_at = self.now - timedelta(days=rng.uniform(0.5, gaps[cadence] * 1.3))
            checkins.append(
                (
                    pk,
                    held_at.date(),
                    held_at.date(),
                    held_at,
                    "",
                    "held",
                    held_at,
                    "",
                    "",
                    True,
                    s["owner"],
                    s["id"],
                    pk,
                )
            )
        return schedules, checkins

    def corrective_actions(self) -> Iterator[tuple]:
        pk = 0
        for s in self.suppliers:
            if s["stage"] in TRADING and self.rng.random() < 0.12:
                pk += 1
                yield (
                    pk,
                    "Bench corrective action",
                    "Defects above the AQL.",
                    self.day(self.rng.randint(-30, 30)),
                    self.now - timedelta(days=40),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "open" if self.rng.random() < 0.7 else "submitted",
                    "",
                    s["qc"],
                    s["id"],
                )
