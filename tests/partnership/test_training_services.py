"""Training and community programmes: an offer is dated today or later, the factory accepts it, staff record it
given; programmes have a sane period and a contribution."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from communications.models import Notification
from partnership.models import CommunityProgramme, Training
from partnership.services import training as services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("training_day")]


def offer(by, supplier, **overrides):
    data = {"topic": "AQL sampling", "held_on": date(2026, 12, 20), "people": "QC team", "attendee_count": 4}
    return services.training_record(by=by, supplier=supplier, **{**data, **overrides})


def test_an_offer_tells_the_factory_and_it_accepts(supplier_a, buyer, portal_a):
    training = offer(buyer, supplier_a)
    assert Notification.objects.filter(user=portal_a, message_key="training_offered").exists()
    training = services.training_accept(training=training, by=portal_a)
    assert (training.status, training.accepted_by) == (Training.Status.ACCEPTED, portal_a)
    assert Notification.objects.filter(user=buyer, message_key="training_accepted").exists()


def test_a_past_dated_offer_is_refused_and_nothing_is_written(supplier_a, buyer):
    with pytest.raises(ValidationError, match="not a past one"):
        offer(buyer, supplier_a, held_on=date(2026, 12, 4))
    assert not Training.objects.exists()


def test_a_training_given_is_not_dated_in_the_future(supplier_a, buyer):
    with pytest.raises(ValidationError, match="future"):
        offer(buyer, supplier_a, status="given")
    assert offer(buyer, supplier_a, status="given", held_on=date(2026, 11, 2)).status == "given"


@pytest.mark.parametrize("count", [-1, 10_001, "4", True])
def test_the_number_of_people_is_bounded(supplier_a, buyer, count):
    with pytest.raises(ValidationError, match="number of people"):
        offer(buyer, supplier_a, attendee_count=count)


def test_another_factory_cannot_accept_and_staff_cannot_accept_for_it(supplier_a, buyer, portal_b):
    training = offer(buyer, supplier_a)
    with pytest.raises(PermissionDenied):
        services.training_accept(training=training, by=portal_b)
    with pytest.raises(PermissionDenied):
        services.training_accept(training=training, by=buyer)
    training.refresh_from_db()
    assert training.status == Training.Status.OFFERED


def test_a_training_is_marked_given_once_and_not_before_its_day(supplier_a, buyer):
    training = offer(buyer, supplier_a)
    with pytest.raises(ValidationError, match="record it as given on or after"):
        services.training_mark_given(training=training, by=buyer)
    with time_machine.travel("2026-12-21 09:00 +00:00", tick=False):
        training = services.training_mark_given(training=training, by=buyer, attendee_count=6)
        assert (training.status, training.attendee_count) == (Training.Status.GIVEN, 6)
        with pytest.raises(ValidationError, match="already"):
            services.training_mark_given(training=training, by=buyer)


def test_a_factory_cannot_record_training_or_programmes(supplier_a, portal_a):
    with pytest.raises(PermissionDenied):
        offer(portal_a, supplier_a)
    with pytest.raises(PermissionDenied):
        services.programme_record(
            by=portal_a, supplier=supplier_a, name="School", starts_on=date(2026, 1, 1), contribution="Books"
        )


def test_a_programme_ends_after_it_starts_and_names_a_contribution(supplier_a, buyer):
    with pytest.raises(ValidationError, match="ends on or after"):
        services.programme_record(
            by=buyer,
            supplier=supplier_a,
            name="School",
            starts_on=date(2026, 6, 1),
            ends_on=date(2026, 5, 1),
            contribution="Books",
        )
    with pytest.raises(ValidationError, match="contribution"):
        services.programme_record(
            by=buyer, supplier=supplier_a, name="School", starts_on=date(2026, 6, 1), contribution=""
        )
    assert not CommunityProgramme.objects.exists()
    programme = services.programme_record(
        by=buyer, supplier=supplier_a, name="School", starts_on=date(2026, 6, 1), contribution="Books"
    )
    assert programme.recorded_by == buyer
