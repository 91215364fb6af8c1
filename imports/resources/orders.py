"""Import of open purchase orders (one row per order line; the rows of one PO number make one order, with one
planned delivery per required date, as an order typed in) and of receipts against their deliveries."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from orders import hooks
from orders.models import Delivery, PurchaseOrder
from orders.services import (
    delivery_receive,
    order_acknowledge,
    order_create,
    order_send,
    order_start_production,
)
from planning.selectors import monthly_capacity
from pricing.selectors import AgreementBook
from suppliers.models import Incoterm

from .base import Cells, Column, Resource, RowErrors, service_errors

# The states an imported order may be in, and the steps (the same services as the pages') that reach them.
ORDER_STATES = {
    "draft": (),
    "sent": (order_send,),
    "acknowledged": (order_send, order_acknowledge),
    "in_production": (order_send, order_acknowledge, order_start_production),
}
ORDER_COLUMNS = ("supplier", "ordered_on", "currency", "incoterm", "pilot", "status", "notes")


class OrderResource(Resource):
    """Purchase orders with their lines, matched on PO number; an order already on file is left as it is."""

    kind = "orders"
    capability = "order.edit"
    columns = [
        Column("po_number", True, "PO-2026-00042", "the rows of one PO number are one order"),
        Column(
            "supplier", True, "Shenzhen Brightway Electronics Co., Ltd.", "the supplier's name in Forgeline"
        ),
        Column("ordered_on", True, "2026-11-20"),
        Column("currency", False, "USD", "3 letters (default USD)"),
        Column("incoterm", False, "FOB", "EXW, FCA, FOB, CFR, CIF, CPT, CIP, DAP, DPU or DDP (default FOB)"),
        Column("pilot", False, "no", "yes for a trial order"),
        Column("status", False, "sent", "draft, sent, acknowledged or in_production (default sent)"),
        Column("notes", False, ""),
        Column("sku", True, "BW-PCB-220"),
        Column("description", True, "Controller board, rev. C"),
        Column("quantity", True, "5000"),
        Column("unit", False, "pcs"),
        Column(
            "unit_price",
            False,
            "2.35",
            "price per unit, in the order's currency; empty: the price agreed for the SKU on the order date",
        ),
        Column("required_on", True, "2027-01-15", "a planned delivery is made per required date"),
        Column("off_agreement_reason", False, "", "why a line is priced otherwise than its SKU's agreement"),
    ]

    def units(self, rows):
        groups: dict[str, list[Cells]] = {}
        for row in rows:
            groups.setdefault(row.text("po_number").upper() or f"#row{row.number}", []).append(row)
        return list(groups.values())

    def prepare(self, rows):
        self.load_suppliers(rows)
        numbers = {row.text("po_number") for row in rows} - {""}
        self.existing = (
            set(PurchaseOrder.objects.filter(number__in=numbers).values_list("number", flat=True))
            if len(numbers) <= 5000
            else set(PurchaseOrder.objects.values_list("number", flat=True))
        )
        self.existing = {number.upper() for number in self.existing}
        # What sending and pricing read of each supplier, read for all of them at once: an import writes neither
        # capacities nor agreements, so they hold for every row.
        supplier_ids = sorted({supplier.pk for supplier in self.suppliers.values()})
        self.capacities = {}
        for start in range(0, len(supplier_ids), 500):
            self.capacities.update(monthly_capacity(supplier_ids=supplier_ids[start : start + 500]))
        # The SKUs read on a copy of each row: its errors are recorded once, when the row is applied.
        skus = {Cells(number=row.number, values=row.values).text("sku") for row in rows}
        self.prices = AgreementBook(supplier_ids=supplier_ids, skus=skus)
        self.sent: list[PurchaseOrder] = []

    def apply(self, unit):
        first = unit[0]
        number = first.text("po_number", required=True, max_length=50)
        supplier = self.supplier(first)
        ordered_on = first.date("ordered_on", required=True)
        currency = (first.text("currency") or "USD").upper()
        if len(currency) != 3 or not currency.isalpha():
            first.error("currency", _("'%(value)s' is not a 3-letter currency code") % {"value": currency})
        incoterm = first.choice("incoterm", Incoterm, default=Incoterm.FOB)
        pilot = first.boolean("pilot")
        status = first.text("status").lower().replace(" ", "_") or "sent"
        if status not in ORDER_STATES:
            first.error(
                "status",
                _("'%(value)s' is not one of: %(choices)s")
                % {"value": status, "choices": ", ".join(ORDER_STATES)},
            )
        for row in unit[1:]:
            for column in ORDER_COLUMNS:
                if row.text(column) and row.text(column) != first.text(column):
                    row.error(
                        column,
                        _("differs from row %(row)s of the same PO (%(value)s)")
                        % {"row": first.number, "value": first.text(column)},
                    )
        lines = [self._line(row, ordered_on) for row in unit]
        errors = [message for row in unit for message in row.errors]
        if errors:
            raise RowErrors(errors)
        if number.upper() in self.existing:
            return "skip", _("%(number)s is already on file") % {"number": number}
        try:
            order = order_create(
                supplier=supplier,
                by=self.by,
                number=number,
                ordered_on=ordered_on,
                currency=currency,
                incoterm=incoterm,
                pilot=pilot,
                notes=first.text("notes"),
                lines=lines,
                prices=self.prices,
            )
            for step in ORDER_STATES[status]:
                if step is order_send:
                    order = order_send(
                        order=order, by=self.by, capacities=self.capacities, defer_sent_hooks=self.together
                    )
                else:
                    order = step(order=order, by=self.by)
        except ValidationError as exc:
            raise RowErrors(service_errors(first, exc, columns={"number": "po_number"})) from exc
        if self.together and order_send in ORDER_STATES[status]:
            self.sent.append(order)  # its factory is told in finish(), with the others'
        return "create", _("%(number)s, %(count)s line(s)") % {"number": number, "count": len(lines)}

    def finish(self):
        """Tell each factory of the orders sent to it, all at once (one notice per order and contact, as ever)."""
        hooks.orders_sent(orders=self.sent, by=self.by)
        self.sent = []

    def _line(self, row: Cells, ordered_on):
        line = {
            "sku": row.text("sku", required=True, max_length=64),
            "description": row.text("description", required=True, max_length=300),
            "quantity": row.integer("quantity", required=True, minimum=1),
            "unit": row.text("unit", max_length=20) or "pcs",
            "unit_price": row.decimal("unit_price"),
            "required_on": row.date("required_on", required=True),
            "off_agreement_reason": row.text("off_agreement_reason", max_length=300),
        }
        if line["required_on"] and ordered_on and line["required_on"] < ordered_on:
            row.error(
                "required_on",
                _("required date %(required)s is before the order date %(ordered)s")
                % {"required": line["required_on"].isoformat(), "ordered": ordered_on.isoformat()},
            )
        return line


class ReceiptResource(Resource):
    """Receipts: the goods that arrived against a delivery of an order, matched on PO number + delivery no."""

    kind = "receipts"
    capability = "delivery.receive"
    columns = [
        Column("po_number", True, "PO-2026-00042"),
        Column("delivery_no", False, "1", "the delivery's number on the order (default 1)"),
        Column("received_on", True, "2026-12-01"),
        Column("quantity_received", True, "4980"),
        Column("quantity_rejected", False, "20", "of those received, refused at the door (default 0)"),
    ]

    def duplicate_key(self, row: Cells):
        return (row.text("po_number").upper(), row.text("delivery_no") or "1")

    def prepare(self, rows):
        numbers = {row.text("po_number") for row in rows} - {""}
        self.deliveries = {}
        self.orders = set()
        chunks = sorted(numbers)
        for start in range(0, len(chunks), 500):
            for delivery in Delivery.objects.filter(
                order__number__in=chunks[start : start + 500]
            ).select_related("order"):
                self.deliveries[(delivery.order.number.upper(), delivery.sequence)] = delivery
                self.orders.add(delivery.order.number.upper())

    def apply(self, unit):
        row = unit[0]
        number = row.text("po_number", required=True)
        sequence = row.integer("delivery_no", minimum=1, default=1)
        received_on = row.date("received_on", required=True)
        received = row.integer("quantity_received", required=True, minimum=1)
        rejected = row.integer("quantity_rejected", default=0)
        if received is not None and rejected is not None and rejected > received:
            row.error("quantity_rejected", _("more rejected than received"))
        if number and number.upper() not in self.orders:
            row.error("po_number", _("order '%(number)s' not found") % {"number": number})
        row.check()
        delivery = self.deliveries.get((number.upper(), sequence))
        if delivery is None:
            row.error(
                "delivery_no", _("order %(number)s has no delivery %(n)s") % {"number": number, "n": sequence}
            )
            row.check()
        label = f"{number}/{sequence}"
        if delivery.status == Delivery.Status.RECEIVED:
            return "skip", _("%(delivery)s was already received") % {"delivery": label}
        try:
            delivery_receive(
                delivery=delivery,
                by=self.by,
                received_on=received_on,
                quantity_received=received,
                quantity_rejected=rejected or 0,
            )
        except ValidationError as exc:
            raise RowErrors(service_errors(row, exc)) from exc
        return "create", label
