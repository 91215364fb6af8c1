"""The demo's partnership outreach: a market insight to the active suppliers that one factory contact has read, a
policy change to two suppliers, and a new-product invitation that one factory answered, asked about and sampled."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from partnership.models import Announcement, ProductInvitation
from partnership.services import announcements, invitations, samples
from suppliers.models import ACTIVE_STAGES, Supplier

from .files import demo_pdf


def seed_outreach(*, buyer: User) -> None:
    """Publish two announcements and one product invitation; a second run changes nothing."""
    if Announcement.objects.exists() or ProductInvitation.objects.exists():
        return
    with_contacts = list(
        Supplier.objects.filter(
            portal_users__role=Role.SUPPLIER,
            portal_users__is_active=True,
            stage__in=ACTIVE_STAGES,
        )
        .distinct()
        .order_by("pk")[:2]
    )
    if not with_contacts:
        return
    insight = announcements.announcement_publish(
        by=buyer,
        kind=Announcement.Kind.MARKET_INSIGHT,
        title="Cotton prices up 8 % this quarter",
        body="Cotton futures rose 8 % since January. Book fabric for Q3 orders now; we will honour agreed prices "
        "until the end of June.",
        audience=Announcement.Audience.ALL,
    )
    first = with_contacts[0].portal_users.filter(is_active=True).order_by("pk").first()
    announcements.announcement_mark_read(announcement=insight, by=first)
    announcements.announcement_publish(
        by=buyer,
        kind=Announcement.Kind.POLICY_CHANGE,
        title="Carton labels carry the PO number from 1 May",
        body="From 1 May every outer carton must show our PO number and the line number on two sides.",
        audience=Announcement.Audience.CHOSEN,
        suppliers=with_contacts,
    )
    invitation = invitations.invitation_create(
        by=buyer,
        title="Bamboo-fibre lunch box, 800 ml",
        specification="Food-grade bamboo fibre and PP, two compartments, silicone seal, dishwasher safe. "
        "Colours: sage, sand. LFGB and FDA food contact.",
        respond_by=timezone.localdate() + timedelta(days=21),
        suppliers=with_contacts,
        target_price="2.15",
        currency="USD",
        target_volume=20000,
        files=[demo_pdf("Lunch box specification")],
    )
    invitee = invitation.invitees.get(supplier=with_contacts[0])
    invitations.invitation_respond(invitee=invitee, by=first, status="interested")
    invitations.invitation_message_post(
        invitee=invitee, by=first, text="Is a 5,000 MOQ for the first order fine?"
    )
    invitations.invitation_message_post(invitee=invitee, by=buyer, text="Yes: 5,000 for the first order.")
    samples.sample_record(
        invitee=invitee, by=first, sent_on=timezone.localdate(), quantity=6, tracking="SF1234567890"
    )
