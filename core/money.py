"""Money amounts a person types: how many decimals each currency has (ISO 4217 minor units), the check of a price
or an amount against them, and the bound on an extra charge."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The currencies whose minor unit is not the cent; every other code has two decimals (USD, EUR, CNY ...).
CURRENCY_DECIMALS = {
    **dict.fromkeys(("JPY", "KRW", "VND", "IDR", "CLP", "ISK", "UGX", "XAF", "XOF", "PYG"), 0),
    **dict.fromkeys(("BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD"), 3),
}
# An extra charge on an invoice (tooling, freight ...): a hundred million is beyond any real one and still fits
# a 14-digit column with room for sums.
MAX_CHARGE = Decimal("100000000")


def check_currency(currency: str | None, *, field: str = "currency") -> str:
    """Return `currency` as an upper-case ISO 4217 code, or raise ValidationError on `field` unless it is three
    ASCII letters (usd is USD; US$, EU or a blank are refused): the one check of a typed currency code."""
    code = " ".join(str(currency or "").split()).upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise ValidationError({field: _("Give the currency as a three-letter code (USD, EUR, CNY).")})
    return code


def currency_decimals(currency: str) -> int:
    """Return how many decimals an amount in `currency` may have: JPY, KRW, VND 0; BHD, KWD 3; most others 2."""
    return CURRENCY_DECIMALS.get((currency or "").upper(), 2)


def _too_precise(value: Decimal, currency: str) -> bool:
    """Tell whether `value` has more decimals than `currency` allows (1.50 USD is fine, 1.5 JPY is not)."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    return isinstance(exponent, int) and -exponent > currency_decimals(currency)


def check_decimals(value: Decimal | None, currency: str, *, field: str = "amount") -> None:
    """Raise ValidationError on `field` when a price or an amount has more decimals than `currency` allows
    (1.50 USD is fine, 1.5 JPY is not): the one check of every price, charge and invoice amount."""
    if value is not None and _too_precise(value, currency):
        raise ValidationError(
            {
                field: _("An amount in %(currency)s has at most %(places)s decimals.")
                % {"currency": (currency or "").upper(), "places": currency_decimals(currency)}
            }
        )
