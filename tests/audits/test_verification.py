"""Verification policies: the service's rules, the status of each requirement, the staff page and the API."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audits import services
from audits.models import Audit, VerificationPolicy
from audits.verification import DUE_SOON, LAPSED, OK, verification_status, verification_status_bulk
from suppliers.gates import evaluate_gates
from suppliers.models import RiskTier, Stage
from tests.factories import (
    AuditFactory,
    CapacityAssessmentFactory,
    CertificationFactory,
    ClientReferenceFactory,
    ContactFactory,
    PilotProgramFactory,
    ProductCategoryFactory,
    SupplierFactory,
    api_token_for,
)

TODAY = date(2026, 6, 15)


def _policy(manager, **fields):
    values = {"category": None, "risk_tier": RiskTier.HIGH, "audit_every_months": 12}
    return services.verification_policy_save(by=manager, **(values | fields))


@pytest.fixture
def high_risk(supplier_a):
    supplier_a.risk_tier = RiskTier.HIGH
    supplier_a.save(update_fields=["risk_tier"])
    return supplier_a


# --- Service ---------------------------------------------------------------------------------------------------


def test_manager_saves_a_default_policy(manager):
    policy = _policy(manager, required_certificates=["iso_9001", "iso_9001"], capacity_every_months=24)
    assert policy.pk and policy.required_certificates == ["iso_9001"]
    assert str(policy) == "All categories — High risk"


def test_buyer_may_not_change_a_policy(buyer):
    with pytest.raises(PermissionDenied):
        _policy(buyer)


def test_second_default_policy_for_the_same_tier_is_refused(manager):
    _policy(manager)
    with pytest.raises(ValidationError):
        _policy(manager, audit_every_months=6)
    assert VerificationPolicy.objects.count() == 1


def test_a_category_policy_is_unique_per_tier_but_beside_the_default(manager):
    category = ProductCategoryFactory(name="Medical devices")
    _policy(manager)
    _policy(manager, category=category)
    with pytest.raises(ValidationError):
        _policy(manager, category=category, audit_every_months=3)


@pytest.mark.parametrize(
    "fields",
    [
        {"audit_every_months": 0},
        {"audit_every_months": 61},
        {"audit_every_months": None},  # requires nothing
        {"replacement_certificate": "iso_9001"},  # no months on target
        {"replacement_months_on_target": 12},  # no certificate
        {
            "audit_every_months": None,
            "capacity_every_months": 12,
            "replacement_certificate": "iso_9001",
            "replacement_months_on_target": 12,
        },  # a replacement without an audit to replace
        {"required_certificates": ["no_such_standard"]},
    ],
)
def test_a_policy_that_makes_no_sense_is_refused_and_nothing_saved(manager, fields):
    with pytest.raises(ValidationError):
        _policy(manager, **fields)
    assert not VerificationPolicy.objects.exists()


# --- Status ----------------------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_each_requirement_has_its_last_evidence_due_date_and_state(manager, high_risk, quality):
    _policy(manager, capacity_every_months=24, required_certificates=["iso_9001", "iso_14001"])
    AuditFactory(supplier=high_risk, status="performed", result="pass", performed_on=date(2025, 7, 1))
    CapacityAssessmentFactory(supplier=high_risk, assessed_by=quality, assessed_on=date(2024, 6, 1))
    CertificationFactory(supplier=high_risk, valid_from=date(2024, 1, 1), valid_until=date(2027, 1, 1))
    rows = {row.code: row for row in verification_status(supplier=high_risk, today=TODAY)}
    assert (rows["audit"].last_on, rows["audit"].due_on, rows["audit"].state) == (
        date(2025, 7, 1),
        date(2026, 7, 1),
        DUE_SOON,
    )
    assert (rows["capacity"].due_on, rows["capacity"].state) == (date(2026, 6, 1), LAPSED)
    assert (rows["cert:iso_9001"].due_on, rows["cert:iso_9001"].state) == (date(2027, 1, 1), OK)
    assert (rows["cert:iso_14001"].last_on, rows["cert:iso_14001"].state) == (None, LAPSED)
    assert rows["audit"].flagged and not rows["cert:iso_9001"].flagged


@time_machine.travel(TODAY, tick=False)
def test_a_failed_audit_or_an_unverified_certificate_is_no_evidence(manager, high_risk):
    _policy(manager, required_certificates=["iso_9001"])
    AuditFactory(
        supplier=high_risk, status="performed", result=Audit.Result.FAIL, performed_on=date(2026, 6, 1)
    )
    CertificationFactory(supplier=high_risk, status="pending")
    rows = {row.code: row for row in verification_status(supplier=high_risk, today=TODAY)}
    assert rows["audit"].state == LAPSED and rows["cert:iso_9001"].state == LAPSED


@time_machine.travel(TODAY, tick=False)
def test_a_certificate_is_held_by_one_certificate_in_force_today_not_by_a_renewal_starting_later(
    manager, high_risk
):
    _policy(manager, required_certificates=["iso_9001", "iso_14001"])
    CertificationFactory(supplier=high_risk, valid_from=date(2025, 7, 1), valid_until=date(2026, 7, 1))
    CertificationFactory(supplier=high_risk, valid_from=date(2026, 7, 1), valid_until=date(2029, 7, 1))
    # Two certificates in force: the dates are those of the one that runs longest, never mixed with another's.
    CertificationFactory(
        supplier=high_risk, standard="iso_14001", valid_from=date(2024, 1, 1), valid_until=date(2027, 1, 1)
    )
    CertificationFactory(
        supplier=high_risk, standard="iso_14001", valid_from=date(2026, 6, 1), valid_until=date(2026, 12, 1)
    )
    rows = {row.code: row for row in verification_status(supplier=high_risk, today=TODAY)}
    iso_9001, iso_14001 = rows["cert:iso_9001"], rows["cert:iso_14001"]
    assert (iso_9001.last_on, iso_9001.due_on, iso_9001.state) == (
        date(2025, 7, 1),
        date(2026, 7, 1),
        DUE_SOON,
    )
    assert (iso_14001.last_on, iso_14001.due_on, iso_14001.state) == (date(2024, 1, 1), date(2027, 1, 1), OK)


@time_machine.travel(TODAY, tick=False)
def test_a_lapsed_certificate_shows_the_day_it_lapsed(manager, high_risk):
    _policy(manager, required_certificates=["iso_9001"])
    CertificationFactory(supplier=high_risk, valid_from=date(2023, 1, 1), valid_until=date(2025, 1, 1))
    CertificationFactory(supplier=high_risk, valid_from=date(2025, 1, 1), valid_until=date(2026, 6, 1))
    [row] = [
        row for row in verification_status(supplier=high_risk, today=TODAY) if row.code == "cert:iso_9001"
    ]
    assert (row.last_on, row.due_on, row.state) == (date(2025, 1, 1), date(2026, 6, 1), LAPSED)


@time_machine.travel(TODAY, tick=False)
def test_a_category_policy_wins_over_the_default_and_other_tiers_have_none(manager, high_risk, supplier_b):
    category = ProductCategoryFactory(name="Medical devices")
    high_risk.categories.add(category)
    _policy(manager, audit_every_months=24)
    _policy(manager, category=category, audit_every_months=6)
    AuditFactory(supplier=high_risk, status="performed", result="pass", performed_on=date(2026, 1, 1))
    rows = verification_status(supplier=high_risk, today=TODAY)
    assert [(row.code, row.every_months, row.due_on) for row in rows] == [("audit", 6, date(2026, 7, 1))]
    assert verification_status(supplier=supplier_b, today=TODAY) == []  # medium risk: no policy


@time_machine.travel(TODAY, tick=False)
def test_status_of_all_suppliers_takes_a_constant_number_of_queries(manager, django_assert_max_num_queries):
    _policy(manager, capacity_every_months=12, required_certificates=["iso_9001"])
    suppliers = SupplierFactory.create_batch(8, risk_tier=RiskTier.HIGH)
    for supplier in suppliers:
        AuditFactory(supplier=supplier, passed=True)
        CertificationFactory(supplier=supplier)
    with django_assert_max_num_queries(6):
        status = verification_status_bulk(supplier_ids=[s.pk for s in suppliers], today=TODAY)
    assert len(status) == 8 and all(len(rows) == 3 for rows in status.values())


def test_without_any_policy_the_status_costs_one_query(supplier_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert verification_status_bulk(supplier_ids=[supplier_a.pk], today=TODAY) == {}


# --- Pages and API ---------------------------------------------------------------------------------------------


def test_staff_read_the_policy_list_and_managers_add_one(client, buyer, manager):
    client.force_login(manager)
    response = client.post(
        reverse("audits:policy_create"),
        {"risk_tier": "high", "audit_every_months": "12", "required_certificates": ["iso_9001"]},
    )
    assert response.status_code == 302
    client.force_login(buyer)
    page = client.get(reverse("audits:policy_list")).content.decode()
    assert "All categories (default)" in page and "every 12 months" in page and "ISO 9001" in page
    assert client.get(reverse("audits:policy_create")).status_code == 403


def test_a_bad_policy_form_is_shown_again_with_the_reason(manager_client):
    response = manager_client.post(reverse("audits:policy_create"), {"risk_tier": "high"})
    assert response.status_code == 400
    assert "at least one thing to renew" in response.content.decode()
    assert not VerificationPolicy.objects.exists()


def test_manager_changes_and_removes_a_policy(manager_client, manager):
    policy = _policy(manager)
    response = manager_client.post(
        reverse("audits:policy_edit", args=[policy.pk]), {"risk_tier": "high", "audit_every_months": "6"}
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.audit_every_months == 6
    manager_client.post(reverse("audits:policy_delete", args=[policy.pk]))
    assert not VerificationPolicy.objects.exists()


def test_factory_contact_finds_no_policy_pages(portal_client, manager):
    policy = _policy(manager)
    assert portal_client.get(reverse("audits:policy_list")).status_code == 404
    assert portal_client.get(reverse("audits:policy_edit", args=[policy.pk])).status_code == 404


def test_api_lists_policies_to_staff_and_none_to_a_factory_token(client, buyer, manager, portal_a):
    policy = _policy(manager, required_certificates=["iso_9001"])
    staff = client.get(
        reverse("api:verification-policy-list"), HTTP_AUTHORIZATION=f"Token {api_token_for(buyer)}"
    ).json()
    assert [row["id"] for row in staff["results"]] == [policy.pk]
    factory = {"HTTP_AUTHORIZATION": f"Token {api_token_for(portal_a)}"}
    assert client.get(reverse("api:verification-policy-list"), **factory).json()["results"] == []
    assert (
        client.get(reverse("api:verification-policy-detail", args=[policy.pk]), **factory).status_code == 404
    )


def test_api_creates_a_policy_through_the_service(client, manager, buyer):
    payload = {"risk_tier": "low", "capacity_every_months": 36, "required_certificates": ["bsci"]}
    response = client.post(
        reverse("api:verification-policy-list"),
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_token_for(manager)}",
    )
    assert response.status_code == 201, response.content
    assert VerificationPolicy.objects.get().required_certificates == ["bsci"]
    refused = client.post(
        reverse("api:verification-policy-list"),
        payload | {"risk_tier": "high"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {api_token_for(buyer)}",
    )
    assert refused.status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_supplier_page_shows_what_is_due_in_words(buyer_client, manager, high_risk):
    _policy(manager, required_certificates=["iso_9001"])
    AuditFactory(supplier=high_risk, status="performed", result="pass", performed_on=date(2025, 7, 1))
    page = buyer_client.get(reverse("suppliers:detail", args=[high_risk.pk])).content.decode()
    assert "Re-verification" in page and "High risk" in page
    assert "2026-07-01" in page and "Due soon" in page  # the audit
    assert "Certificate: ISO 9001" in page and "Lapsed — renew now" in page  # never held


def test_supplier_page_says_when_no_policy_applies(buyer_client, supplier_a):
    page = buyer_client.get(reverse("suppliers:detail", args=[supplier_a.pk])).content.decode()
    assert "No verification policy applies" in page


# --- The audit gate: evidence may replace the on-site audit -----------------------------------------------------


def _on_target_weeks(supplier, *, weeks: int, miss_week: int | None = None):
    """Weekly KPI snapshots (the KPI engine's values against targets) for the last `weeks` weeks before TODAY."""
    from scorecards.models import Kpi, KpiSnapshot

    monday = TODAY - timedelta(days=TODAY.weekday())
    for n in range(weeks):
        for kpi in (Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE):
            KpiSnapshot.objects.create(
                supplier=supplier, kpi=kpi, week_start=monday - timedelta(weeks=n), numerator=9, denominator=10,
                sample=10, value=Decimal("97"), target=Decimal("95"), met=n != miss_week,
            )  # fmt: skip


@pytest.fixture
def medical(manager, high_risk):
    """High-risk supplier A under a policy letting a verified ISO 13485 plus 12 months on target replace the audit."""
    policy = _policy(manager, replacement_certificate="iso_13485", replacement_months_on_target=12)
    CertificationFactory(supplier=high_risk, standard="iso_13485", valid_until=date(2027, 12, 31))
    return policy


def _audit_gate(supplier):
    [result] = [
        r for r in evaluate_gates(supplier=supplier, stage=Stage.APPROVED, today=TODAY) if r.code == "audit"
    ]
    return result


@time_machine.travel(TODAY, tick=False)
def test_a_verified_certificate_and_12_months_on_target_replace_the_audit(medical, high_risk):
    _on_target_weeks(high_risk, weeks=56)
    result = _audit_gate(high_risk)
    assert result.passed
    assert result.detail == (
        "Replaced by evidence: verified ISO 13485 certificate valid until 2027-12-31, and 12 months on target"
    )


@time_machine.travel(TODAY, tick=False)
def test_one_missed_week_or_a_short_record_keeps_the_audit_required(medical, high_risk):
    _on_target_weeks(high_risk, weeks=56, miss_week=20)
    assert not _audit_gate(high_risk).passed
    KpiSnapshotModel = high_risk.kpi_snapshots.model
    KpiSnapshotModel.objects.all().delete()
    _on_target_weeks(high_risk, weeks=30)  # seven months only
    result = _audit_gate(high_risk)
    assert (result.passed, result.detail) == (False, "no audit passed")


@time_machine.travel(TODAY, tick=False)
def test_an_unverified_certificate_does_not_replace_the_audit(medical, high_risk):
    high_risk.certifications.update(status="pending")
    _on_target_weeks(high_risk, weeks=56)
    assert not _audit_gate(high_risk).passed


@time_machine.travel(TODAY, tick=False)
def test_the_approval_records_the_replacement_among_its_checks_not_as_a_waiver(
    medical, high_risk, manager, quality
):
    from suppliers.services import supplier_change_stage

    high_risk.stage = Stage.PILOT
    high_risk.save(update_fields=["stage"])
    ContactFactory(supplier=high_risk)
    ClientReferenceFactory(supplier=high_risk)
    CapacityAssessmentFactory(supplier=high_risk, assessed_by=quality)
    PilotProgramFactory(supplier=high_risk, status="passed", decided_at=timezone.now())
    _on_target_weeks(high_risk, weeks=56)
    change = supplier_change_stage(
        supplier=high_risk, to_stage=Stage.APPROVED, by=manager, reason="Track record", today=TODAY
    )
    [audit_check] = [check for check in change.checks if check["code"] == "audit"]
    assert audit_check["passed"] and audit_check["detail"].startswith(
        "Replaced by evidence: verified ISO 13485"
    )
    assert change.waived == [] and change.waiver_reason == ""


@time_machine.travel(TODAY, tick=False)
def test_evidence_replacing_the_audit_keeps_the_status_and_the_flag_up_to_date_as_the_gate_says(
    medical, high_risk, buyer_client
):
    from scorecards import alerts
    from scorecards.models import RedFlag

    high_risk.stage = Stage.APPROVED
    high_risk.save(update_fields=["stage"])
    _on_target_weeks(high_risk, weeks=56)
    [audit] = [row for row in verification_status(supplier=high_risk, today=TODAY) if row.code == "audit"]
    assert (audit.state, audit.due_on, audit.flagged) == (OK, None, False)
    assert audit.replaced_by == _audit_gate(high_risk).detail
    assert audit.replaced_by.startswith("Replaced by evidence: verified ISO 13485")
    alerts.flags_evaluate(today=TODAY, now=timezone.now(), supplier_ids=[high_risk.pk])
    assert not RedFlag.objects.filter(supplier=high_risk, rule=RedFlag.Rule.VERIFICATION_DUE).exists()
    page = buyer_client.get(reverse("suppliers:detail", args=[high_risk.pk])).content.decode()
    assert "Replaced by evidence: verified ISO 13485" in page and "Lapsed" not in page


@time_machine.travel(TODAY, tick=False)
def test_without_the_track_record_the_audit_is_still_required_and_flagged(medical, high_risk):
    from scorecards import alerts
    from scorecards.models import RedFlag

    high_risk.stage = Stage.APPROVED
    high_risk.save(update_fields=["stage"])
    _on_target_weeks(high_risk, weeks=56, miss_week=3)
    [audit] = [row for row in verification_status(supplier=high_risk, today=TODAY) if row.code == "audit"]
    assert (audit.state, audit.replaced_by) == (LAPSED, "")
    alerts.flags_evaluate(today=TODAY, now=timezone.now(), supplier_ids=[high_risk.pk])
    assert RedFlag.objects.filter(supplier=high_risk, rule=RedFlag.Rule.VERIFICATION_DUE).count() == 1


# --- Registration numbers: who checked them against which registry, and when ---------------------------------


@time_machine.travel(TODAY, tick=False)
def test_buyer_records_the_registration_check_and_the_page_shows_it(buyer_client, buyer, supplier_a):
    supplier_a.registration_number = "91440300MA5F"
    supplier_a.save(update_fields=["registration_number"])
    response = buyer_client.post(
        reverse("suppliers:registration_check", args=[supplier_a.pk]), {"registry": "https://www.gsxt.gov.cn"}
    )
    assert response.status_code == 302
    supplier_a.refresh_from_db()
    assert (supplier_a.registration_registry, supplier_a.registration_checked_by) == (
        "https://www.gsxt.gov.cn",
        buyer,
    )
    assert supplier_a.registration_checked_at.date() == TODAY
    page = buyer_client.get(reverse("suppliers:detail", args=[supplier_a.pk])).content.decode()
    assert "Checked against https://www.gsxt.gov.cn by Bea Buyer on 2026-06-15" in page


def test_a_check_without_registry_or_number_is_refused_and_changes_nothing(buyer, supplier_a):
    from suppliers.services import supplier_registration_check_record

    with pytest.raises(ValidationError):
        supplier_registration_check_record(supplier=supplier_a, by=buyer, registry="gsxt")  # no number yet
    supplier_a.registration_number = "91440300MA5F"
    with pytest.raises(ValidationError):
        supplier_registration_check_record(supplier=supplier_a, by=buyer, registry="  ")
    supplier_a.refresh_from_db()
    assert supplier_a.registration_checked_at is None


def test_a_changed_registration_number_is_no_longer_checked(buyer, supplier_a):
    from suppliers.services import supplier_registration_check_record, supplier_update

    supplier_a.registration_number = "91440300MA5F"
    supplier_a.save(update_fields=["registration_number"])
    supplier_registration_check_record(supplier=supplier_a, by=buyer, registry="gsxt")
    supplier_update(supplier=supplier_a, by=buyer, registration_number="NEW-1")
    supplier_a.refresh_from_db()
    assert (supplier_a.registration_registry, supplier_a.registration_checked_at) == ("", None)


def test_factory_contact_cannot_record_a_registration_check(portal_client, supplier_a):
    response = portal_client.post(
        reverse("suppliers:registration_check", args=[supplier_a.pk]), {"registry": "x"}
    )
    assert response.status_code == 404
    supplier_a.refresh_from_db()
    assert supplier_a.registration_checked_at is None
