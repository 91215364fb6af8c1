"""Reads of announcements: lists for staff and the portal, one announcement, and who read it."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from accounts.models import User
from accounts.roles import Role

from ..models import Announcement, AnnouncementRead, AnnouncementRecipient


def _count(queryset) -> Coalesce:
    counted = queryset.order_by().values("announcement_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def announcement_list(*, user, kind: str = "") -> QuerySet:
    """Return the announcements a user may see, newest first.

    Staff get `recipient_count` and `read_count` (contacts who marked it read); a factory contact gets `read_by_me`.
    """
    announcements = Announcement.objects.visible_to(user).select_related("published_by", "category")
    if kind in Announcement.Kind.values:
        announcements = announcements.filter(kind=kind)
    if getattr(user, "is_portal_user", False):
        mine = AnnouncementRead.objects.filter(announcement_id=OuterRef("pk"), user_id=user.pk)
        return announcements.annotate(read_by_me=Exists(mine)).order_by("-published_at", "-pk")
    return announcements.annotate(
        recipient_count=_count(AnnouncementRecipient.objects.filter(announcement_id=OuterRef("pk"))),
        read_count=_count(AnnouncementRead.objects.filter(announcement_id=OuterRef("pk"))),
    ).order_by("-published_at", "-pk")


def announcement_get(*, user, pk) -> Announcement:
    """Return one announcement the user may see (404 otherwise: another supplier's, or a withdrawn one)."""
    return get_object_or_404(
        Announcement.objects.visible_to(user).select_related("published_by", "category", "withdrawn_by"),
        pk=pk,
    )


def announcement_read_by(*, announcement: Announcement, user) -> AnnouncementRead | None:
    """Return the user's own read receipt of an announcement, or None."""
    return AnnouncementRead.objects.filter(announcement=announcement, user_id=user.pk).first()


@dataclass
class ContactReceipt:
    """One factory contact of an audience supplier, and when it first read the announcement (None: not yet)."""

    user: User
    read_at: object = None


@dataclass
class SupplierReceipts:
    """One audience supplier with each of its contacts' receipts."""

    supplier: object
    contacts: list[ContactReceipt] = field(default_factory=list)

    @property
    def read_count(self) -> int:
        return sum(1 for contact in self.contacts if contact.read_at)

    @property
    def any_read(self) -> bool:
        return self.read_count > 0


def announcement_receipts(*, announcement: Announcement) -> list[SupplierReceipts]:
    """Return who read the announcement and who has not, per supplier and contact, in three queries.

    A contact who read it and has left since (deactivated) still shows with its receipt.
    """
    recipients = AnnouncementRecipient.objects.filter(announcement=announcement).select_related("supplier")
    rows = {r.supplier_id: SupplierReceipts(r.supplier) for r in recipients.order_by("supplier__name")}
    reads = {
        read.user_id: read
        for read in AnnouncementRead.objects.filter(announcement=announcement).select_related("user")
    }
    contacts = User.objects.filter(supplier_id__in=list(rows), role=Role.SUPPLIER, is_active=True).order_by(
        "email"
    )
    seen = set()
    for user in contacts:
        read = reads.get(user.pk)
        rows[user.supplier_id].contacts.append(ContactReceipt(user, read.read_at if read else None))
        seen.add(user.pk)
    for user_id, read in reads.items():
        if user_id not in seen and read.supplier_id in rows:
            rows[read.supplier_id].contacts.append(ContactReceipt(read.user, read.read_at))
    return list(rows.values())
