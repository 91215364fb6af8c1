"""The demo's portal invitations: one waiting to be accepted, and one contact who joined through a link."""

from accounts.models import User
from suppliers import invitations
from suppliers.models import Contact, Supplier

# Supplier: what happens to the invitation of its QC manager.
PENDING = "Shenzhen Brightway Electronics"  # invited in Chinese, the link not used yet
ACCEPTED = "Saigon Garment Joint Stock"  # invited in Vietnamese, signed up: an active portal account


def seed_invitations(*, supplier: Supplier, buyer: User, password: str) -> None:
    """Invite the QC manager of the two demo factories whose portals are shown; one of them has accepted."""
    if supplier.name not in (PENDING, ACCEPTED):
        return
    contact = supplier.contacts.filter(role=Contact.Role.QUALITY).first()
    if contact is None or contact.invitations.exists():  # seeded already
        return
    invitation = invitations.contact_invite(contact=contact, by=buyer)
    if supplier.name == ACCEPTED:
        invitations.invitation_accept(token=invitations.invitation_token(invitation), password=password)
