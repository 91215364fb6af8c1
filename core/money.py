"""Money helpers every app uses: how many decimals a currency's prices may carry (ISO 4217 minor units)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Currencies whose smallest unit is the whole unit (no cents); every other currency here has two decimals.
ZERO_DECIMAL_CURRENCIES = frozenset({"JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG"})
THREE_DECIMAL_CURRENCIES = frozenset({"BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"})


def currency_decimals(currency: str) -> int:
    """Return how many decimals a price in `currency` may have: JPY, KRW, VND 0; BHD, KWD 3; most others 2."""
    code = (currency or "").upper()
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def check_price_decimals(field: str, value: Decimal | None, currency: str) -> None:
    """Raise ValidationError on `field` when a price has more decimals than its currency allows."""
    if value is None:
        return
    places = currency_decimals(currency)
    exponent = Decimal(value).normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(
            {
                field: _("A price in %(currency)s has at most %(places)s decimals; %(value)s has more.")
                % {"currency": currency.upper(), "places": places, "value": value}
            }
        )
