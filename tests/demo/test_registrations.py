"""The demo shows a registration waiting for review and one just invited."""

import pytest

from demo.registrations import INVITED, WAITING, seed_registrations
from suppliers.models import Registration

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_registration_waiting_for_review_once(buyer):
    seed_registrations(buyer=buyer)
    seed_registrations(buyer=buyer)
    waiting = Registration.objects.get(company_name=WAITING)
    assert waiting.status == Registration.Status.SUBMITTED and waiting.business_licence
    assert Registration.objects.get(company_name=INVITED).status == Registration.Status.INVITED
    assert Registration.objects.count() == 2
