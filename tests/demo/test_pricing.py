"""The demo's prices: agreements with a version history, one open price change, one cost breakdown asked."""

import pytest

from demo.pricing import seed_pricing
from pricing.models import CostBreakdownRequest, PriceAgreement, PriceChangeRequest
from tests.demo.test_payments import history_of

pytestmark = pytest.mark.django_db


def test_the_demo_agrees_prices_with_history_and_leaves_a_price_change_open(buyer, quality, manager):
    first, *_ = history_of(
        "Shenzhen Brightway Electronics", buyer=buyer, quality=quality, manager=manager, index=0
    )
    history_of("Saigon Garment Joint Stock", buyer=buyer, quality=quality, manager=manager, index=1)
    seed_pricing(buyer=buyer)
    assert PriceAgreement.objects.filter(version=2, source="new_version").count() == 2
    change = PriceChangeRequest.objects.get()
    assert (change.supplier, change.status) == (first, PriceChangeRequest.Status.REQUESTED)
    assert change.breakdown_total is not None
    assert CostBreakdownRequest.objects.filter(status="requested").count() == 1
    count = PriceAgreement.objects.count()
    seed_pricing(buyer=buyer)
    assert PriceAgreement.objects.count() == count  # running it again adds nothing
