"""Writes on suppliers: the stage service with its gates and waivers, evidence, certificate review, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from suppliers import services
from suppliers.models import Activity, Certification, CertificationReminder, Stage, StageChange, Supplier
from tests.factories import (
    AuditFactory,
    CapacityAssessmentFactory,
    CertificationFactory,
    ClientReferenceFactory,
    ContactFactory,
    ContractFactory,
    PilotProgramFactory,
    SupplierFactory,
)

pytestmark = pytest.mark.django_db


def move(supplier, to_stage, by, **kwargs):
    kwargs.setdefault("reason", "Because the evidence is in.")
    return services.supplier_change_stage(supplier=supplier, to_stage=to_stage, by=by, **kwargs)


# --- Creating and editing ---------------------------------------------------------------------------------------


def test_new_supplier_starts_as_prospect_owned_by_its_creator(buyer):
    supplier = services.supplier_create(by=buyer, name="Gamma", country="VN", stage=Stage.APPROVED)
    assert supplier.stage == Stage.PROSPECT
    assert supplier.owner == buyer
    assert Activity.objects.filter(supplier=supplier, kind=Activity.Kind.SUPPLIER_CREATED).exists()


def test_supplier_with_duplicate_name_is_refused(buyer, supplier_a):
    with pytest.raises(ValidationError) as excinfo:
        services.supplier_create(by=buyer, name=supplier_a.name, country="CN")
    assert "name" in excinfo.value.message_dict


def test_quality_staff_cannot_create_suppliers(quality):
    with pytest.raises(PermissionDenied):
        services.supplier_create(by=quality, name="Gamma", country="VN")


def test_update_never_changes_the_stage(buyer, supplier_a):
    services.supplier_update(supplier=supplier_a, by=buyer, city="Hanoi", stage=Stage.STRATEGIC)
    supplier_a.refresh_from_db()
    assert (supplier_a.city, supplier_a.stage) == ("Hanoi", Stage.PROSPECT)


def test_profile_changes_are_kept_in_history(buyer, supplier_a):
    services.supplier_update(supplier=supplier_a, by=buyer, city="Hanoi")
    services.supplier_update(supplier=supplier_a, by=buyer, city="Da Nang")
    assert list(supplier_a.history.values_list("city", flat=True)[:3]) == ["Da Nang", "Hanoi", "Shenzhen"]


# --- Stage gates ----------------------------------------------------------------------------------------------


def test_vetting_needs_an_active_contact(buyer, supplier_a):
    with pytest.raises(ValidationError, match="At least one active contact"):
        move(supplier_a, Stage.VETTING, buyer)
    ContactFactory(supplier=supplier_a)
    change = move(supplier_a, Stage.VETTING, buyer)
    supplier_a.refresh_from_db()
    assert supplier_a.stage == Stage.VETTING
    assert change.from_stage == Stage.PROSPECT and change.changed_by == buyer


def test_stage_change_records_who_why_and_what_was_checked(buyer, supplier_a):
    ContactFactory(supplier=supplier_a)
    change = move(supplier_a, Stage.VETTING, buyer, reason="Samples approved")
    assert change.reason == "Samples approved"
    assert change.checks == [
        {
            "code": "contact",
            "label": "At least one active contact",
            "passed": True,
            "detail": "1 active contact(s)",
        }
    ]
    assert change.waived == []


def test_stage_change_needs_a_reason(buyer, supplier_a):
    ContactFactory(supplier=supplier_a)
    with pytest.raises(ValidationError) as excinfo:
        move(supplier_a, Stage.VETTING, buyer, reason="   ")
    assert "reason" in excinfo.value.message_dict


def test_move_not_in_the_lifecycle_is_refused(manager, supplier_a):
    with pytest.raises(ValidationError, match="cannot move from Prospect to Strategic"):
        move(supplier_a, Stage.STRATEGIC, manager)


@pytest.mark.parametrize("missing", ["certification", "reference", "capacity", "audit", "pilot"])
def test_approval_is_refused_when_one_piece_of_evidence_is_missing(manager, supplier_a, quality, missing):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    if missing != "certification":
        CertificationFactory(supplier=supplier_a)
    if missing != "reference":
        ClientReferenceFactory(supplier=supplier_a)
    if missing != "capacity":
        CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality)
    if missing != "audit":
        AuditFactory(supplier=supplier_a, passed=True)
    if missing != "pilot":
        PilotProgramFactory(supplier=supplier_a, status="passed", decided_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        move(supplier_a, Stage.APPROVED, manager)
    assert len(excinfo.value.messages) == 1
    assert "Missing for Approved" in excinfo.value.messages[0]
    supplier_a.refresh_from_db()
    assert supplier_a.stage == Stage.PILOT
    assert not StageChange.objects.exists()


def test_approval_passes_with_all_evidence(manager, vetted_supplier):
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    change = move(vetted_supplier, Stage.APPROVED, manager)
    assert {c["code"] for c in change.checks} == {"certification", "reference", "capacity", "audit", "pilot"}
    assert all(c["passed"] for c in change.checks)


@pytest.mark.parametrize(
    ("status", "from_days", "until_days"),
    [("pending", -10, 300), ("rejected", -10, 300), ("verified", -400, -1), ("verified", 5, 300)],
    ids=["pending", "rejected", "expired", "not-yet-valid"],
)
def test_only_a_verified_certificate_in_force_today_counts(
    manager, vetted_supplier, status, from_days, until_days
):
    today = timezone.localdate()
    vetted_supplier.certifications.all().delete()
    CertificationFactory(
        supplier=vetted_supplier,
        status=status,
        valid_from=today + timedelta(days=from_days),
        valid_until=today + timedelta(days=until_days),
    )
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    with pytest.raises(ValidationError, match="verified certification"):
        move(vetted_supplier, Stage.APPROVED, manager)


@pytest.mark.parametrize("outcome", ["negative", "mixed", "not_reached"])
def test_a_reference_counts_only_when_checked_with_a_positive_outcome(manager, vetted_supplier, outcome):
    vetted_supplier.references.update(outcome=outcome)
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    with pytest.raises(ValidationError, match="client reference"):
        move(vetted_supplier, Stage.APPROVED, manager)


def test_pilot_needs_a_reference_and_an_assessment(buyer, supplier_a, quality):
    supplier_a.stage = Stage.VETTING
    supplier_a.save()
    with pytest.raises(ValidationError) as excinfo:
        move(supplier_a, Stage.PILOT, buyer)
    assert len(excinfo.value.messages) == 2
    ClientReferenceFactory(supplier=supplier_a)
    CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality)
    move(supplier_a, Stage.PILOT, buyer)


def test_strategic_needs_a_signed_contract_in_force(manager, vetted_supplier):
    vetted_supplier.stage = Stage.APPROVED
    vetted_supplier.save()
    ContractFactory(supplier=vetted_supplier, signed_on=None)
    with pytest.raises(ValidationError, match="signed contract"):
        move(vetted_supplier, Stage.STRATEGIC, manager)
    ContractFactory(supplier=vetted_supplier)
    move(vetted_supplier, Stage.STRATEGIC, manager)


def test_a_buyer_cannot_approve_a_supplier(buyer, vetted_supplier):
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    with pytest.raises(PermissionDenied, match="needs a manager"):
        move(vetted_supplier, Stage.APPROVED, buyer)


def test_quality_staff_cannot_change_stages(quality, supplier_a):
    ContactFactory(supplier=supplier_a)
    with pytest.raises(PermissionDenied):
        move(supplier_a, Stage.VETTING, quality)


def test_returning_from_hold_rechecks_the_gates(manager, vetted_supplier):
    vetted_supplier.stage = Stage.ON_HOLD
    vetted_supplier.save()
    vetted_supplier.certifications.update(valid_until=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="verified certification"):
        move(vetted_supplier, Stage.APPROVED, manager)


# --- Waivers --------------------------------------------------------------------------------------------------


def test_manager_waives_a_missing_gate_with_a_reason_and_it_is_recorded(manager, supplier_a, quality):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    ClientReferenceFactory(supplier=supplier_a)
    CapacityAssessmentFactory(supplier=supplier_a, assessed_by=quality)
    AuditFactory(supplier=supplier_a, passed=True)
    PilotProgramFactory(supplier=supplier_a, status="passed", decided_at=timezone.now())
    change = move(
        supplier_a,
        Stage.APPROVED,
        manager,
        waive=["certification"],
        waiver_reason="ISO audit booked for next month",
    )
    assert change.waived == ["certification"]
    assert change.waiver_reason == "ISO audit booked for next month"
    failed = [c for c in change.checks if not c["passed"]]
    assert [c["code"] for c in failed] == ["certification"]
    assert "waived: certification" in Activity.objects.filter(supplier=supplier_a).first().detail


def test_a_waiver_needs_a_written_reason(manager, supplier_a):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    with pytest.raises(ValidationError) as excinfo:
        move(
            supplier_a,
            Stage.APPROVED,
            manager,
            waive=["certification", "reference", "capacity", "audit", "pilot"],
        )
    assert "waiver_reason" in excinfo.value.message_dict


def test_a_buyer_cannot_waive_a_gate(buyer, supplier_a):
    supplier_a.stage = Stage.VETTING
    supplier_a.save()
    with pytest.raises(PermissionDenied, match="Only a manager"):
        move(supplier_a, Stage.PILOT, buyer, waive=["reference", "capacity"], waiver_reason="urgent")


def test_waiving_a_gate_that_passes_is_refused(manager, vetted_supplier):
    vetted_supplier.stage = Stage.PILOT
    vetted_supplier.save()
    with pytest.raises(ValidationError) as excinfo:
        move(vetted_supplier, Stage.APPROVED, manager, waive=["reference"], waiver_reason="no need")
    assert "waive" in excinfo.value.message_dict


def test_waiving_one_gate_still_requires_the_others(manager, supplier_a):
    supplier_a.stage = Stage.PILOT
    supplier_a.save()
    with pytest.raises(ValidationError) as excinfo:
        move(supplier_a, Stage.APPROVED, manager, waive=["certification"], waiver_reason="booked")
    # Still missing: reference, capacity, audit and pilot.
    assert len(excinfo.value.messages) == 4


# --- Certificates ----------------------------------------------------------------------------------------------


def test_certificate_from_the_portal_waits_for_verification(portal_a, supplier_a):
    cert = services.certification_create(
        supplier=supplier_a,
        by=portal_a,
        verified=True,
        standard="bsci",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate() + timedelta(days=700),
    )
    assert cert.status == Certification.Status.PENDING
    assert cert.submitted_by == portal_a


def test_factory_contact_cannot_add_a_certificate_to_another_supplier(portal_b, supplier_a):
    with pytest.raises(PermissionDenied):
        services.certification_create(
            supplier=supplier_a,
            by=portal_b,
            standard="bsci",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=700),
        )


def test_factory_contact_cannot_renew_another_suppliers_certificate(portal_b, supplier_b, supplier_a):
    other = CertificationFactory(supplier=supplier_a)
    with pytest.raises(ValidationError):
        services.certification_create(
            supplier=supplier_b,
            by=portal_b,
            standard="bsci",
            replaces=other,
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() + timedelta(days=700),
        )


def test_certificate_valid_until_before_valid_from_is_refused(buyer, supplier_a):
    with pytest.raises(ValidationError):
        services.certification_create(
            supplier=supplier_a,
            by=buyer,
            standard="bsci",
            valid_from=timezone.localdate(),
            valid_until=timezone.localdate() - timedelta(days=1),
        )
    assert not Certification.objects.exists()


def test_reviewing_verifies_once(quality, supplier_a):
    cert = CertificationFactory(supplier=supplier_a, status=Certification.Status.PENDING)
    services.certification_review(certification=cert, by=quality, approve=True)
    assert cert.status == Certification.Status.VERIFIED and cert.verified_by == quality
    with pytest.raises(ValidationError, match="already reviewed"):
        services.certification_review(certification=cert, by=quality, approve=False, note="too late")


def test_rejecting_a_certificate_needs_a_note(quality, supplier_a):
    cert = CertificationFactory(supplier=supplier_a, status=Certification.Status.PENDING)
    with pytest.raises(ValidationError):
        services.certification_review(certification=cert, by=quality, approve=False)
    cert.refresh_from_db()
    assert cert.status == Certification.Status.PENDING


def test_only_one_primary_contact_per_supplier(buyer, supplier_a):
    first = services.contact_save(supplier=supplier_a, by=buyer, name="First", is_primary=True)
    services.contact_save(supplier=supplier_a, by=buyer, name="Second", is_primary=True)
    first.refresh_from_db()
    assert not first.is_primary


def test_a_checked_reference_is_stamped_with_who_checked_it(buyer, supplier_a):
    ref = services.reference_save(
        supplier=supplier_a,
        by=buyer,
        company="Nordic Home",
        checked_on=timezone.localdate(),
        outcome="positive",
    )
    assert ref.checked_by == buyer


def test_a_reference_with_an_outcome_but_no_date_is_refused(buyer, supplier_a):
    with pytest.raises(ValidationError):
        services.reference_save(supplier=supplier_a, by=buyer, company="Nordic Home", outcome="positive")


# --- Reminders -------------------------------------------------------------------------------------------------


def test_expiry_reminders_are_sent_once_per_threshold(buyer):
    today = timezone.localdate()
    supplier = SupplierFactory(owner=buyer)
    CertificationFactory(supplier=supplier, valid_until=today + timedelta(days=20))
    CertificationFactory(supplier=supplier, standard="bsci", valid_until=today + timedelta(days=200))
    assert services.certification_reminders_send(today=today) == 1
    assert services.certification_reminders_send(today=today) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [buyer.email]
    assert supplier.name in mail.outbox[0].body
    # Two weeks later the same certificate crosses the 7-day threshold: one more reminder.
    assert services.certification_reminders_send(today=today + timedelta(days=14)) == 1
    assert CertificationReminder.objects.count() == 2


def test_a_renewed_certificate_gets_no_reminder(buyer):
    today = timezone.localdate()
    supplier = SupplierFactory(owner=buyer)
    CertificationFactory(supplier=supplier, valid_until=today + timedelta(days=5))
    CertificationFactory(supplier=supplier, valid_until=today + timedelta(days=1000))
    assert services.certification_reminders_send(today=today) == 0


def test_reminder_task_runs_the_service(buyer):
    from suppliers.tasks import certification_expiry_reminders_task

    CertificationFactory(
        supplier=SupplierFactory(owner=buyer), valid_until=timezone.localdate() - timedelta(days=2)
    )
    assert certification_expiry_reminders_task.delay().get() == 1
    assert certification_expiry_reminders_task.delay().get() == 0


def test_supplier_count_is_unchanged_by_a_failed_create(buyer):
    before = Supplier.objects.count()
    with pytest.raises(ValidationError):
        services.supplier_create(by=buyer, name="", country="XX")
    assert Supplier.objects.count() == before
