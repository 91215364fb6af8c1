"""Writes of announcements: the buyer publishes to an audience or withdraws; a factory contact marks one read."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability
from accounts.roles import Role
from communications.services.notifications import notify_messages
from core.inputs import single_line
from suppliers.models import ACTIVE_STAGES, ProductCategory, Supplier

from ..models import Announcement, AnnouncementRead, AnnouncementRecipient

PUBLISH = "announcement.publish"
# Who "all active suppliers" are: those the buyer works with now (as the scorecards count them).
MAX_BODY = 10000
MAX_CHOSEN = 500


def announcement_audience(
    *, audience: str, suppliers=(), category: ProductCategory | None = None
) -> list[int]:
    """Return the ids of the suppliers an audience names; refuse an audience that names none."""
    if audience == Announcement.Audience.ALL:
        ids = Supplier.objects.filter(stage__in=ACTIVE_STAGES).values_list("pk", flat=True)
    elif audience == Announcement.Audience.CHOSEN:
        wanted = {getattr(s, "pk", s) for s in suppliers or ()}
        if not wanted:
            raise ValidationError({"suppliers": _("Choose at least one supplier.")})
        if len(wanted) > MAX_CHOSEN:
            raise ValidationError({"suppliers": _("Choose at most %(n)s suppliers.") % {"n": MAX_CHOSEN}})
        ids = Supplier.objects.filter(pk__in=[w for w in wanted if isinstance(w, int)]).values_list(
            "pk", flat=True
        )
        if len(ids) != len(wanted):
            raise ValidationError({"suppliers": _("One of the chosen suppliers does not exist.")})
    elif audience == Announcement.Audience.CATEGORY:
        if category is None:
            raise ValidationError(
                {"category": _("Choose the product category whose suppliers should read this.")}
            )
        ids = Supplier.objects.filter(categories=category, stage__in=ACTIVE_STAGES).values_list(
            "pk", flat=True
        )
    else:
        raise ValidationError({"audience": _("Choose who should read this.")})
    ids = sorted(set(ids))
    if not ids:
        raise ValidationError(
            {"audience": _("No active supplier is in this audience; nothing was published.")}
        )
    return ids


@transaction.atomic
def announcement_publish(
    *,
    by: User,
    kind: str,
    title: str,
    body: str,
    audience: str,
    suppliers=(),
    category: ProductCategory | None = None,
) -> Announcement:
    """Publish an announcement to its audience and notify each supplier's factory contacts in their language."""
    require_capability(by, PUBLISH)
    title = single_line(title or "")
    body = (body or "").strip()
    if kind not in Announcement.Kind.values:
        raise ValidationError({"kind": _("Choose a market insight, an announcement or a policy change.")})
    if not title:
        raise ValidationError({"title": _("Give the announcement a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if not body:
        raise ValidationError({"body": _("Write the text the suppliers should read.")})
    if len(body) > MAX_BODY:
        raise ValidationError({"body": _("Keep the text under %(n)s characters.") % {"n": MAX_BODY}})
    supplier_ids = announcement_audience(audience=audience, suppliers=suppliers, category=category)
    announcement = Announcement.objects.create(
        kind=kind,
        title=title,
        body=body,
        audience=audience,
        category=category if audience == Announcement.Audience.CATEGORY else None,
        published_by=by,
        published_at=timezone.now(),
    )
    AnnouncementRecipient.objects.bulk_create(
        [AnnouncementRecipient(announcement=announcement, supplier_id=pk) for pk in supplier_ids]
    )
    contacts = User.objects.filter(supplier_id__in=supplier_ids, is_active=True, role=Role.SUPPLIER)
    url = reverse("portal:announcement_detail", args=[announcement.pk])
    params = {"kind": kind, "title": title, "text": body[:3000]}
    notify_messages([(user, "announcement_published", params, url) for user in contacts.order_by("pk")])
    return announcement


@transaction.atomic
def announcement_withdraw(*, announcement: Announcement, by: User) -> Announcement:
    """Withdraw an announcement: it leaves the portal at once; its read receipts stay for the record."""
    require_capability(by, PUBLISH)
    claimed = Announcement.objects.filter(pk=announcement.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by
    )
    if not claimed:
        raise ValidationError(_("This announcement was already withdrawn."))
    announcement.refresh_from_db(fields=["withdrawn_at", "withdrawn_by"])
    return announcement


@transaction.atomic
def announcement_mark_read(*, announcement: Announcement, by: User) -> AnnouncementRead:
    """Record a factory contact's read receipt (its first read time; marking it again changes nothing)."""
    if not by.is_portal_user or not by.supplier_id:
        raise PermissionDenied(_("Factory contacts mark announcements as read."))
    if announcement.is_withdrawn:
        raise ValidationError(_("This announcement was withdrawn."))
    if not AnnouncementRecipient.objects.filter(
        announcement=announcement, supplier_id=by.supplier_id
    ).exists():
        raise PermissionDenied
    read, _created = AnnouncementRead.objects.get_or_create(
        announcement=announcement,
        user=by,
        defaults={"supplier_id": by.supplier_id, "read_at": timezone.now()},
    )
    return read
