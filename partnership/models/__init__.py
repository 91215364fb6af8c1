"""The partnership ledger's models, one module per record kind."""

from .announcements import Announcement, AnnouncementRead, AnnouncementRecipient
from .invitations import InvitationMessage, InvitationSpecFile, Invitee, ProductInvitation, Sample

__all__ = [
    "Announcement",
    "AnnouncementRead",
    "AnnouncementRecipient",
    "InvitationMessage",
    "InvitationSpecFile",
    "Invitee",
    "ProductInvitation",
    "Sample",
]
