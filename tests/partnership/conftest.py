"""Fixtures of the partnership tests: the training tests' frozen day and an offered training."""

from datetime import date

import pytest
import time_machine

from partnership.services import training as services


@pytest.fixture
def training_day():
    """Freeze the clock on 5 December 2026, 09:00 UTC: the day the training tests' dates are written against."""
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


@pytest.fixture
def offered(training_day, supplier_a, buyer):
    """A training the buyer offered supplier A for 20 December 2026 (4 people)."""
    return services.training_record(
        by=buyer, supplier=supplier_a, topic="AQL sampling", held_on=date(2026, 12, 20), attendee_count=4
    )
