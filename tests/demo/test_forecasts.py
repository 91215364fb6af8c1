"""The demo's demand outlook: two versions of a forecast, and the factory's answers with one shortfall."""

import random

import pytest
from django.utils import timezone

from demo.forecasts import forecast_with_answers
from demo.history import History
from planning import selectors
from planning.models import CapacityAnswer, Forecast
from suppliers.models import Stage
from tests.factories import PortalUserFactory, ProductCategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_forecast_in_two_versions_and_a_shortfall_with_its_reason(buyer, quality, manager):
    supplier = SupplierFactory(name="Saigon Garment Joint Stock", owner=buyer, stage=Stage.APPROVED)
    supplier.categories.add(ProductCategoryFactory(name="Apparel"))
    history = History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=PortalUserFactory(supplier=supplier),
        rng=random.Random(1),
        today=timezone.localdate(),
        index=1,
    )
    forecast_with_answers(history)
    forecast_with_answers(history)  # a second run changes nothing
    first, second = Forecast.objects.filter(supplier=supplier).order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert (second.published_on - first.published_on).days == 70
    changes = {row.change for row in selectors.forecast_diff(forecast=second)[1]}
    assert {"up", "down", "removed"} <= changes
    shortfall = CapacityAnswer.objects.get(status="shortfall")
    assert shortfall.forecast == second and shortfall.reason
