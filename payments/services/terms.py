"""Payment-term changes: proposed to the supplier, accepted or disputed by it, or agreed another way."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability as _require
from accounts.permissions import require_own_supplier as _require_own
from communications.services import notify
from suppliers.models import ActivityKind, Supplier
from suppliers.services import activity_record

from .. import selectors
from ..models import (
    PaymentTermChange,
)

# --- Payment-term changes -------------------------------------------------------------------------------------


@transaction.atomic
def term_change_propose(
    *, supplier: Supplier, by: User, new_terms_days: int, effective_on: date, reason: str
) -> PaymentTermChange:
    """Propose new payment terms to a supplier; nothing changes until the supplier accepts them."""
    _require(by, "terms.propose")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the terms should change; the supplier reads it.")})
    if effective_on < timezone.localdate():
        raise ValidationError({"effective_on": _("New terms cannot take effect in the past.")})
    current = selectors.payment_terms_for(supplier=supplier, on=effective_on)
    if new_terms_days == current.days:
        raise ValidationError(
            {
                "new_terms_days": _("%(days)s days are already the terms in force (%(source)s).")
                % {"days": current.days, "source": current.source}
            }
        )
    if PaymentTermChange.objects.filter(supplier=supplier, status=PaymentTermChange.Status.PROPOSED).exists():
        raise ValidationError(_("A proposal to this supplier is already waiting for its answer."))
    change = PaymentTermChange(
        supplier=supplier,
        previous_terms_days=current.days,
        new_terms_days=new_terms_days,
        effective_on=effective_on,
        reason=reason,
        proposed_by=by,
    )
    change.full_clean()
    change.save()
    activity_record(
        supplier=supplier,
        actor=by,
        target=change,
        kind=ActivityKind.TERMS_PROPOSED,
        detail=f"{change.previous_terms_days} → {change.new_terms_days} days from {effective_on}: {reason}",
        url=change.get_absolute_url(),
    )
    _notify_factory_of_proposal(change)
    return change


def _notify_factory_of_proposal(change: PaymentTermChange) -> None:
    """Tell the supplier's portal users, each in their own language, through the notification outbox.

    The outbox row commits with the proposal; its email goes out after the commit and is retried when the mail
    server is down, so proposing never fails on SMTP and the factory is always told.
    """
    notify(
        users=change.supplier.portal_users.filter(is_active=True),
        key="terms_proposed",
        params={
            "days": change.new_terms_days,
            "old": change.previous_terms_days,
            "new": change.new_terms_days,
            "day": str(change.effective_on),
            "reason": change.reason,
        },
        url=reverse("portal:payment_terms"),
    )


def _term_transition(
    change: PaymentTermChange, *, allowed_from: set[str], to: str, **fields
) -> PaymentTermChange:
    """Move a term change on with a conditional update, so that of two answers exactly one wins."""
    won = PaymentTermChange.objects.filter(pk=change.pk, status__in=allowed_from).update(status=to, **fields)
    change.refresh_from_db()
    if not won:
        raise ValidationError(
            _("This proposal is %(status)s; it cannot be answered again.")
            % {"status": change.get_status_display().lower()}
        )
    return change


def _require_supplier_answer(by: User, change: PaymentTermChange) -> None:
    if not by.is_portal_user:
        raise PermissionDenied(
            _("Only the supplier answers a proposal; a manager may record an agreement reached another way.")
        )
    _require_own(by, change.supplier_id)


@transaction.atomic
def term_change_accept(*, change: PaymentTermChange, by: User, comment: str = "") -> PaymentTermChange:
    """The supplier accepts proposed terms: they apply to invoices dated from the effective date."""
    _require_supplier_answer(by, change)
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED},
        to=PaymentTermChange.Status.ACCEPTED,
        answered_by=by,
        answered_at=timezone.now(),
        supplier_comment=comment.strip(),
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=ActivityKind.TERMS_ACCEPTED,
        detail=f"{change.new_terms_days} days from {change.effective_on}",
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_dispute(*, change: PaymentTermChange, by: User, comment: str) -> PaymentTermChange:
    """The supplier disputes proposed terms with a comment; the terms stay as they are."""
    _require_supplier_answer(by, change)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": _("Tell us what you disagree with; the buyer reads it.")})
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED},
        to=PaymentTermChange.Status.DISPUTED,
        answered_by=by,
        answered_at=timezone.now(),
        supplier_comment=comment,
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=ActivityKind.TERMS_DISPUTED,
        detail=comment,
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_record_agreement(*, change: PaymentTermChange, by: User, note: str) -> PaymentTermChange:
    """A manager records that the supplier agreed another way (a call, a meeting, a letter); the terms apply."""
    _require(by, "terms.record_agreement")
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say how and with whom the agreement was reached.")})
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED, PaymentTermChange.Status.DISPUTED},
        to=PaymentTermChange.Status.AGREED,
        agreed_by=by,
        agreed_at=timezone.now(),
        agreement_note=note,
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=ActivityKind.TERMS_AGREED,
        detail=f"{change.new_terms_days} days from {change.effective_on}: {note}",
        url=change.get_absolute_url(),
    )
    return change


@transaction.atomic
def term_change_withdraw(*, change: PaymentTermChange, by: User) -> PaymentTermChange:
    """Withdraw a proposal that is waiting or disputed; the terms stay as they are."""
    _require(by, "terms.propose")
    change = _term_transition(
        change,
        allowed_from={PaymentTermChange.Status.PROPOSED, PaymentTermChange.Status.DISPUTED},
        to=PaymentTermChange.Status.WITHDRAWN,
        withdrawn_by=by,
        withdrawn_at=timezone.now(),
    )
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=ActivityKind.TERMS_WITHDRAWN,
        detail=f"{change.previous_terms_days} → {change.new_terms_days} days",
        url=change.get_absolute_url(),
    )
    return change
