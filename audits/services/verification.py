"""Writes of verification policies (what is re-verified how often, and what may replace an on-site audit)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from suppliers.models import Supplier
from suppliers.triggers import red_flags_request_check

from ..models import VerificationPolicy

POLICY_FIELDS = (
    "category",
    "risk_tier",
    "audit_every_months",
    "capacity_every_months",
    "required_certificates",
    "replacement_certificate",
    "replacement_months_on_target",
)


def _require(by: User) -> None:
    if not by.can("policy.edit"):
        raise PermissionDenied(_("Only a manager may change verification policies."))


def _recheck(*covers: tuple[str, int | None]) -> None:
    """Ask for the red-flag check of every supplier a policy covers or covered, given as (risk tier, category id or
    None for all): their due dates moved."""
    pks = set()
    for risk_tier, category_id in set(covers):
        suppliers = Supplier.objects.filter(risk_tier=risk_tier)
        if category_id:
            suppliers = suppliers.filter(categories=category_id)
        pks.update(suppliers.values_list("pk", flat=True).distinct())
    for pk in sorted(pks):
        red_flags_request_check(pk)


@transaction.atomic
def verification_policy_save(
    *, by: User, policy: VerificationPolicy | None = None, **fields
) -> VerificationPolicy:
    """Create or change a verification policy (checked whole, unique per category and tier)."""
    _require(by)
    policy = policy or VerificationPolicy()
    before = (policy.risk_tier, policy.category_id) if policy.pk else None  # moved: its old suppliers too
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    policy.required_certificates = sorted(set(policy.required_certificates or []))
    policy.full_clean()
    policy.save()
    _recheck((policy.risk_tier, policy.category_id), *([before] if before else []))
    return policy


@transaction.atomic
def verification_policy_delete(*, by: User, policy: VerificationPolicy) -> None:
    """Remove a policy: its suppliers fall back to the default of their tier, if any."""
    _require(by)
    _recheck((policy.risk_tier, policy.category_id))
    policy.delete()
