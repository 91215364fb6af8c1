"""Every write of improvement ideas: either side proposes, both comment, the buyer reviews, accepts or declines,
and records the implementation with its realised saving. The other side is told in its own language."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability, require_own_supplier
from communications.services.notifications import notify
from communications.services.workflow import staff_contacts, tell_factory
from core.clock import business_today
from core.inputs import EARLIEST_DATE, single_line
from core.money import check_currency, check_decimals
from orders.models import PurchaseOrder
from suppliers.models import Supplier

from ..models import IdeaComment, IdeaKind, ImprovementIdea, Side
from ..models.ideas import MAX_SAVING

EDIT = "partnership.edit"
Status = ImprovementIdea.Status

# The review's state machine: which status may follow which. Implemented and declined are final.
TRANSITIONS = {
    Status.PROPOSED: {Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED},
    Status.UNDER_REVIEW: {Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: {Status.IMPLEMENTED, Status.DECLINED},
    Status.IMPLEMENTED: set(),
    Status.DECLINED: set(),
}


def _check_saving(value, *, currency: str, field: str) -> Decimal | None:
    """Return a saving as a Decimal, or None; refuse a negative, huge or over-precise amount."""
    if value is None or value == "":
        return None
    try:
        value = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: _("Give the saving as a number.")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("Give the saving as a number.")})
    if value < 0:
        raise ValidationError({field: _("A saving cannot be negative.")})
    if value > MAX_SAVING:
        raise ValidationError({field: _("A saving is at most %(max)s.") % {"max": f"{MAX_SAVING:,}"}})
    check_decimals(value, currency, field=field)
    return value


def _check_order(order, *, supplier: Supplier):
    """Refuse an order reference of another supplier, as if it did not exist."""
    if order is None:
        return None
    if order.supplier_id != supplier.pk:
        raise ValidationError({"order": _("This order is not one of this supplier's orders.")})
    return order


def _tell_other_side(idea: ImprovementIdea, *, by: User, key: str, params: dict) -> None:
    """Notify the factory when staff acted, or the supplier's owner (and a staff author) when the factory did."""
    if by.is_portal_user:
        also = [idea.raised_by_id] if idea.raised_side == Side.BUYER else []
        notify(
            users=staff_contacts(supplier_id=idea.supplier_id, also=also, actor=by),
            key=key,
            params=params,
            url=idea.get_absolute_url(),
        )
    else:
        tell_factory(
            supplier_id=idea.supplier_id,
            target=idea,
            key=key,
            params=params,
            url=reverse("portal:partnership_idea_detail", args=[idea.pk]),
        )


