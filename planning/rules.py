"""The few numbers of demand planning, in one place: how far ahead a forecast reaches, how much notice counts,
and when an order is large enough to warn about."""

from decimal import Decimal

# A forecast names months from the current one up to 12 months ahead (buyers usually publish 6–12).
HORIZON_MONTHS = 12
# A forecast that reaches fewer months than this (counting the month it is published in) is published with a
# warning: factories plan capacity on 6–12 months, yet a buyer who knows only 3 should still share them.
MIN_HORIZON_MONTHS = 6
# Ordered volume counts as "announced" when a forecast published at least this many weeks before the order named it.
ADVANCE_NOTICE_WEEKS = 8
# An order is "large" when its total quantity is above this share of the factory's monthly capacity.
LARGE_ORDER_SHARE = Decimal("0.5")
# At most this many lines in one published version (a formset, an API payload).
MAX_LINES = 200
