"""An accepted registration becomes the supplier's capability statement (the "claimed" side of audits)."""

import pytest

from suppliers import registrations
from suppliers.models import CapabilityClaim, CapabilityField

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_accepting_a_registration_copies_declared_capacity_and_equipment_into_the_statement(invited, manager):
    fill(invited)
    registrations.registration_submit(registration=invited)
    supplier = registrations.registration_accept(registration=invited, by=manager)
    claims = {c.field: c for c in CapabilityClaim.objects.filter(supplier=supplier)}
    capacity = claims[CapabilityField.MONTHLY_CAPACITY]
    assert capacity.quantity == 80000 and capacity.category.name == "Apparel"
    assert capacity.source == CapabilityClaim.Source.REGISTRATION
    assert claims[CapabilityField.EQUIPMENT].text == "120 Juki sewing machines"


def test_accepting_twice_copies_the_statement_once(invited, manager):
    fill(invited)
    registrations.registration_submit(registration=invited)
    supplier = registrations.registration_accept(registration=invited, by=manager)
    registrations.registration_accept(registration=invited, by=manager)
    assert CapabilityClaim.objects.filter(supplier=supplier).count() == 2