@transaction.atomic
def idea_propose(
    *,
    by: User,
    supplier: Supplier,
    kind: str,
    title: str,
    description: str,
    sku: str = "",
    order: PurchaseOrder | None = None,
    currency: str = "USD",
    estimated_annual_saving=None,
    credited_to: str | None = None,
) -> ImprovementIdea:
    """Record an improvement idea raised by a factory contact (for its own company) or by staff."""
    if by.is_portal_user:
        require_own_supplier(by, supplier.pk)
        side, credited_to = Side.FACTORY, Side.FACTORY
    else:
        require_capability(by, EDIT)
        side = Side.BUYER
        credited_to = credited_to or Side.BUYER
    if kind not in IdeaKind.values:
        raise ValidationError({"kind": _("Choose what the idea improves.")})
    if credited_to not in Side.values:
        raise ValidationError({"credited_to": _("Choose the side the idea is credited to.")})
    title = single_line(title or "")[:200]
    if not title:
        raise ValidationError({"title": _("Give the idea a short title.")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the idea.")})
    currency = check_currency(currency)
    saving = _check_saving(estimated_annual_saving, currency=currency, field="estimated_annual_saving")
    idea = ImprovementIdea.objects.create(
        supplier=supplier,
        kind=kind,
        title=title,
        description=description[:5000],
        sku=single_line(sku or "")[:64],
        order=_check_order(order, supplier=supplier),
        currency=currency,
        estimated_annual_saving=saving,
        raised_by=by,
        raised_side=side,
        raised_at=timezone.now(),
        credited_to=credited_to,
    )
    key = "idea_proposed_by_factory" if by.is_portal_user else "idea_proposed_by_buyer"
    _tell_other_side(idea, by=by, key=key, params={"supplier": supplier.name, "title": title, "kind": kind})
    return idea


def _require_reviewer(by: User) -> None:
    if by.is_portal_user:
        raise PermissionDenied(_("The buyer reviews improvement ideas."))
    require_capability(by, EDIT)


def _locked(idea: ImprovementIdea) -> ImprovementIdea:
    """Return the idea's row locked for this transaction, so two reviewers cannot both move it."""
    return ImprovementIdea.objects.select_for_update().get(pk=idea.pk)


@transaction.atomic
def idea_transition(
    *, idea: ImprovementIdea, by: User, to: str, decline_reason: str = "", review_note: str | None = None
) -> ImprovementIdea:
    """Move an idea to under review, accepted or declined (with a reason); refuse a move the review does not allow."""
    _require_reviewer(by)
    idea = _locked(idea)
    if to == Status.IMPLEMENTED:
        raise ValidationError(_("Record the implementation with its date and realised saving."))
    if to not in Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if to not in TRANSITIONS[idea.status]:
        raise ValidationError(
            _("An idea that is %(current)s cannot become %(to)s.")
            % {"current": idea.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    decline_reason = (decline_reason or "").strip()
    if to == Status.DECLINED and not decline_reason:
        raise ValidationError({"decline_reason": _("Say why the idea is declined; the factory reads it.")})
    idea.status = to
    idea.decline_reason = decline_reason[:2000] if to == Status.DECLINED else ""
    if review_note is not None:
        idea.review_note = review_note.strip()[:5000]
    idea.decided_by = by
    idea.updated_at = timezone.now()
    idea.save(update_fields=["status", "decline_reason", "review_note", "decided_by", "updated_at"])
    _tell_other_side(
        idea,
        by=by,
        key="idea_status_changed",
        params={"title": idea.title, "status": to, "reason": decline_reason},
    )
    return idea


@transaction.atomic
def idea_record_implementation(
    *, idea: ImprovementIdea, by: User, implemented_on: date | None, realised_saving
) -> ImprovementIdea:
    """Record an accepted idea as implemented on a day with its realised saving (or correct an implemented one)."""
    _require_reviewer(by)
    idea = _locked(idea)
    if idea.status not in (Status.ACCEPTED, Status.IMPLEMENTED):
        raise ValidationError(
            _(
                "A realised saving is recorded only on an implemented idea; this one is %(status)s. Accept it first."
            )
            % {"status": idea.get_status_display().lower()}
        )
    if implemented_on is None:
        raise ValidationError({"implemented_on": _("Give the day the idea was implemented.")})
    if not EARLIEST_DATE <= implemented_on <= business_today():
        raise ValidationError({"implemented_on": _("The day of implementation cannot be in the future.")})
    if realised_saving is None or realised_saving == "":
        raise ValidationError({"realised_saving": _("Give the realised saving (0 when there was none).")})
    saving = _check_saving(realised_saving, currency=idea.currency, field="realised_saving")
    first_time = idea.status == Status.ACCEPTED
    idea.status = Status.IMPLEMENTED
    idea.implemented_on = implemented_on
    idea.realised_saving = saving
    idea.decided_by = by
    idea.updated_at = timezone.now()
    idea.save(update_fields=["status", "implemented_on", "realised_saving", "decided_by", "updated_at"])
    if first_time:
        _tell_other_side(
            idea,
            by=by,
            key="idea_implemented",
            params={
                "title": idea.title,
                "implemented_on": str(implemented_on),
                "saving": f"{saving:,}",
                "currency": idea.currency,
            },
        )
    return idea


@transaction.atomic
def idea_note_update(*, idea: ImprovementIdea, by: User, review_note: str) -> ImprovementIdea:
    """Replace the buyer's internal review note (never shown to the factory)."""
    _require_reviewer(by)
    idea.review_note = (review_note or "").strip()[:5000]
    idea.save(update_fields=["review_note"])
    return idea


@transaction.atomic
def idea_comment(*, idea: ImprovementIdea, by: User, body: str) -> IdeaComment:
    """Add a comment to an idea (the factory on its own ideas, staff on any); the other side is told."""
    if by.is_portal_user:
        require_own_supplier(by, idea.supplier_id)
    elif not by.is_staff_member:
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment.")})
    if len(body) > 2000:
        raise ValidationError({"body": _("A comment has at most 2000 characters.")})
    comment = IdeaComment.objects.create(idea=idea, author=by, body=body, created_at=timezone.now())
    _tell_other_side(
        idea,
        by=by,
        key="idea_commented",
        params={"title": idea.title, "author": by.full_name or by.email, "text": body[:300]},
    )
    return comment
