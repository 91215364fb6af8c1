"""The demo's partnership outreach: a market insight one contact read, a policy change, a product invitation."""

import pytest

from demo.outreach import seed_outreach
from partnership.models import Announcement, AnnouncementRead, Invitee, ProductInvitation, Sample
from suppliers.models import Stage
from tests.factories import PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_two_announcements_and_an_answered_invitation_once(buyer):
    for name in ("Alpha Demo", "Beta Demo"):
        PortalUserFactory(supplier=SupplierFactory(name=name, stage=Stage.APPROVED))
    seed_outreach(buyer=buyer)
    assert set(Announcement.objects.values_list("kind", flat=True)) == {"market_insight", "policy_change"}
    assert AnnouncementRead.objects.count() == 1
    invitation = ProductInvitation.objects.get()
    assert invitation.files.count() == 1
    assert Invitee.objects.filter(status="interested").count() == 1
    assert Sample.objects.count() == 1
    seed_outreach(buyer=buyer)
    assert (
        Announcement.objects.count() == 2 and ProductInvitation.objects.count() == 1
    )  # a rerun adds nothing
