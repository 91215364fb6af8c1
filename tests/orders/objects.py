"""Objects of the orders app's disruptions for the isolation fixtures (merged into tests/conftest.py objects)."""

from datetime import timedelta

from django.utils import timezone

from orders.models import Disruption, DisruptionCause


def disruption_objects(supplier, manager_like):
    """A disruption that hit `supplier` (declared by a staff user)."""
    today = timezone.localdate()
    disruption = Disruption.objects.create(
        title=f"Typhoon over {supplier.name}",
        cause=DisruptionCause.WEATHER,
        region="Shenzhen ports",
        starts_on=today - timedelta(days=10),
        ends_on=today - timedelta(days=6),
        declared_by=manager_like,
    )
    disruption.suppliers.add(supplier)
    return {"disruption": disruption}
