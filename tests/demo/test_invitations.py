"""The demo's invitations: one pending link and one contact who joined through theirs."""

import pytest

from demo.invitations import ACCEPTED, PENDING, seed_invitations
from suppliers.models import Contact, PortalInvitation
from tests.factories import ContactFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_pending_invitation_and_an_active_invited_contact(buyer):
    for name in (PENDING, ACCEPTED, "Bursa Tekstil"):
        supplier = SupplierFactory(name=name, owner=buyer, country="VN" if name == ACCEPTED else "CN")
        ContactFactory(supplier=supplier, role=Contact.Role.QUALITY)
        seed_invitations(supplier=supplier, buyer=buyer, password="forgeline-demo")
        seed_invitations(supplier=supplier, buyer=buyer, password="forgeline-demo")  # again: nothing more
    pending = PortalInvitation.objects.get(supplier__name=PENDING)
    assert pending.status == PortalInvitation.Status.PENDING and pending.language == "zh-hans"
    accepted = PortalInvitation.objects.get(supplier__name=ACCEPTED)
    assert accepted.status == PortalInvitation.Status.ACCEPTED and accepted.user.is_active
    assert accepted.user.language == "vi"
    assert PortalInvitation.objects.count() == 2
