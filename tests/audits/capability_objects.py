"""Objects of claimed vs observed for the isolation fixtures (merged into tests/conftest.py supplier_objects)."""

from django.utils import timezone

from audits.models import CapabilityObservation, VisitCadence, VisitNote, VisitPerson
from suppliers.models import CapabilityClaim, CapabilityField
from tests.factories import AuditFactory, ProductCategoryFactory


def capability_objects(supplier, quality):
    """A claimed monthly capacity of `supplier` and what a performed audit observed of it."""
    category = ProductCategoryFactory(name="Apparel")
    supplier.categories.add(category)
    claim = CapabilityClaim.objects.create(
        supplier=supplier,
        field=CapabilityField.MONTHLY_CAPACITY,
        category=category,
        quantity=10_000,
        unit="pcs",
        source=CapabilityClaim.Source.STAFF,
    )
    audit = AuditFactory(supplier=supplier, passed=True)
    observation = CapabilityObservation.objects.create(
        audit=audit,
        supplier=supplier,
        field=CapabilityField.MONTHLY_CAPACITY,
        category=category,
        quantity=5_000,
        observed_on=timezone.localdate(),
        note="Internal: line 2 idle",
        observed_by=quality,
    )
    person = VisitPerson.objects.create(audit=audit, supplier=supplier, role="supervisor", name="Line 2 lead")
    note = VisitNote.objects.create(
        audit=audit, supplier=supplier, kind="idea", text="Shared moulds", added_by=quality
    )
    return {
        "capability_claim": claim,
        "capability_observation": observation,
        "visit_person": person,
        "visit_note": note,
        "visit_cadence": VisitCadence.objects.create(supplier=supplier, every_months=12),
    }
