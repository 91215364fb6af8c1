"""Hooks higher apps register from their ready() to act on an order's events, without orders importing them.

communications registers the factory's "order sent" email (with the PO PDF attached) here; orders calls the hooks
inside the sending transaction, so a refused send notifies nobody.
"""

from collections.abc import Callable

_order_sent: list[Callable] = []


def register_order_sent(hook: Callable) -> None:
    """Call `hook(order=..., by=...)` whenever an order is sent to its supplier (once per hook)."""
    if hook not in _order_sent:
        _order_sent.append(hook)


def order_sent(*, order, by) -> None:
    """Run the hooks registered for an order just sent."""
    for hook in _order_sent:
        hook(order=order, by=by)
