"""The demo's invoices, payments and payment-term changes, created through the services so that the match,
the due dates and the timeline are exactly as in real use.

Called by the seed command once per supplier, after its order history: every received order gets an invoice
(most paid early or on time, some late, the newest still open); Shenzhen Brightway's newest
invoice bills a price above the agreed one; Ningbo Harbor's newest adds a freight surcharge nobody agreed (beside
a tooling charge agreed on the order), a hidden cost the match holds; Saigon Garment has an overdue invoice and disputes a proposal of
longer terms; Porto Calçado accepts one.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Max, Sum

from accounts.models import User
from orders import services as order_services
from orders.models import ChargeKind, PurchaseOrder
from orders.services.charges import CLOSED_STATUSES
from payments import selectors, services
from payments.models import Invoice
from suppliers.models import Supplier

PRICE_HIKE_SUPPLIER = "Shenzhen Brightway Electronics"
HIDDEN_CHARGE_SUPPLIER = "Ningbo Harbor Plastics"  # its newest invoice adds an unagreed freight surcharge
OVERDUE_SUPPLIER = "Saigon Garment Joint Stock"  # we pay one of its invoices late and ask it for longer terms
DISPUTED_TERMS_SUPPLIER = "Saigon Garment Joint Stock"
ACCEPTED_TERMS_SUPPLIER = "Porto Calçado"


def invoice_pdf(number: str) -> ContentFile:
    """Return a one-page PDF naming the invoice (enough for the demo's downloads)."""
    stream = b"BT /F1 18 Tf 72 720 Td (Invoice " + number.encode("latin-1", "replace") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{index} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return ContentFile(bytes(out), name="invoice.pdf")


def _billed_lines(order: PurchaseOrder, received: int, *, hike: bool = False) -> list[dict]:
    """Bill the order's lines at the agreed prices, scaled down where fewer units arrived than were ordered."""
    lines = list(order.lines.all())
    ordered = sum(line.quantity for line in lines)
    share = min(Decimal(received) / ordered, Decimal(1)) if ordered else Decimal(0)
    billed = []
    for index, line in enumerate(lines):
        price = line.unit_price
        if hike and index == 0:
            price = (price * Decimal("1.06")).quantize(Decimal("0.0001"))  # a 6 % "raw material surcharge"
        quantity = int(line.quantity * share)
        if quantity:
            billed.append({"order_line": line, "quantity": quantity, "unit_price": price})
    return billed


def _hidden_charge(order: PurchaseOrder, *, buyer: User) -> list[dict]:
    """Agree a tooling charge on the order, and return the invoice's charges: that tooling, within what was
    agreed, and a freight surcharge nobody agreed (the match holds it as a hidden cost)."""
    charges = [
        {
            "kind": ChargeKind.FREIGHT,
            "amount": Decimal("420.00"),
            "reason": "Freight surcharge: peak-season rates Ningbo to Rotterdam",
        }
    ]
    if order.status not in CLOSED_STATUSES:
        order_services.order_charge_set(
            order=order,
            by=buyer,
            kind=ChargeKind.TOOLING,
            amount_cap=Decimal("800.00"),
            note="Mould for the new lid, agreed at the pilot review",
        )
        charges.insert(
            0, {"kind": ChargeKind.TOOLING, "amount": Decimal("800.00"), "reason": "Mould for the new lid"}
        )
    return charges


def seed_payments(
    *,
    supplier: Supplier,
    buyer: User,
    manager: User,
    portal: User | None,
    rng: random.Random,
    today: date,
) -> None:
    """Invoice the supplier's received orders and pay them early, on time or late; add the payment stories."""
    orders = list(
        supplier.orders.filter(deliveries__received_on__isnull=False, invoices__isnull=True)
        .exclude(status__in=[PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.CANCELLED])
        .annotate(received=Sum("deliveries__quantity_received"), shipped=Max("deliveries__shipped_on"))
        .order_by("ordered_on", "pk")
    )
    by = portal or buyer
    overdue_left = supplier.name != OVERDUE_SUPPLIER  # True: no overdue invoice to leave
    for number, order in enumerate(orders, start=1):
        invoice_date = min(order.shipped or today, today)
        hike = supplier.name == PRICE_HIKE_SUPPLIER and number == len(orders)
        lines = _billed_lines(order, order.received, hike=hike)
        if not lines:
            continue
        invoice_number = f"INV-{invoice_date:%y%m}-{number:03d}"
        charges = []
        if supplier.name == HIDDEN_CHARGE_SUPPLIER and number == len(orders):
            charges = _hidden_charge(order, buyer=buyer)
        invoice = services.invoice_record(
            order=order,
            by=by,
            number=invoice_number,
            invoice_date=invoice_date,
            received_on=min(invoice_date + timedelta(days=rng.randint(1, 5)), today),
            lines=lines,
            document=invoice_pdf(invoice_number),
            charges=charges,
        )
        if invoice.status == Invoice.Status.DISPUTED:
            continue  # the price hike (or the hidden charge) waits for the buyer to settle it
        services.invoice_approve(invoice=invoice, by=buyer)
        due = invoice.due_on
        if due >= today:
            continue  # open and not yet due: the due list shows them
        if not overdue_left and due >= today - timedelta(days=12):
            overdue_left = True  # overdue and unpaid: the due list and the reminder show it
            continue
        roll = rng.random()
        if roll < 0.45:
            paid_on = max(invoice_date, due - timedelta(days=rng.randint(3, 12)))  # early
        elif roll < 0.85:
            paid_on = due  # on the due date
        else:
            paid_on = min(due + timedelta(days=rng.randint(2, 15)), today)  # late
        _pay(invoice, by=buyer, on=paid_on, rng=rng, split=roll > 0.9)
    _term_stories(supplier=supplier, buyer=buyer, portal=portal, today=today)


def _pay(invoice: Invoice, *, by: User, on: date, rng: random.Random, split: bool = False) -> None:
    """Pay an invoice on a day, in two transfers when `split` (a deposit a week before the balance)."""
    reference = f"TT{rng.randint(10**7, 10**8 - 1)}"
    if split:
        deposit = (invoice.amount * Decimal("0.3")).quantize(Decimal("0.01"))
        services.payment_record(
            invoice=invoice,
            by=by,
            paid_on=max(invoice.invoice_date, on - timedelta(days=7)),
            amount=deposit,
            reference=f"{reference}-1",
        )
        services.payment_record(
            invoice=invoice, by=by, paid_on=on, amount=invoice.amount - deposit, reference=f"{reference}-2"
        )
        return
    services.payment_record(invoice=invoice, by=by, paid_on=on, amount=invoice.amount, reference=reference)


def _term_stories(*, supplier: Supplier, buyer: User, portal: User | None, today: date) -> None:
    """A proposal of new terms that the supplier disputed, and one it accepted."""
    if portal is None or supplier.name not in (DISPUTED_TERMS_SUPPLIER, ACCEPTED_TERMS_SUPPLIER):
        return
    if supplier.term_changes.exists():
        return
    effective_on = today + timedelta(days=30)
    current = selectors.payment_terms_for(supplier=supplier, on=effective_on).days
    if supplier.name == DISPUTED_TERMS_SUPPLIER:
        change = services.term_change_propose(
            supplier=supplier,
            by=buyer,
            new_terms_days=current + 30,
            effective_on=effective_on,
            reason="Align with our other strategic suppliers; in return we share a rolling 12-month forecast.",
        )
        services.term_change_dispute(
            change=change,
            by=portal,
            comment="We pay the mill for fabric within 30 days; longer terms would mean borrowing. "
            "We could accept 15 more days with a 20 % deposit on each order.",
        )
    else:
        change = services.term_change_propose(
            supplier=supplier,
            by=buyer,
            new_terms_days=current + 15,
            effective_on=effective_on,
            reason="The autumn collection raises our volume by 20 %; in exchange we ask for 15 more days.",
        )
        services.term_change_accept(change=change, by=portal, comment="Agreed, given the larger volume.")
