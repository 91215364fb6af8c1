"""Objects of the demand outlook for the isolation fixtures (merged into tests/conftest.py objects)."""

from django.utils import timezone

from core.dates import add_months
from planning.models import CapacityAnswer, Forecast, ForecastLine
from planning.months import month_start


def forecast_objects(supplier, staff_user):
    """A published forecast for `supplier` with a line next month and the factory's shortfall answer to it."""
    month = add_months(month_start(timezone.localdate()), 1)
    forecast = Forecast.objects.create(
        supplier=supplier,
        version=1,
        published_on=timezone.localdate(),
        published_by=staff_user,
        note=f"Outlook for {supplier.name}",
    )
    ForecastLine.objects.create(forecast=forecast, month=month, sku=f"{supplier.name} tote", quantity=500)
    contact = supplier.portal_users.first() or staff_user
    CapacityAnswer.objects.create(
        forecast=forecast,
        month=month,
        status=CapacityAnswer.Status.SHORTFALL,
        committed_quantity=300,
        reason=f"{supplier.name} line maintenance",
        answered_by=contact,
    )
    return {"forecast": forecast}
