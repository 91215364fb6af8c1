"""The rows of the bench data: one seeded random stream turned into each table's rows, in COPY column order."""

import math
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from bench.common import Size
from bench.rows_trade import TradeRows
from bench.tables import CATEGORIES, COUNTRIES, HISTORY_DAYS, STAFF, STAGES, TRADING


class Generator(TradeRows):
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
