"""Notices of price changes and cost breakdowns to the other side (registered in workflow.HANDLERS).

The factory's steps (a request, its answer to a counter, a breakdown given) go to the supplier's owner; the
buyer's answers go to the factory's contacts, each in their own language.
"""

from django.urls import reverse

from suppliers.models import ActivityKind

from .notifications import notify


def _items(change, *, counter: bool = False) -> str:
    rows = change.items.select_related("agreement").order_by("pk")
    return ", ".join(
        f"{item.sku} {((item.counter_price if counter else None) or item.new_price).normalize():f} "
        f"{item.agreement.currency}"
        for item in rows
    )


def _tell_staff(activity, *, key: str, params: dict, url: str, also=()) -> None:
    from .workflow import staff_contacts

    users = staff_contacts(supplier_id=activity.supplier_id, also=also, actor=activity.actor)
    notify(users=users, key=key, params=params, url=url)


def _tell_factory(activity, target, *, key: str, params: dict, url: str) -> None:
    from .workflow import tell_factory

    tell_factory(supplier_id=activity.supplier_id, target=target, key=key, params=params, url=url)


def price_change_notify(activity, change) -> None:
    """Tell the other side of a price-change request's step."""
    supplier = change.supplier.name
    if activity.kind == ActivityKind.PRICE_CHANGE_REQUESTED:
        _tell_staff(
            activity,
            key="price_change_requested",
            params={
                "supplier": supplier,
                "day": str(change.effective_on),
                "reason": change.reason_category,
                "items": _items(change),
                "explanation": change.explanation,
            },
            url=change.get_absolute_url(),
        )
    elif activity.kind == ActivityKind.PRICE_COUNTER_ANSWERED:
        _tell_staff(
            activity,
            key="price_counter_answered",
            params={
                "supplier": supplier,
                "pk": change.pk,
                "status": change.status,
                "note": change.answer_note,
            },
            url=change.get_absolute_url(),
            also=[change.decided_by_id],  # the buyer who countered, besides the supplier's owner
        )
    else:
        key = {
            ActivityKind.PRICE_CHANGE_ACCEPTED: "price_change_accepted",
            ActivityKind.PRICE_CHANGE_COUNTERED: "price_change_countered",
            ActivityKind.PRICE_CHANGE_REFUSED: "price_change_refused",
        }[activity.kind]
        countered = activity.kind == ActivityKind.PRICE_CHANGE_COUNTERED
        _tell_factory(
            activity,
            change,
            key=key,
            params={
                "pk": change.pk,
                "day": str(change.counter_effective_on if countered else change.effective_on),
                "items": _items(change, counter=countered),
                "note": change.decision_note,
            },
            url=reverse("portal:price_change_detail", args=[change.pk]),
        )


def cost_breakdown_notify(activity, breakdown) -> None:
    """Tell the factory of a cost-breakdown request, and the buyer of the answer."""
    if activity.kind == ActivityKind.COST_BREAKDOWN_REQUESTED:
        _tell_factory(
            activity,
            breakdown,
            key="cost_breakdown_requested",
            params={"sku": breakdown.sku, "message": breakdown.message},
            url=reverse("portal:cost_breakdown_answer", args=[breakdown.pk]),
        )
    else:
        _tell_staff(
            activity,
            key="cost_breakdown_given",
            params={"supplier": breakdown.supplier.name, "sku": breakdown.sku},
            url=breakdown.get_absolute_url(),
            also=[breakdown.requested_by_id],
        )


HANDLERS = {
    ActivityKind.PRICE_CHANGE_REQUESTED: price_change_notify,
    ActivityKind.PRICE_CHANGE_ACCEPTED: price_change_notify,
    ActivityKind.PRICE_CHANGE_COUNTERED: price_change_notify,
    ActivityKind.PRICE_CHANGE_REFUSED: price_change_notify,
    ActivityKind.PRICE_COUNTER_ANSWERED: price_change_notify,
    ActivityKind.COST_BREAKDOWN_REQUESTED: cost_breakdown_notify,
    ActivityKind.COST_BREAKDOWN_GIVEN: cost_breakdown_notify,
}
