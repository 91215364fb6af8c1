"""Writes of new-product invitations: the buyer invites factories (with spec files) or withdraws; each invited
factory answers interested or declines, and both sides write in the invitation's private Q&A thread."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability, require_own_supplier
from accounts.roles import Role
from communications.services.notifications import notify, notify_messages
from communications.services.workflow import factory_contacts, staff_contacts
from core.clock import business_today
from core.inputs import LATEST_DATE, MAX_QUANTITY, single_line
from core.money import check_currency
from core.uploads import check_upload
from suppliers.models import Supplier

from ..models import InvitationMessage, InvitationSpecFile, Invitee, ProductInvitation
from ..models.invitations import MAX_PRICE

EDIT = "product_invitation.edit"
MAX_FILES = 10
MAX_INVITEES = 200


def check_spec_files(files) -> list:
    """Check every spec file by content and size before anything is stored; refuse the lot on the first bad one."""
    files = [f for f in files or () if f]
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Attach at most %(n)s files.") % {"n": MAX_FILES}})
    for upload in files:
        try:
            check_upload(upload)
        except ValidationError as exc:
            name = single_line(getattr(upload, "name", ""))[:80]
            raise ValidationError({"files": [f"{name}: {message}" for message in exc.messages]}) from exc
    return files


def _clean_targets(target_price, currency, target_volume) -> tuple:
    if target_price in ("", None):
        target_price = None
    else:
        try:
            target_price = Decimal(str(target_price))
        except InvalidOperation as exc:
            raise ValidationError({"target_price": _("Give the target price as a number.")}) from exc
        if not target_price.is_finite() or not 0 <= target_price <= MAX_PRICE:
            raise ValidationError(
                {"target_price": _("The target price must be from 0 to %(max)s.") % {"max": MAX_PRICE}}
            )
        target_price = target_price.quantize(Decimal("0.0001"))
    if target_price is not None:
        currency = check_currency(currency)
    if target_volume in ("", None):
        target_volume = None
    elif (
        isinstance(target_volume, bool)
        or not isinstance(target_volume, int)
        or not 1 <= target_volume <= MAX_QUANTITY
    ):
        raise ValidationError(
            {"target_volume": _("The target volume must be from 1 to %(max)s.") % {"max": MAX_QUANTITY}}
        )
    return target_price, currency if target_price is not None else "", target_volume


@transaction.atomic
def invitation_create(
    *,
    by: User,
    title: str,
    specification: str,
    respond_by,
    suppliers,
    target_price=None,
    currency: str = "",
    target_volume: int | None = None,
    files=(),
) -> ProductInvitation:
    """Invite suppliers to a new product and tell each one's factory contacts in their language."""
    require_capability(by, EDIT)
    title, specification = single_line(title or "")[:200], (specification or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the new product a title.")})
    if not specification:
        raise ValidationError(
            {"specification": _("Describe the product: what the factories should quote for.")}
        )
    if len(specification) > 20000:
        raise ValidationError({"specification": _("Keep the specification under 20000 characters.")})
    if respond_by is None:
        raise ValidationError({"respond_by": _("Give the date by which factories should answer.")})
    if respond_by <= business_today():
        raise ValidationError({"respond_by": _("The answer deadline must be after today.")})
    if respond_by > LATEST_DATE:
        raise ValidationError({"respond_by": _("The answer deadline is too far ahead.")})
    target_price, currency, target_volume = _clean_targets(target_price, currency, target_volume)
    ids = {getattr(s, "pk", s) for s in suppliers or ()}
    if not ids:
        raise ValidationError({"suppliers": _("Invite at least one supplier.")})
    if len(ids) > MAX_INVITEES:
        raise ValidationError({"suppliers": _("Invite at most %(n)s suppliers.") % {"n": MAX_INVITEES}})
    found = list(
        Supplier.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", flat=True)
    )
    if len(found) != len(ids):
        raise ValidationError({"suppliers": _("One of the chosen suppliers does not exist.")})
    files = check_spec_files(files)
    invitation = ProductInvitation.objects.create(
        title=title,
        specification=specification,
        target_price=target_price,
        currency=currency,
        target_volume=target_volume,
        respond_by=respond_by,
        created_by=by,
        created_at=timezone.now(),
    )
    Invitee.objects.bulk_create([Invitee(invitation=invitation, supplier_id=pk) for pk in sorted(found)])
    for upload in files:
        _store_file(invitation, upload, by)
    contacts = User.objects.filter(supplier_id__in=found, is_active=True, role=Role.SUPPLIER).order_by("pk")
    url = reverse("portal:invitation_detail", args=[invitation.pk])
    params = {"title": title, "respond_by": str(respond_by)}
    notify_messages([(user, "invitation_sent", params, url) for user in contacts])
    return invitation


def _store_file(invitation, upload, by) -> InvitationSpecFile:
    label = single_line(getattr(upload, "name", ""))[:200]
    spec = InvitationSpecFile(invitation=invitation, file=upload, label=label, uploaded_by=by)
    spec.full_clean()
    spec.save()
    return spec


@transaction.atomic
def invitation_add_files(*, invitation: ProductInvitation, by: User, files) -> list[InvitationSpecFile]:
    """Attach more specification files to an open invitation (each checked by content and size)."""
    require_capability(by, EDIT)
    if invitation.is_withdrawn:
        raise ValidationError(_("This invitation was withdrawn."))
    files = check_spec_files(files)
    if not files:
        raise ValidationError({"files": _("Choose a file to attach.")})
    if invitation.files.count() + len(files) > MAX_FILES:
        raise ValidationError({"files": _("An invitation holds at most %(n)s files.") % {"n": MAX_FILES}})
    return [_store_file(invitation, upload, by) for upload in files]


@transaction.atomic
def invitation_withdraw(*, invitation: ProductInvitation, by: User) -> ProductInvitation:
    """Withdraw an invitation: factories can no longer answer it and are told so."""
    require_capability(by, EDIT)
    if not ProductInvitation.objects.filter(pk=invitation.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    ):
        raise ValidationError(_("This invitation was already withdrawn."))
    invitation.refresh_from_db(fields=["withdrawn_at"])
    supplier_ids = list(invitation.invitees.values_list("supplier_id", flat=True))
    contacts = User.objects.filter(supplier_id__in=supplier_ids, is_active=True, role=Role.SUPPLIER).order_by(
        "pk"
    )
    url = reverse("portal:invitation_detail", args=[invitation.pk])
    notify_messages([(user, "invitation_withdrawn", {"title": invitation.title}, url) for user in contacts])
    return invitation


def check_factory_may_answer(invitee: Invitee, by: User) -> None:
    """Refuse a factory's write on an invitation that was withdrawn or whose deadline passed."""
    require_own_supplier(by, invitee.supplier_id)
    invitation = invitee.invitation
    if invitation.is_withdrawn:
        raise ValidationError(_("This invitation was withdrawn; it takes no more answers."))
    if business_today() > invitation.respond_by:
        raise ValidationError(
            _("The deadline to answer (%(date)s) has passed.") % {"date": f"{invitation.respond_by:%Y-%m-%d}"}
        )


@transaction.atomic
def invitation_respond(*, invitee: Invitee, by: User, status: str, reason: str = "") -> Invitee:
    """Record the factory's answer (interested, or declined with a reason) and tell the buyer."""
    if not by.is_portal_user:
        raise PermissionDenied(_("The factory answers its invitation."))
    check_factory_may_answer(invitee, by)
    reason = (reason or "").strip()[:2000]
    if status not in (Invitee.Status.INTERESTED, Invitee.Status.DECLINED):
        raise ValidationError({"status": _("Choose interested or declined.")})
    if status == Invitee.Status.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why you decline, so the buyer can learn from it.")})
    invitee.status, invitee.reason = status, reason
    invitee.answered_by, invitee.answered_at = by, timezone.now()
    invitee.save(update_fields=["status", "reason", "answered_by", "answered_at"])
    invitation = invitee.invitation
    notify(
        users=staff_contacts(supplier_id=invitee.supplier_id, also=[invitation.created_by_id], actor=by),
        key="invitation_answered",
        params={
            "supplier": invitee.supplier.name,
            "title": invitation.title,
            "status": status,
            "reason": reason,
        },
        url=reverse("partnership:invitee_detail", args=[invitee.pk]),
    )
    return invitee


@transaction.atomic
def invitation_message_post(*, invitee: Invitee, by: User, text: str) -> InvitationMessage:
    """Add a question (factory) or an answer (buyer) to the invitation's thread with that one supplier."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write your message.")})
    if len(text) > 4000:
        raise ValidationError({"text": _("Keep the message under 4000 characters.")})
    invitation = invitee.invitation
    if by.is_portal_user:
        check_factory_may_answer(invitee, by)
    else:
        require_capability(by, EDIT)
        if invitation.is_withdrawn:
            raise ValidationError(_("This invitation was withdrawn."))
    message = InvitationMessage.objects.create(
        invitee=invitee, author=by, from_factory=by.is_portal_user, text=text, created_at=timezone.now()
    )
    params = {"supplier": invitee.supplier.name, "title": invitation.title, "text": text[:3000]}
    if by.is_portal_user:
        notify(
            users=staff_contacts(supplier_id=invitee.supplier_id, also=[invitation.created_by_id], actor=by),
            key="invitation_question",
            params=params,
            url=reverse("partnership:invitee_detail", args=[invitee.pk]),
        )
    else:
        notify(
            users=factory_contacts(supplier_id=invitee.supplier_id),
            key="invitation_reply",
            params=params,
            url=reverse("portal:invitation_detail", args=[invitation.pk]),
        )
    return message
