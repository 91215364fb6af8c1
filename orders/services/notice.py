"""The large-order warning: an order big for the factory, placed without the forecast notice it needed."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from planning import selectors as planning_selectors
from planning.rules import ADVANCE_NOTICE_WEEKS, LARGE_ORDER_SHARE

from ..models import OrderLine, PurchaseOrder


def order_short_notice_warning(
    *, order: PurchaseOrder, capacities: dict[int, int] | None = None
) -> str | None:
    """Return the warning the buyer must confirm before sending, or None.

    An order is large when its total quantity is above LARGE_ORDER_SHARE of the supplier's monthly capacity (its
    newest capacity assessment, else its registration's declared capacity); it warns when some of its lines were not
    in a forecast published ADVANCE_NOTICE_WEEKS before the order date (planning's one definition of notice).
    `capacities`: monthly_capacity() of suppliers including the order's, when the caller read them for many orders.
    """
    if capacities is None:
        capacities = planning_selectors.monthly_capacity(supplier_ids=[order.supplier_id])
    capacity = capacities.get(order.supplier_id)
    if not capacity:
        return None  # capacity unknown: nothing to compare with
    lines = OrderLine.objects.filter(order=order)
    total = lines.aggregate(total=Sum("quantity"))["total"] or 0
    if total <= capacity * LARGE_ORDER_SHARE:
        return None
    unannounced = list(
        planning_selectors.with_forecast_notice(lines)
        .filter(forecast_notice=False)
        .order_by("sku")
        .values_list("sku", flat=True)
        .distinct()
    )
    if not unannounced:
        return None
    return _(
        "This order (%(total)s units) is more than %(share)s %% of the factory's monthly capacity (%(capacity)s) "
        "and %(skus)s was not in a forecast published %(weeks)s weeks before the order date. The factory may not "
        "have planned for it: confirm that you send it at short notice."
    ) % {
        "total": total,
        "share": int(LARGE_ORDER_SHARE * 100),
        "capacity": capacity,
        "skus": ", ".join(unannounced),
        "weeks": ADVANCE_NOTICE_WEEKS,
    }
