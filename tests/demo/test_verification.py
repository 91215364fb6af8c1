"""The demo shows one verification policy and one supplier whose verification is due."""

import pytest

from audits.models import VerificationPolicy
from audits.verification import verification_status
from core.clock import business_today
from demo.verification import seed_verification
from suppliers.models import RiskTier, Stage
from tests.factories import AuditFactory, CapacityAssessmentFactory, CertificationFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_one_policy_and_a_supplier_with_verification_due_once(manager, quality):
    supplier = SupplierFactory(name="Approved Co", stage=Stage.APPROVED)
    AuditFactory(supplier=supplier, passed=True)
    CapacityAssessmentFactory(supplier=supplier, assessed_by=quality)
    CertificationFactory(supplier=supplier)  # everything fresh: the demo asks for one more certificate
    assert seed_verification(manager=manager) == supplier
    assert seed_verification(manager=manager) is None
    supplier.refresh_from_db()
    assert VerificationPolicy.objects.count() == 1 and supplier.risk_tier == RiskTier.HIGH
    assert any(row.flagged for row in verification_status(supplier=supplier, today=business_today()))
