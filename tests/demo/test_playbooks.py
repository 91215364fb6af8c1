"""The demo shows one red-flag playbook action taken: a production review for an on-time flag, once."""

import pytest

from demo.flags import seed_playbook_action
from scorecards.models import RedFlag
from scorecards.playbooks.models import PlaybookAction

pytestmark = pytest.mark.django_db


def test_the_demo_takes_one_production_review_on_an_on_time_flag_once(buyer, supplier_a):
    flag = RedFlag.objects.create(
        supplier=supplier_a,
        rule=RedFlag.Rule.ON_TIME_DELIVERY,
        period="2026-W47",
        observed="80 % (8/10)",
        target="≥ 95 %",
        recommended_action="Review production schedules with the supplier.",
    )
    seed_playbook_action(buyer=buyer)
    action = PlaybookAction.objects.get()
    assert action.flag == flag and action.kind == PlaybookAction.Kind.PRODUCTION_REVIEW
    assert action.checkin.agenda
    seed_playbook_action(buyer=buyer)  # a second run finds the flag handled
    assert PlaybookAction.objects.count() == 1
