"""Money amounts a person types: how many decimals each currency has, and the bound on an extra charge."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# ISO 4217 minor units of the currencies that do not have two; every other code has two (USD, EUR, CNY ...).
CURRENCY_DECIMALS = {
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "IDR": 0,
    "CLP": 0,
    "ISK": 0,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}
# An extra charge on an invoice (tooling, freight ...): a hundred million is beyond any real one and still fits
# a 14-digit column with room for sums.
MAX_CHARGE = Decimal("100000000")


def currency_decimals(currency: str) -> int:
    """Return how many decimals an amount in `currency` may have (two unless ISO 4217 says otherwise)."""
    return CURRENCY_DECIMALS.get((currency or "").upper(), 2)


def check_currency_places(amount: Decimal, currency: str, *, field: str = "amount") -> None:
    """Raise ValidationError on `field` when `amount` has more decimals than `currency` allows (JPY 1.5)."""
    places = currency_decimals(currency)
    if amount is not None and amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise ValidationError(
            {
                field: _("An amount in %(currency)s has at most %(places)s decimals.")
                % {"currency": currency, "places": places}
            }
        )
