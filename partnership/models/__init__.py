"""The partnership ledger's models, one module per record kind."""

from .announcements import Announcement, AnnouncementRead, AnnouncementRecipient
from .ideas import IdeaComment, IdeaKind, ImprovementIdea, Side  # noqa: F401
from .invitations import InvitationMessage, InvitationSpecFile, Invitee, ProductInvitation, Sample
from .training import CommunityProgramme, Training  # noqa: F401

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
