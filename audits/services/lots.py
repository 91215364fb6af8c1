"""The production lot a quality record is about: found by its order and lot number, as the factory logged it."""

from orders.models import ProductionLot, PurchaseOrder


def lot_of(order: PurchaseOrder | None, lot_number: str | None) -> ProductionLot | None:
    """Return the order's production lot of that number, if the factory logged one (else None)."""
    number = " ".join((lot_number or "").split())
    if order is None or not number:
        return None
    return ProductionLot.objects.filter(order=order, number=number).first()
