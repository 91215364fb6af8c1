"""The demo's re-verification: one policy for high-risk suppliers, and one supplier whose verification is due."""

from accounts.models import User
from audits import services as audit_services
from audits.models import VerificationPolicy
from audits.verification import verification_status
from core.clock import business_today
from suppliers.models import RiskTier, Stage, Supplier


def seed_verification(*, manager: User) -> Supplier | None:
    """Make the first approved supplier high-risk under a yearly policy with something due (run once)."""
    if VerificationPolicy.objects.exists():
        return None
    supplier = Supplier.objects.filter(stage=Stage.APPROVED).order_by("name").first()
    if supplier is None:
        return None
    policy = audit_services.verification_policy_save(
        by=manager,
        category=None,
        risk_tier=RiskTier.HIGH,
        audit_every_months=12,
        capacity_every_months=24,
        required_certificates=["iso_9001"],
        replacement_certificate="iso_13485",
        replacement_months_on_target=12,
    )
    supplier.risk_tier = RiskTier.HIGH
    supplier.save(update_fields=["risk_tier"])
    if not any(row.flagged for row in verification_status(supplier=supplier, today=business_today())):
        # Its evidence is all fresh: ask for a certificate it does not hold, so the demo shows one due.
        audit_services.verification_policy_save(
            by=manager, policy=policy, required_certificates=["iso_9001", "iso_14001"]
        )
    return supplier
