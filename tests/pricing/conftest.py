import pytest

from suppliers.models import Stage
from tests.pricing.builders import agree


@pytest.fixture
def approved_a(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    return supplier_a


@pytest.fixture
def tote(approved_a, buyer):
    """Supplier A's agreed price for TOTE-01: 3.40 USD from 90 days ago, open-ended."""
    return agree(approved_a, by=buyer)
