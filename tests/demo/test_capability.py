"""The demo shows a supplier whose audit observed much less capacity than it claims."""

import pytest

from audits.capability_selectors import capability_comparison
from audits.models import CapabilityObservation
from demo.capability import seed_capability
from tests.factories import AuditFactory, ProductCategoryFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_one_supplier_with_a_capacity_shortfall_once(buyer, quality, supplier_a):
    supplier_a.categories.add(ProductCategoryFactory(name="Apparel"))
    AuditFactory(supplier=supplier_a, passed=True)
    seed_capability(buyer=buyer, quality=quality)
    seed_capability(buyer=buyer, quality=quality)
    rows = capability_comparison(user=buyer, supplier=supplier_a)
    assert [row.field for row in rows if row.shortfall] == ["monthly_capacity"]
    assert CapabilityObservation.objects.count() == 4
