"""Objects of announcements and product invitations for the isolation fixtures (merged into tests/conftest.py)."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from partnership.models import (
    Announcement,
    AnnouncementRead,
    AnnouncementRecipient,
    InvitationMessage,
    InvitationSpecFile,
    Invitee,
    ProductInvitation,
    Sample,
)

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def outreach_objects(supplier, staff_user):
    """An announcement to `supplier` alone (read by its contact), and an invitation with a file, question, sample."""
    contact = supplier.portal_users.first()
    announcement = Announcement.objects.create(
        kind=Announcement.Kind.MARKET_INSIGHT,
        title=f"Cotton outlook for {supplier.name}",
        body=f"Prices rise for {supplier.name}",
        audience=Announcement.Audience.CHOSEN,
        published_by=staff_user,
    )
    AnnouncementRecipient.objects.create(announcement=announcement, supplier=supplier)
    if contact is not None:
        AnnouncementRead.objects.create(announcement=announcement, supplier=supplier, user=contact)
    invitation = ProductInvitation.objects.create(
        title=f"Bamboo tote for {supplier.name}",
        specification=f"Spec only {supplier.name} sees",
        respond_by=timezone.localdate() + timedelta(days=30),
        created_by=staff_user,
    )
    invitee = Invitee.objects.create(invitation=invitation, supplier=supplier)
    InvitationMessage.objects.create(
        invitee=invitee, author=contact or staff_user, from_factory=True, text=f"Question of {supplier.name}"
    )
    sample = Sample.objects.create(
        invitee=invitee, sent_on=timezone.localdate(), quantity=5, tracking="SF123", recorded_by=staff_user
    )
    spec_file = InvitationSpecFile.objects.create(
        invitation=invitation,
        file=ContentFile(PDF, name="spec.pdf"),
        label="spec.pdf",
        uploaded_by=staff_user,
    )
    return {
        "announcement": announcement,
        "product_invitation": invitation,
        "invitee": invitee,
        "sample": sample,
        "spec_file": spec_file,
    }
