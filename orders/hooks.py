"""Hooks higher apps register from their ready() to act on an order's events, without orders importing them.

communications registers the factory's "order sent" email (with the PO PDF attached) here, and the notices of
order changes to the other side; orders calls the hooks inside the writing transaction, so a refused write
notifies nobody.
"""

from collections.abc import Callable

_order_sent: list[Callable] = []
_order_events: list[Callable] = []

# The events of a sent order's changes, each told to the other side.
CHANGE_PROPOSED = "change_proposed"  # the buyer proposed a change or a cancellation → the factory
CHANGE_ACCEPTED = "change_accepted"  # the factory accepted → the buyer
CHANGE_COUNTERED = "change_countered"  # the factory countered with its own values → the buyer
CHANGE_AGREED = "change_agreed"  # a manager recorded an agreement reached another way → the factory
CHANGE_WITHDRAWN = (
    "change_withdrawn"  # the buyer withdrew a proposal (or turned down a counter) → the factory
)
COUNTER_ACCEPTED = "counter_accepted"  # the buyer accepted the factory's counter → the factory
ORDER_DECLINED = "order_declined"  # the factory declined the order → the buyer
ORDER_CONFIRMED_WITH_CHANGES = "order_confirmed_with_changes"  # the factory's own values per line → the buyer
FACTORY_CHANGES_DECIDED = "factory_changes_decided"  # the buyer accepted or rejected them → the factory


def register_order_sent(hook: Callable) -> None:
    """Call `hook(orders=[...], by=...)` whenever orders are sent to their suppliers (once per hook): one order
    from its page, or all the orders of an import at once."""
    if hook not in _order_sent:
        _order_sent.append(hook)


def orders_sent(*, orders, by) -> None:
    """Run the hooks registered for orders just sent by one user, in the transaction that sent them."""
    orders = list(orders)
    if not orders:
        return
    for hook in _order_sent:
        hook(orders=orders, by=by)


def register_order_event(hook: Callable) -> None:
    """Call `hook(event=..., order=..., changes=[OrderChange, ...], by=...)` on each change event (once per hook)."""
    if hook not in _order_events:
        _order_events.append(hook)


def order_event(*, event: str, order, changes, by) -> None:
    """Run the hooks registered for an event of a sent order's changes (an event name above)."""
    for hook in _order_events:
        hook(event=event, order=order, changes=list(changes), by=by)
