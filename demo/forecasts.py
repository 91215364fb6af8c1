"""The demo's demand outlook: a rolling forecast in two versions for one factory, which committed capacity for one
month and reported a shortfall, with its reason, for another."""

from datetime import timedelta

from core.dates import add_months
from planning import services as planning
from planning.models import CapacityAnswer, Forecast
from planning.months import month_start
from suppliers.models import ProductCategory

from .history import History


def forecast_with_answers(history: History) -> None:
    """Publish version 1 (dated ten weeks back), then version 2 with changes; the factory answers version 2."""
    supplier = history.supplier
    if Forecast.objects.filter(supplier=supplier).exists():
        return
    skus = list(
        supplier.orders.values_list("lines__sku", flat=True)
        .exclude(lines__sku=None)
        .distinct()
        .order_by()[:2]
    ) or ["TSHIRT-BASIC"]
    category = (
        supplier.categories.order_by("name").first() or ProductCategory.objects.order_by("name").first()
    )
    first = month_start(history.today)
    months = [add_months(first, n) for n in range(6)]

    def lines(quantities, *, with_category=True):
        rows = [
            {"month": month, "sku": skus[0], "quantity": quantity, "confidence": confidence}
            for month, quantity, confidence in zip(
                months,
                quantities,
                ["firm", "firm", "likely", "likely", "indicative", "indicative"],
                strict=True,
            )
        ]
        if with_category and category is not None:
            rows.append(
                {"month": months[4], "category": category, "quantity": 3000, "confidence": "indicative"}
            )
        return rows

    first_version = planning.forecast_publish(
        supplier=supplier,
        by=history.buyer,
        lines=lines([4000, 4000, 5000, 5000, 6000, 6000]),
        note="Spring/summer outlook: the polo range grows from April.",
    )
    # Published ten weeks ago: orders placed now count as announced in the two-way card.
    back = timedelta(weeks=10)
    Forecast.objects.filter(pk=first_version.pk).update(
        published_on=first_version.published_on - back, published_at=first_version.published_at - back
    )
    second = planning.forecast_publish(
        supplier=supplier,
        by=history.buyer,
        lines=lines([4000, 4500, 7000, 5000, 5500, 6000], with_category=False),
        note="A retailer added stores: more in months 2 and 3; the category line is dropped.",
    )
    if history.portal is None:
        return
    planning.capacity_answer(
        forecast=second,
        by=history.portal,
        month=months[0],
        status=CapacityAnswer.Status.COMMITTED,
        committed_quantity=4000,
    )
    planning.capacity_answer(
        forecast=second,
        by=history.portal,
        month=months[2],
        status=CapacityAnswer.Status.SHORTFALL,
        committed_quantity=5500,
        reason="Two sewing lines are booked for another customer that month; 5,500 is what we can promise.",
    )
