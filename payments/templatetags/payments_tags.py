"""Template helpers of the payments pages."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def unit_price(value) -> str:
    """Show a unit price with 2 to 4 decimals: 3.4000 → 3.40, 3.4010 → 3.401, 0.4250 → 0.425."""
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    text = f"{number:.4f}".rstrip("0")
    whole, _, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(2, '0')}"
