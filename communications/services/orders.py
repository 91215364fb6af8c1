"""The factory hears of the orders sent to it: an email in each contact's language, the PO PDF attached."""

from collections import defaultdict

from django.conf import settings
from django.urls import reverse

from accounts.models import User
from orders import hooks

from ..models import Notification
from .notifications import notify, notify_messages


def orders_sent_notify_factory(*, orders, by: User) -> list[Notification]:
    """Notify each supplier's portal contacts of every order sent to it, one notification per order and contact;
    each email carries the PO PDF (rendered when sent).

    Three queries however many orders (an import sends thousands): the contacts, their preferences, one INSERT.
    Each email renders its PDF when sent, so each is queued as a task of its own (under its time limit, spread over
    the workers).
    """
    contacts: dict[int, list[User]] = defaultdict(list)
    supplier_ids = sorted({order.supplier_id for order in orders})
    for start in range(0, len(supplier_ids), 500):
        chunk = supplier_ids[start : start + 500]
        for user in User.objects.filter(supplier_id__in=chunk, is_active=True):
            contacts[user.supplier_id].append(user)
    company = settings.FORGELINE_COMPANY_NAME
    return notify_messages(
        (
            user,
            "order_sent",
            {"company": company, "number": order.number},
            reverse("portal:order_detail", args=[order.pk]),
            ("order_pdf", order.pk),
        )
        for order in orders
        for user in contacts[order.supplier_id]
    )


def _change_values(change) -> dict:
    """One change as message values: codes and numbers, shown as words in the reader's language when rendered."""
    return {
        "kind": change.kind,
        "sku": change.line.sku if change.line_id else "",
        "old": "" if change.kind == change.Kind.CANCELLATION else str(change.old_value),
        "new": "" if change.kind == change.Kind.CANCELLATION else str(change.new_value),
        "counter": str(change.counter_value or ""),
        "status": change.status,
    }


def _event_params(event: str, *, order, changes) -> dict:
    """Return the values of an order-change event's message: the order, its changes and the reasons given."""
    params = {
        "company": settings.FORGELINE_COMPANY_NAME,
        "supplier": order.supplier.name,
        "number": order.number,
        "lines": [_change_values(change) for change in changes],
        "reason": "\n".join(sorted({change.reason for change in changes if change.reason})),
    }
    if event == hooks.CHANGE_COUNTERED:
        params["reason"] = "\n".join(change.counter_reason for change in changes)
    elif event == hooks.CHANGE_AGREED:
        params["note"] = "\n".join(change.answer_note for change in changes)
    elif event == hooks.ORDER_DECLINED:
        params["reason"] = order.decline_reason
    return params


# Which side hears of each event: the factory's contacts, or the buyer of the order.
_TO_FACTORY = {
    "change_proposed",
    "change_agreed",
    "change_withdrawn",
    "counter_accepted",
    "factory_changes_decided",
}


def order_change_notify(*, event: str, order, changes, by: User) -> list[Notification]:
    """Tell the other side of an order-change event, each reader in their own language, with a link to the order."""
    if event in _TO_FACTORY:
        recipients = order.supplier.portal_users.filter(is_active=True)
        url = reverse("portal:order_detail", args=[order.pk])
    else:
        recipients = [order.buyer]
        url = reverse("orders:detail", args=[order.pk])
    return notify(
        users=[user for user in recipients if user.pk != by.pk],
        key=f"order_{event}",
        params=_event_params(event, order=order, changes=changes),
        url=url,
    )
