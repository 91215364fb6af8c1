"""The demo's claimed vs observed: one supplier whose audit saw much less capacity than it claims."""

from accounts.models import User
from audits import services as audit_services
from audits.models import Audit, CapabilityObservation
from suppliers.models import CapabilityField, ProductCategory
from suppliers.services import capability_statement_save


def seed_capability(*, buyer: User, quality: User) -> None:
    """Give the first audited supplier a capability statement and an audit that finds a shortfall (run once)."""
    if CapabilityObservation.objects.exists():
        return
    audit = (
        Audit.objects.filter(status=Audit.Status.PERFORMED)
        .select_related("supplier")
        .order_by("performed_on", "pk")
        .first()
    )
    if audit is None:
        return
    supplier = audit.supplier
    category = (
        supplier.categories.order_by("name").first() or ProductCategory.objects.order_by("name").first()
    )
    supplier.categories.add(category)
    capability_statement_save(
        supplier=supplier,
        by=buyer,
        capacities={category: 50_000},
        production_lines=6,
        headcount=240,
        equipment="60 automatic sewing stations, 2 cutting tables",
        qc_steps="Incoming fabric check, in-line inspection every 2 hours, final AQL 2.5",
    )
    observed_on = audit.performed_on or audit.planned_on
    for field, value in (
        (CapabilityField.MONTHLY_CAPACITY, 30_000),
        (CapabilityField.PRODUCTION_LINES, 5),
        (CapabilityField.HEADCOUNT, 210),
    ):
        audit_services.capability_observe(
            audit=audit,
            by=quality,
            field=field,
            category=category if field == CapabilityField.MONTHLY_CAPACITY else None,
            quantity=value,
            observed_on=observed_on,
            note="One line idle on the day; the plant manager says it runs in peak season only."
            if field == CapabilityField.PRODUCTION_LINES
            else "",
        )
    audit_services.capability_observe(
        audit=audit,
        by=quality,
        field=CapabilityField.QC_STEPS,
        text="Incoming check and final AQL seen; no in-line inspection records",
        observed_on=observed_on,
    )
