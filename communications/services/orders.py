"""The factory hears of the orders sent to it: an email in each contact's language, the PO PDF attached."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from orders import hooks

from ..models import Family, Notification
from .notifications import notify


def order_sent_notify_factory(*, order, by: User) -> list[Notification]:
    """Notify the supplier's portal contacts of a sent order; each email carries the PO PDF (rendered when sent)."""
    url = reverse("portal:order_detail", args=[order.pk])
    created = []
    for user in order.supplier.portal_users.filter(is_active=True):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            created += notify(
                users=[user],
                title=_("New purchase order %(number)s") % {"number": order.number},
                body=_(
                    "%(company)s sent you purchase order %(number)s; the PO is attached as a PDF. "
                    "Please acknowledge it in the portal, and propose a new date there if a required date "
                    "cannot be met."
                )
                % {"company": settings.FORGELINE_COMPANY_NAME, "number": order.number},
                url=url,
                attachment=("order_pdf", order.pk),
                family=Family.ORDERS,
            )
    return created


def _change_line(change) -> str:
    """One change as a line of text, in the active language: what, which line, from → to (and the counter)."""
    text = str(change.get_kind_display())
    if change.line_id:
        text += f" {change.line.sku}"
    if change.kind != change.Kind.CANCELLATION:
        text += f": {change.old_value} → {change.new_value}"
    if change.counter_value:
        text += " · " + _("counter: %(value)s") % {"value": change.counter_value}
    return text


def _order_event_text(event: str, *, order, changes) -> tuple[str, str]:
    """Return the title and body of an order-change event in the active language."""
    number = order.number
    lines = "\n".join(f"- {_change_line(change)}" for change in changes)
    reasons = "\n".join(sorted({change.reason for change in changes if change.reason}))
    if event == hooks.CHANGE_PROPOSED:
        title = _("Change proposed to order %(number)s") % {"number": number}
        body = _(
            "%(company)s proposes to change order %(number)s:\n%(lines)s\n\n%(reason)s\n\n"
            "Nothing changes until you answer: accept it, or counter with what you can do, in the portal."
        ) % {"company": settings.FORGELINE_COMPANY_NAME, "number": number, "lines": lines, "reason": reasons}
    elif event == hooks.CHANGE_ACCEPTED:
        title = _("The factory accepted your change to %(number)s") % {"number": number}
        body = _("%(supplier)s accepted:\n%(lines)s") % {"supplier": order.supplier.name, "lines": lines}
    elif event == hooks.CHANGE_COUNTERED:
        counter = "\n".join(change.counter_reason for change in changes)
        title = _("The factory countered your change to %(number)s") % {"number": number}
        body = _(
            "%(supplier)s proposes something else:\n%(lines)s\n\n%(reason)s\n\n"
            "Accept the counter or withdraw your change on the order's page."
        ) % {"supplier": order.supplier.name, "lines": lines, "reason": counter}
    elif event == hooks.CHANGE_AGREED:
        notes = "\n".join(change.answer_note for change in changes)
        title = _("Change to order %(number)s recorded as agreed") % {"number": number}
        body = _("As agreed with you, order %(number)s changes:\n%(lines)s\n\n%(note)s") % {
            "number": number,
            "lines": lines,
            "note": notes,
        }
    elif event == hooks.CHANGE_WITHDRAWN:
        title = _("Change to order %(number)s withdrawn") % {"number": number}
        body = _("The buyer withdrew this change; the order stays as it was:\n%(lines)s") % {"lines": lines}
    elif event == hooks.COUNTER_ACCEPTED:
        title = _("Your counter on order %(number)s was accepted") % {"number": number}
        body = _("The buyer accepted your counter:\n%(lines)s") % {"lines": lines}
    elif event == hooks.ORDER_DECLINED:
        title = _("The factory declined order %(number)s") % {"number": number}
        body = _("%(supplier)s declined order %(number)s:\n\n%(reason)s") % {
            "supplier": order.supplier.name,
            "number": number,
            "reason": order.decline_reason,
        }
    elif event == hooks.ORDER_CONFIRMED_WITH_CHANGES:
        title = _("Order %(number)s confirmed with changes") % {"number": number}
        body = _(
            "%(supplier)s confirmed order %(number)s with these changes:\n%(lines)s\n\n%(reason)s\n\n"
            "Accept or reject them on the order's page; until then the order's values stand."
        ) % {"supplier": order.supplier.name, "number": number, "lines": lines, "reason": reasons}
    else:  # FACTORY_CHANGES_DECIDED
        decided = "\n".join(f"- {_change_line(c)}: {c.get_status_display()}" for c in changes)
        title = _("The buyer answered your changes to order %(number)s") % {"number": number}
        body = _("The buyer's answer:\n%(lines)s") % {"lines": decided}
    return title, body


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
        recipients = list(order.supplier.portal_users.filter(is_active=True))
        url = reverse("portal:order_detail", args=[order.pk])
    else:
        recipients = [order.buyer]
        url = reverse("orders:detail", args=[order.pk])
    created = []
    for user in recipients:
        if user.pk == by.pk:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = _order_event_text(event, order=order, changes=changes)
            created += notify(users=[user], title=title, body=body, url=url)
    return created
