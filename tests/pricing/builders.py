"""Builders for the pricing tests: agreements and price changes made through the services."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from pricing import services
from pricing.models import CostBreakdownRequest, PriceAgreement, PriceChangeItem, PriceChangeRequest


def days(n: int):
    """Return the date n days from today (negative: in the past)."""
    return timezone.localdate() + timedelta(days=n)


def agree(
    supplier, *, by, sku="TOTE-01", price="3.40", currency="USD", valid_from=None, **kwargs
) -> PriceAgreement:
    """Agree a price through the service (from 90 days ago, open-ended, unless told)."""
    return services.price_agreement_create(
        supplier=supplier,
        by=by,
        sku=sku,
        unit_price=Decimal(price),
        currency=currency,
        valid_from=valid_from or days(-90),
        **kwargs,
    )


def ask(agreement, *, by, price="3.80", effective_on=None, **kwargs) -> PriceChangeRequest:
    """The factory asks for a new price of one agreement through the service."""
    data = {
        "reason_category": "material",
        "explanation": "Copper is up 18 % since March.",
        "breakdown": {
            "material": Decimal("2.10"),
            "labour": Decimal("0.80"),
            "overhead": Decimal("0.40"),
            "margin": Decimal("0.50"),
        },
    }
    data.update(kwargs)
    return services.price_change_request(
        by=by,
        items=[{"agreement": agreement, "new_price": Decimal(price)}],
        effective_on=effective_on or days(30),
        **data,
    )


def change_row(agreement, *, requested_by, status=PriceChangeRequest.Status.REQUESTED) -> PriceChangeRequest:
    """Build a price-change request row directly (for isolation tests)."""
    change = PriceChangeRequest.objects.create(
        supplier_id=agreement.supplier_id,
        effective_on=days(30),
        reason_category="material",
        explanation="Copper",
        requested_by=requested_by,
        status=status,
        material=Decimal("1.00"),
    )
    PriceChangeItem.objects.create(
        request=change,
        agreement=agreement,
        sku=agreement.sku,
        old_price=agreement.unit_price,
        new_price=Decimal("9.99"),
    )
    return change


def breakdown_row(supplier, *, requested_by, answered=False) -> CostBreakdownRequest:
    """Build a cost-breakdown request row directly, answered when told."""
    values = (
        {
            "status": "answered",
            "material": Decimal("1.11"),
            "labour": Decimal("0.77"),
            "overhead": Decimal("0.33"),
            "margin": Decimal("0.29"),
        }
        if answered
        else {}
    )
    return CostBreakdownRequest.objects.create(
        supplier=supplier, sku="TOTE-01", requested_by=requested_by, **values
    )
