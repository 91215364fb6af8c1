"""Every write on a supplier's bank details: a change is only ever a request that staff verify.

The supplier's owner is told of each request (through a hook the communications app registers), and whoever
asked for a change cannot be the one who verifies it.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import require_capability

from ..models import ActivityKind, BankAccount, BankDetailsChange, Supplier
from .suppliers import _save
from .timeline import activity_record

BANK_FIELDS = ("account_holder", "bank_name", "swift", "account_number", "currency")

# Registered from communications' ready(): called with (change=...) when a change of bank details is requested.
_hooks: list[Callable] = []


def register_bank_change_hook(hook: Callable) -> None:
    """Call `hook(change=...)` whenever a change of bank details is requested, once per hook."""
    if hook not in _hooks:
        _hooks.append(hook)


@transaction.atomic
def bank_change_request(*, supplier: Supplier, by: User, reason: str, **fields) -> BankDetailsChange:
    """Ask for new bank details (a factory contact for its own company, or staff); nothing changes until verified."""
    if by.is_portal_user:
        if by.supplier_id != supplier.pk:
            raise PermissionDenied
    else:
        require_capability(by, "supplier.edit")
    unknown = set(fields) - set(BANK_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the bank details change.")})
    if BankDetailsChange.objects.filter(supplier=supplier, status=BankDetailsChange.Status.PENDING).exists():
        raise ValidationError(_("A change of bank details is already waiting for verification."))
    fields = {name: " ".join(str(value).split()) for name, value in fields.items()}
    for name in ("account_number", "swift", "currency"):
        if name in fields:
            fields[name] = fields[name].replace(" ", "").upper()
    change = BankDetailsChange(supplier=supplier, requested_by=by, requested_at=timezone.now())
    try:
        with transaction.atomic():
            _save(change, fields={**fields, "reason": reason.strip()})
    except IntegrityError:  # another request won the race for the one pending slot
        raise ValidationError(_("A change of bank details is already waiting for verification.")) from None
    activity_record(
        supplier=supplier,
        actor=by,
        target=change,
        kind=ActivityKind.BANK_CHANGE_REQUESTED,
        detail=f"{change.bank_name} {change.account_masked}",
    )
    for hook in _hooks:
        hook(change=change)
    return change


@transaction.atomic
def bank_change_decide(
    *, change: BankDetailsChange, by: User, approve: bool, note: str = ""
) -> BankDetailsChange:
    """Verify (and apply) or reject a requested change of bank details; the requester may not decide it."""
    require_capability(by, "supplier.edit")
    note = (note or "").strip()
    if change.requested_by_id == by.pk:
        raise ValidationError(_("Someone other than the requester must verify a change of bank details."))
    if not note:
        raise ValidationError({"note": _("Say how the change was verified (or why it is rejected).")})
    now = timezone.now()
    status = BankDetailsChange.Status.VERIFIED if approve else BankDetailsChange.Status.REJECTED
    won = BankDetailsChange.objects.filter(pk=change.pk, status=BankDetailsChange.Status.PENDING).update(
        status=status, decided_by=by, decided_at=now, note=note[:5000]
    )
    if not won:
        raise ValidationError(_("This change was already decided."))
    change.refresh_from_db()
    if approve:
        values = {name: getattr(change, name) for name in BANK_FIELDS}
        BankAccount.objects.update_or_create(
            supplier_id=change.supplier_id, defaults={**values, "updated_at": now, "verified_by": by}
        )
    kind = ActivityKind.BANK_CHANGE_VERIFIED if approve else ActivityKind.BANK_CHANGE_REJECTED
    activity_record(
        supplier=change.supplier_id,
        actor=by,
        target=change,
        kind=kind,
        detail=f"{change.bank_name} {change.account_masked}",
    )
    return change
