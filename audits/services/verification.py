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


def _recheck(policy: VerificationPolicy) -> None:
    """Ask for the red-flag check of every active supplier the policy may cover (its due dates moved)."""
    suppliers = Supplier.objects.filter(risk_tier=policy.risk_tier)
    if policy.category_id:
        suppliers = suppliers.filter(categories=policy.category_id)
    for pk in suppliers.values_list("pk", flat=True).distinct():
        red_flags_request_check(pk)


@transaction.atomic
def verification_policy_save(
    *, by: User, policy: VerificationPolicy | None = None, **fields
) -> VerificationPolicy:
    """Create or change a verification policy (checked whole, unique per category and tier)."""
    _require(by)
    policy = policy or VerificationPolicy()
    for name in POLICY_FIELDS:
        if name in fields:
            setattr(policy, name, fields[name])
    policy.required_certificates = sorted(set(policy.required_certificates or []))
    policy.full_clean()
    policy.save()
    _recheck(policy)
    return policy


@transaction.atomic
def verification_policy_delete(*, by: User, policy: VerificationPolicy) -> None:
    """Remove a policy: its suppliers fall back to the default of their tier, if any."""
    _require(by)
    _recheck(policy)
    policy.delete()
