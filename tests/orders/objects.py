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


def production_objects(supplier, staff_user):
    """An order of `supplier` in production, with its plan, one log entry and its lot (written directly)."""
    from orders.models import OrderLine, ProductionLog, ProductionLot, ProductionPlan, PurchaseOrder

    today = timezone.localdate()
    order = PurchaseOrder.objects.create(
        number=f"PO-PROD-{supplier.pk}",
        supplier=supplier,
        buyer=staff_user,
        ordered_on=today - timedelta(days=30),
        status=PurchaseOrder.Status.IN_PRODUCTION,
    )
    line = OrderLine.objects.create(
        order=order,
        sku=f"PROD-{supplier.pk}",
        description="Production line item",
        quantity=500,
        unit_price=1,
        required_on=today + timedelta(days=30),
    )
    plan = ProductionPlan.objects.create(
        order=order, supplier=supplier, started_on=today - timedelta(days=5), planned_finish_on=today
    )
    lot = ProductionLot.objects.create(order=order, line=line, supplier=supplier, number=f"LOT-{supplier.pk}")
    log = ProductionLog.objects.create(
        order=order,
        line=line,
        supplier=supplier,
        produced_on=today - timedelta(days=1),
        quantity=100,
        logged_by=staff_user,
    )
    log.lots.add(lot)
    return {"production_order": order, "production_plan": plan, "production_log": log}
