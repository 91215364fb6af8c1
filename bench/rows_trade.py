"""The trading rows of the bench data: orders with their lines and deliveries, QC inspections and invoices."""

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.tables import HISTORY_DAYS, SAMPLING, TRADING


class TradeRows:
    """Orders, lines, deliveries, inspections and invoices (a part of Generator; its state lives there)."""

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
