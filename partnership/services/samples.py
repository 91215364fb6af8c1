"""Writes of samples for a product invitation: the factory records what it sent, the buyer evaluates it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability, require_own_supplier
from communications.services.notifications import notify
from communications.services.workflow import factory_contacts, staff_contacts
from core.clock import business_today
from core.inputs import MAX_QUANTITY, single_line

from ..models import Invitee, Sample
from .invitations import EDIT


@transaction.atomic
def sample_record(
    *, invitee: Invitee, by: User, sent_on, quantity: int, tracking: str = "", note: str = ""
) -> Sample:
    """Record samples the factory sent for an invitation it takes part in, and tell the buyer."""
    if not by.is_portal_user:
        raise PermissionDenied(_("The factory records the samples it sent."))
    require_own_supplier(by, invitee.supplier_id)
    invitation = invitee.invitation
    if invitation.is_withdrawn:
        raise ValidationError(_("This invitation was withdrawn; it takes no more answers."))
    if invitee.status == Invitee.Status.DECLINED:
        raise ValidationError(_("You declined this invitation; answer interested first to send samples."))
    if sent_on is None:
        raise ValidationError({"sent_on": _("Give the date the samples were sent.")})
    if sent_on > business_today():
        raise ValidationError({"sent_on": _("The samples cannot be sent on a future date.")})
    if sent_on < timezone.localdate(invitation.created_at):
        raise ValidationError({"sent_on": _("The samples cannot be sent before the invitation.")})
    if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(
            {"quantity": _("The quantity must be from 1 to %(max)s.") % {"max": MAX_QUANTITY}}
        )
    sample = Sample.objects.create(
        invitee=invitee,
        sent_on=sent_on,
        quantity=quantity,
        tracking=single_line(tracking or "")[:100],
        note=(note or "").strip()[:2000],
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    notify(
        users=staff_contacts(supplier_id=invitee.supplier_id, also=[invitation.created_by_id], actor=by),
        key="sample_sent",
        params={
            "supplier": invitee.supplier.name,
            "title": invitation.title,
            "quantity": quantity,
            "sent_on": str(sent_on),
            "tracking": sample.tracking,
            "note": sample.note[:500],
        },
        url=reverse("partnership:invitee_detail", args=[invitee.pk]),
    )
    return sample


@transaction.atomic
def sample_evaluate(*, sample: Sample, by: User, result: str, note: str = "") -> Sample:
    """Record the buyer's evaluation of samples (passed or failed, with a note) and tell the factory."""
    require_capability(by, EDIT)
    if result not in (Sample.Result.PASSED, Sample.Result.FAILED):
        raise ValidationError({"result": _("Choose passed or failed.")})
    note = (note or "").strip()[:2000]
    if result == Sample.Result.FAILED and not note:
        raise ValidationError(
            {"evaluation_note": _("Say why the samples failed, so the factory can correct it.")}
        )
    sample.result, sample.evaluation_note = result, note
    sample.evaluated_by, sample.evaluated_at = by, timezone.now()
    sample.save(update_fields=["result", "evaluation_note", "evaluated_by", "evaluated_at"])
    invitee = sample.invitee
    notify(
        users=factory_contacts(supplier_id=invitee.supplier_id),
        key="sample_evaluated",
        params={
            "title": invitee.invitation.title,
            "sent_on": str(sample.sent_on),
            "result": result,
            "note": note,
        },
        url=reverse("portal:invitation_detail", args=[invitee.invitation_id]),
    )
    return sample
