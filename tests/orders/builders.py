"""Small builders shared by the order and scorecard tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone


def days(n: int):
    """Return the date n days from today (negative: in the past)."""
    return timezone.localdate() + timedelta(days=n)


def line_data(**overrides) -> dict:
    """Return one valid order line as order_create takes it."""
    data = {
        "sku": "TOTE-01",
        "description": "Canvas tote bag",
        "quantity": 100,
        "unit_price": Decimal("3.40"),
        "required_on": days(30),
    }
    data.update(overrides)
    return data
