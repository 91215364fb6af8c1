"""The verification_due red flag: raised when a policy's requirement is due within 30 days or lapsed, resolved by
itself once the evidence is renewed, on the write that renews it and in the nightly scan; never shown to the factory."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audits import services as audit_services
from audits.models import Audit, VerificationPolicy
from communications.models import Notification
from scorecards import alerts
from scorecards.models import RedFlag, period_words
from suppliers import services as supplier_services
from suppliers.models import RiskTier, Stage
from tests.factories import AuditFactory, CertificationFactory, api_token_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
NOW = timezone.make_aware(timezone.datetime(2026, 6, 15, 12, 0))
Rule = RedFlag.Rule


@pytest.fixture
def watched(supplier_a, manager):
    """Supplier A, approved and high-risk, under a default policy: audit yearly, ISO 9001 held."""
    supplier_a.stage, supplier_a.risk_tier = Stage.APPROVED, RiskTier.HIGH
    supplier_a.save(update_fields=["stage", "risk_tier"])
    audit_services.verification_policy_save(
        by=manager, category=None, risk_tier=RiskTier.HIGH, audit_every_months=12,
        required_certificates=["iso_9001"],
    )  # fmt: skip
    CertificationFactory(supplier=supplier_a, valid_from=date(2025, 1, 1), valid_until=date(2027, 6, 1))
    return supplier_a


def scan():
    return alerts.flags_evaluate(today=TODAY, now=NOW)


def test_an_audit_due_within_30_days_raises_a_medium_flag(watched):
    AuditFactory(supplier=watched, status="performed", result="pass", performed_on=date(2025, 7, 1))
    [flag] = scan()
    assert (flag.rule, flag.period, flag.observed, flag.target, flag.severity) == (
        Rule.VERIFICATION_DUE, "verify-audit-2026-07-01", "due 2026-07-01", "every 12 months", "medium",
    )  # fmt: skip
    assert flag.detail == "On-site audit" and flag.owner == watched.owner
    assert period_words(flag.period) == "On-site audit due 2026-07-01"


def test_a_lapsed_certificate_and_a_never_done_audit_are_high_flags(watched):
    watched.certifications.update(valid_until=date(2026, 6, 1))
    flags = {flag.period: flag for flag in scan() if flag.rule == Rule.VERIFICATION_DUE}
    assert set(flags) == {"verify-audit-never", "verify-iso_9001-2026-06-01"}
    assert flags["verify-audit-never"].observed == "never"
    assert flags["verify-iso_9001-2026-06-01"].observed == "lapsed 2026-06-01"
    assert {flag.severity for flag in flags.values()} == {"high"}
    assert period_words("verify-audit-never") == "On-site audit, never done"
    assert period_words("verify-iso_9001-2026-06-01") == "ISO 9001 certificate due 2026-06-01"


def test_evidence_more_than_30_days_from_due_raises_nothing(watched):
    AuditFactory(supplier=watched, status="performed", result="pass", performed_on=date(2025, 7, 16))
    assert scan() == []


def test_a_supplier_without_a_policy_raises_nothing(supplier_b):
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    assert scan() == []


def test_scanning_twice_raises_the_flag_once(watched):
    AuditFactory(supplier=watched, passed=True, performed_on=date(2025, 7, 1))
    assert len(scan()) == 1
    assert scan() == []
    assert RedFlag.objects.filter(rule=Rule.VERIFICATION_DUE).count() == 1


@time_machine.travel(NOW, tick=False)
def test_performing_the_audit_resolves_the_flag_by_itself_on_that_write(
    watched, quality, django_capture_on_commit_callbacks
):
    AuditFactory(supplier=watched, passed=True, performed_on=date(2025, 7, 1))
    [flag] = scan()
    audit = AuditFactory(supplier=watched, planned_on=TODAY, lead_auditor=quality)
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.audit_complete(audit=audit, by=quality, performed_on=TODAY, summary="Renewed")
    assert Audit.objects.get(pk=audit.pk).result  # performed with a result
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED
    assert flag.note.startswith("Resolved by itself") and flag.notes.get().kind == "resolved"
    assert (
        not RedFlag.objects.exclude(state=RedFlag.State.RESOLVED).filter(rule=Rule.VERIFICATION_DUE).exists()
    )


@time_machine.travel(NOW, tick=False)
def test_a_renewed_certificate_resolves_its_flag_in_the_nightly_scan(watched, buyer):
    watched.certifications.update(valid_until=date(2026, 7, 1))
    AuditFactory(supplier=watched, passed=True, performed_on=date(2026, 3, 1))
    [flag] = [flag for flag in scan() if flag.rule == Rule.VERIFICATION_DUE]
    assert flag.period == "verify-iso_9001-2026-07-01"
    CertificationFactory(supplier=watched, valid_from=date(2026, 6, 1), valid_until=date(2029, 6, 1))
    assert [flag for flag in scan() if flag.rule == Rule.VERIFICATION_DUE] == []
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED


@time_machine.travel(NOW, tick=False)
def test_the_factory_is_never_shown_nor_told_of_a_verification_flag(watched, portal_a, client):
    scan()
    flag = RedFlag.objects.get(rule=Rule.VERIFICATION_DUE)
    assert not RedFlag.objects.visible_to(portal_a).exists()
    assert not Notification.objects.filter(user=portal_a).exists()
    client.force_login(portal_a)
    assert "verify-" not in client.get(reverse("portal:scorecard")).content.decode()
    token = {"HTTP_AUTHORIZATION": f"Token {api_token_for(portal_a)}"}
    assert client.get(reverse("api:red-flag-detail", args=[flag.pk]), **token).status_code == 404
    assert client.get(reverse("api:red-flag-list"), **token).json()["results"] == []


@time_machine.travel(NOW, tick=False)
def test_staff_see_the_flag_with_its_period_in_words(watched, buyer_client):
    scan()
    flag = RedFlag.objects.get(rule=Rule.VERIFICATION_DUE)
    page = buyer_client.get(reverse("scorecards:flag_detail", args=[flag.pk])).content.decode()
    assert "On-site audit, never done" in page


@time_machine.travel(NOW, tick=False)
def test_moving_a_supplier_to_a_tier_without_policy_resolves_its_flag(
    watched, buyer, django_capture_on_commit_callbacks
):
    scan()
    with django_capture_on_commit_callbacks(execute=True):
        supplier_services.supplier_update(supplier=watched, by=watched.owner, risk_tier=RiskTier.LOW)
    assert RedFlag.objects.get(rule=Rule.VERIFICATION_DUE).state == RedFlag.State.RESOLVED


def test_the_due_soon_window_is_30_days(watched):
    AuditFactory(supplier=watched, passed=True, performed_on=TODAY - timedelta(days=365) + timedelta(days=30))
    assert len(scan()) == 1


@time_machine.travel(NOW, tick=False)
def test_moving_a_policy_to_another_tier_rechecks_the_suppliers_it_covered(
    watched, manager, django_capture_on_commit_callbacks
):
    scan()
    assert RedFlag.objects.filter(rule=Rule.VERIFICATION_DUE).exclude(state=RedFlag.State.RESOLVED).exists()
    policy = VerificationPolicy.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        audit_services.verification_policy_save(by=manager, policy=policy, risk_tier=RiskTier.LOW)
    assert (
        not RedFlag.objects.filter(rule=Rule.VERIFICATION_DUE).exclude(state=RedFlag.State.RESOLVED).exists()
    )


def test_a_due_soon_flag_turns_high_once_its_requirement_lapses_with_the_same_due_date(watched):
    AuditFactory(supplier=watched, passed=True, performed_on=date(2025, 7, 1))
    [flag] = scan()
    assert (flag.severity, flag.observed) == ("medium", "due 2026-07-01")
    later = date(2026, 7, 2)
    for _ in range(2):  # the next scans raise no new flag, and say it once
        assert alerts.flags_evaluate(today=later, now=NOW + timedelta(days=17)) == []
    flag.refresh_from_db()
    assert (flag.severity, flag.observed, flag.period) == (
        "high",
        "lapsed 2026-07-01",
        "verify-audit-2026-07-01",
    )
    assert [note.text for note in flag.notes.all()] == [str(alerts.LAPSED_NOTE)]
    assert RedFlag.objects.filter(rule=Rule.VERIFICATION_DUE).count() == 1
