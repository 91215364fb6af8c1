"""The demo's scorecard contests: one waiting for a manager on a late delivery, one decided on a defective count."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from demo.contests import contests_open_and_decided
from demo.history import History
from scorecards.contests.models import RowContest
from suppliers.models import Stage
from tests.factories import PortalUserFactory, SupplierFactory
from tests.scorecards.builders import delivery, inspection

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_open_contest_and_a_decided_one_once(buyer, quality, manager):
    supplier = SupplierFactory(name="Saigon Garment Joint Stock", owner=buyer, stage=Stage.APPROVED)
    today = timezone.localdate()
    delivery(supplier, today - timedelta(days=20), today - timedelta(days=16))
    inspection(supplier, today - timedelta(days=10), 125, 6)
    history = History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=PortalUserFactory(supplier=supplier),
        rng=random.Random(1),
        today=today,
        index=1,
    )
    contests_open_and_decided(history)
    contests_open_and_decided(history)
    assert sorted(RowContest.objects.values_list("kind", "status")) == [
        ("delivery", "open"),
        ("inspection", "accepted"),
    ]
    assert RowContest.objects.get(kind="inspection").corrected_defective_units == 3
