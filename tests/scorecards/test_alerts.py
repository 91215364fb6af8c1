"""Red flags (scorecards/alerts.py and the flag workflow in scorecards/services.py): every rule raises one flag
with its severity, observed value, target, recommended action and owner; evaluating twice, or twice at once,
raises it once; targets per supplier and per category decide; a write queues a check for its supplier."""

import threading
from datetime import time, timedelta
from decimal import Decimal
from time import sleep

import pytest
from celery.exceptions import Retry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from accounts.roles import Role
from audits.models import CorrectiveAction, VerificationPolicy, VisitCadence
from communications.models import CheckIn, CheckInSchedule, IssueMessage, Notification, Side, SupplierIssue
from orders import services as order_services
from orders.models import PurchaseOrder
from payments.models import InvoiceDiscrepancy
from scorecards import alerts, periods, services
from scorecards.models import Kpi, KpiSnapshot, RedFlag
from suppliers import triggers
from suppliers.models import Certification, ProductCategory, RiskTier, Stage
from tests.factories import (
    AuditFactory,
    CertificationFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    UserFactory,
)
from tests.orders.builders import days
from tests.payments.factories import (
    ChargeDiscrepancyFactory,
    DiscrepancyFactory,
    InvoiceChargeFactory,
    InvoiceFactory,
    InvoiceLineFactory,
)
from tests.scorecards.builders import received_deliveries

pytestmark = pytest.mark.django_db

Rule = RedFlag.Rule
NOW = timezone.now().replace(microsecond=0)


def evaluate(**kwargs) -> list[RedFlag]:
    """Run every rule as the nightly scan does, as of today."""
    return alerts.flags_evaluate(today=days(0), now=NOW, **kwargs)


def flags(supplier, rule=None):
    queryset = RedFlag.objects.filter(supplier=supplier)
    return list(queryset.filter(rule=rule) if rule else queryset)


def the_flag(supplier, rule) -> RedFlag:
    (flag,) = flags(supplier, rule)
    return flag


def the_flag_after_evaluate(supplier, rule) -> RedFlag:
    evaluate()
    return the_flag(supplier, rule)


@pytest.fixture
def approved(supplier_a):
    """Supplier A, approved (so its KPIs are watched), owned by the buyer."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    return supplier_a


@pytest.fixture
def order(approved):
    return PurchaseOrderFactory(supplier=approved)


def deliveries(order, *, on_time: int, late: int) -> None:
    """Received deliveries promised in the last 90 days: `on_time` a day early, `late` three days late."""
    received_deliveries(order, on_time=on_time, late=late)


def inspection(supplier, *, sample_size: int, defective_units: int):
    return QCInspectionFactory(
        supplier=supplier,
        sample_size=sample_size,
        defective_units=defective_units,
        inspected_on=days(-5),
        report="",
    )


def issue(supplier, *, hours_ago: float, side=Side.BUYER, answered_after=None, **fields) -> SupplierIssue:
    raised_at = NOW - timedelta(hours=hours_ago)
    return SupplierIssue.objects.create(
        supplier=supplier,
        raised_by_side=side,
        category=SupplierIssue.Category.DELIVERY,
        subject=fields.pop("subject", "Where is lot 4?"),
        description="The container was due last week.",
        raised_by=supplier.owner if side == Side.BUYER else PortalUserFactory(supplier=supplier),
        owner=supplier.owner,
        raised_at=raised_at,
        first_response_at=None if answered_after is None else raised_at + timedelta(hours=answered_after),
        status=SupplierIssue.Status.OPEN if answered_after is None else SupplierIssue.Status.ANSWERED,
        **fields,
    )


def snapshot(supplier, kpi, *, weeks_ago: int, met: bool | None):
    """The weekly snapshot of `weeks_ago` weeks before this week."""
    week_start = services.week_start_of(days(0)) - timedelta(weeks=weeks_ago)
    return KpiSnapshot.objects.create(
        supplier=supplier,
        kpi=kpi,
        week_start=week_start,
        numerator=8,
        denominator=10,
        sample=10,
        value=Decimal("80.00"),
        target=Decimal("95"),
        met=met,
    )


def schedule(supplier, *, cadence=CheckInSchedule.Cadence.WEEKLY, starts=-60) -> CheckInSchedule:
    return CheckInSchedule.objects.create(
        supplier=supplier,
        cadence=cadence,
        weekday=1,
        local_time=time(9, 0),
        starts_on=days(starts),
        created_by=supplier.owner,
    )


def held_checkin(supplier, *, days_ago: int) -> CheckIn:
    moment = NOW - timedelta(days=days_ago)
    return CheckIn.objects.create(
        supplier=supplier,
        original_date=moment.date(),
        date=moment.date(),
        scheduled_at=moment,
        status=CheckIn.Status.HELD,
        held_at=moment,
    )


def price_discrepancy(supplier, **fields) -> InvoiceDiscrepancy:
    invoice = InvoiceFactory(order=PurchaseOrderFactory(supplier=supplier))
    return DiscrepancyFactory(line=InvoiceLineFactory(invoice=invoice), **fields)


def charge_discrepancy(supplier, **fields) -> InvoiceDiscrepancy:
    invoice = InvoiceFactory(order=PurchaseOrderFactory(supplier=supplier))
    return ChargeDiscrepancyFactory(charge=InvoiceChargeFactory(invoice=invoice), **fields)


# --- On-time delivery ------------------------------------------------------------------------------------------


def test_on_time_delivery_below_target_raises_a_flag_with_value_target_action_and_owner(
    order, approved, buyer
):
    deliveries(order, on_time=3, late=2)
    (flag,) = evaluate()
    assert (flag.supplier, flag.rule, flag.period) == (
        approved,
        Rule.ON_TIME_DELIVERY,
        periods.iso_week(days(0)),
    )
    assert flag.observed == "60.00 % (3/5)"
    assert flag.target == "≥ 95 %"
    assert flag.severity == RedFlag.Severity.HIGH  # more than 10 points under the target
    assert flag.recommended_action == "Review production schedules with the supplier."
    assert flag.owner == buyer == approved.owner
    assert (flag.state, flag.escalated, flag.raised_at) == (RedFlag.State.OPEN, False, NOW)


def test_on_time_delivery_just_below_target_is_a_medium_flag(order, approved):
    deliveries(order, on_time=9, late=1)
    evaluate()
    flag = the_flag(approved, Rule.ON_TIME_DELIVERY)
    assert (flag.observed, flag.severity) == ("90.00 % (9/10)", RedFlag.Severity.MEDIUM)


def test_on_time_delivery_at_target_raises_nothing(order, approved):
    deliveries(order, on_time=19, late=1)  # 95 %
    assert evaluate() == []


def test_fewer_than_five_due_deliveries_raise_no_flag_however_late(order, approved):
    deliveries(order, on_time=0, late=4)
    assert evaluate() == []
    deliveries(order, on_time=0, late=1)
    assert [f.rule for f in evaluate()] == [Rule.ON_TIME_DELIVERY]


@pytest.mark.parametrize("stage", [Stage.PILOT, Stage.APPROVED, Stage.STRATEGIC, Stage.ON_HOLD])
def test_suppliers_we_buy_from_are_scanned(order, approved, stage):
    approved.stage = stage
    approved.save(update_fields=["stage"])
    deliveries(order, on_time=0, late=5)
    assert [f.rule for f in evaluate()] == [Rule.ON_TIME_DELIVERY]


@pytest.mark.parametrize("stage", [Stage.PROSPECT, Stage.VETTING, Stage.SUSPENDED, Stage.OFFBOARDED])
def test_suppliers_we_do_not_buy_from_are_not_scanned(order, approved, stage):
    deliveries(order, on_time=0, late=5)
    approved.stage = stage
    approved.save(update_fields=["stage"])
    assert evaluate() == []
    assert evaluate(supplier_ids=[approved.pk]) == []


# --- Defect rate ------------------------------------------------------------------------------------------------


def test_defect_rate_above_target_raises_a_flag(approved, buyer):
    inspection(approved, sample_size=80, defective_units=1)
    inspection(approved, sample_size=120, defective_units=2)  # 3 / 200 = 1.5 %
    (flag,) = evaluate()
    assert (flag.rule, flag.observed, flag.target) == (Rule.DEFECT_RATE, "1.50 % (3/200)", "< 1 %")
    assert flag.severity == RedFlag.Severity.MEDIUM
    assert flag.recommended_action == "Strengthen QC processes: more in-line checks, a corrective action."
    assert flag.owner == buyer


def test_defect_rate_at_twice_the_target_is_a_high_flag(approved):
    inspection(approved, sample_size=100, defective_units=2)
    evaluate()
    assert the_flag(approved, Rule.DEFECT_RATE).severity == RedFlag.Severity.HIGH


def test_defect_rate_exactly_at_target_raises_a_flag_because_it_must_stay_below(approved):
    inspection(approved, sample_size=100, defective_units=1)
    evaluate()
    assert the_flag(approved, Rule.DEFECT_RATE).observed == "1.00 % (1/100)"


def test_defect_rate_below_target_raises_nothing(approved):
    inspection(approved, sample_size=200, defective_units=1)
    assert evaluate() == []


# --- Unanswered issues ------------------------------------------------------------------------------------------


def test_issue_unanswered_past_24_hours_raises_a_flag(approved, buyer):
    unanswered = issue(approved, hours_ago=30, subject="Where is lot 4?")
    (flag,) = evaluate()
    assert (flag.rule, flag.period) == (Rule.UNANSWERED_ISSUE, f"issue-{unanswered.pk}")
    assert (flag.observed, flag.target, flag.severity) == ("30 h", "≤ 24 h", RedFlag.Severity.MEDIUM)
    assert (flag.detail, flag.url) == ("Where is lot 4?", f"/communications/issues/{unanswered.pk}/")
    assert flag.recommended_action == "Reassign contacts: call the dedicated contact or their manager."
    assert flag.owner == buyer


def test_issue_unanswered_for_twice_the_target_is_a_high_flag(approved):
    issue(approved, hours_ago=49)
    evaluate()
    assert the_flag(approved, Rule.UNANSWERED_ISSUE).severity == RedFlag.Severity.HIGH


def test_each_unanswered_issue_is_its_own_flag(approved):
    issue(approved, hours_ago=30)
    issue(approved, hours_ago=40)
    assert len(evaluate()) == 2


def test_issue_younger_than_the_target_answered_or_raised_by_the_factory_raises_nothing(approved):
    issue(approved, hours_ago=23)
    issue(approved, hours_ago=60, answered_after=2)
    issue(approved, hours_ago=60, side=Side.SUPPLIER)  # waiting for us: our own KPI, not a flag on them
    assert evaluate() == []


# --- The same KPI missed three weeks running --------------------------------------------------------------------


@pytest.fixture
def managers(db):
    return [UserFactory(role=Role.MANAGER), UserFactory(role=Role.MANAGER)]


def test_three_weekly_snapshots_missing_the_same_kpi_escalate_to_every_manager_once(
    approved, managers, buyer
):
    retired = UserFactory(role=Role.MANAGER, is_active=False)
    for weeks_ago in (3, 2, 1):
        snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=weeks_ago, met=False)
    (flag,) = evaluate()
    last_week = services.week_start_of(days(0)) - timedelta(weeks=1)
    assert (flag.rule, flag.period) == (
        Rule.CONSISTENT_MISS,
        f"{periods.iso_week(last_week)}:on_time_delivery",
    )
    assert (flag.escalated, flag.severity, flag.owner) == (True, RedFlag.Severity.HIGH, buyer)
    assert (flag.observed, flag.target) == ("missed 3 weeks running", "On-time delivery")
    assert flag.recommended_action == "Consistent delays or quality issues: revisit contracts and processes."
    for manager in managers:
        (note,) = Notification.objects.filter(user=manager)
        assert (
            note.title.startswith("Escalated:")
            and approved.name in note.title
            and "On-time delivery" in note.title
        )
        assert note.url == flag.get_absolute_url()
    assert not Notification.objects.filter(user__in=[retired, buyer]).exists()

    assert evaluate() == []
    assert Notification.objects.count() == len(managers)


def test_two_misses_and_a_met_week_raise_no_flag(approved, managers):
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=3, met=False)
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=2, met=True)
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=1, met=False)
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=0, met=False)
    assert evaluate() == []
    assert not Notification.objects.exists()


def test_misses_of_different_kpis_do_not_add_up(approved, managers):
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=3, met=False)
    snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=2, met=False)
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=1, met=False)
    snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=1, met=False)
    assert evaluate() == []


def test_our_own_kpis_missed_three_weeks_running_are_not_a_flag_on_the_supplier(approved, managers):
    for weeks_ago in (3, 2, 1):
        snapshot(approved, Kpi.PAYMENT_TIMELINESS, weeks_ago=weeks_ago, met=False)
        snapshot(approved, Kpi.BUYER_RESPONSE_TIME, weeks_ago=weeks_ago, met=False)
    assert evaluate() == []


def test_weeks_of_insufficient_data_break_the_run(approved, managers):
    snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=3, met=False)
    snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=2, met=None)
    snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=1, met=False)
    assert evaluate() == []


# --- Price above the agreed price -------------------------------------------------------------------------------


def test_open_price_discrepancy_raises_a_flag(approved, buyer):
    discrepancy = price_discrepancy(approved, expected=Decimal("3.40"), invoiced=Decimal("3.65"))
    (flag,) = evaluate()
    assert (flag.rule, flag.period) == (Rule.PRICE_ABOVE_AGREED, f"discrepancy-{discrepancy.pk}")
    assert (flag.observed, flag.target) == ("3.65", "3.4")
    assert flag.url == f"/payments/invoices/{discrepancy.invoice_id}/"
    assert flag.recommended_action == "Demand transparency on hidden costs and price hikes."
    assert (flag.severity, flag.owner) == (RedFlag.Severity.MEDIUM, buyer)


def test_resolved_or_quantity_discrepancy_raises_no_price_flag(approved):
    price_discrepancy(
        approved,
        status=InvoiceDiscrepancy.Status.RESOLVED,
        resolved_at=NOW,
        resolution_note="Credit note agreed.",
    )
    price_discrepancy(
        approved, kind=InvoiceDiscrepancy.Kind.QUANTITY, expected=Decimal("900"), invoiced=Decimal("1000")
    )
    assert evaluate() == []


# --- Certifications ---------------------------------------------------------------------------------------------


def test_certification_expiring_within_30_days_raises_a_medium_flag(approved, buyer):
    cert = CertificationFactory(supplier=approved, valid_until=days(30))
    (flag,) = evaluate()
    assert (flag.rule, flag.period, flag.severity) == (
        Rule.CERTIFICATION,
        f"cert-{cert.pk}",
        RedFlag.Severity.MEDIUM,
    )
    assert flag.observed == f"expires {days(30)}"
    assert (flag.detail, flag.url) == (cert.standard_label, f"/suppliers/{approved.pk}/certifications/")
    assert flag.recommended_action == "Ask the supplier for the renewed certificate."
    assert flag.owner == buyer


def test_expired_certification_raises_a_high_flag(approved):
    CertificationFactory(supplier=approved, valid_until=days(-1))
    evaluate()
    flag = the_flag(approved, Rule.CERTIFICATION)
    assert (flag.observed, flag.severity) == ("expired", RedFlag.Severity.HIGH)


def test_certification_valid_for_longer_unverified_or_renewed_raises_nothing(approved):
    CertificationFactory(supplier=approved, valid_until=days(31))
    CertificationFactory(
        supplier=approved, standard="iso_14001", valid_until=days(5), status=Certification.Status.PENDING
    )
    CertificationFactory(supplier=approved, standard="bsci", valid_until=days(-3))
    CertificationFactory(supplier=approved, standard="bsci", valid_until=days(700))  # the renewal
    assert evaluate() == []


# --- Corrective actions -----------------------------------------------------------------------------------------


def test_corrective_action_past_due_raises_a_flag(approved, buyer, quality):
    capa = CorrectiveActionFactory(
        supplier=approved, raised_by=quality, due_on=days(-1), title="Loose handles"
    )
    (flag,) = evaluate()
    assert (flag.rule, flag.period) == (Rule.CAPA_OVERDUE, f"capa-{capa.pk}")
    assert (flag.observed, flag.detail) == (f"due {days(-1)}", "Loose handles")
    assert flag.url == f"/quality/corrective-actions/{capa.pk}/"
    assert flag.recommended_action == "Chase the corrective action; consider a follow-up audit."
    assert flag.owner == buyer  # the supplier's owner, not whoever raised the action


def test_rejected_corrective_action_past_due_raises_a_flag(approved, quality):
    CorrectiveActionFactory(
        supplier=approved, raised_by=quality, due_on=days(-5), status=CorrectiveAction.Status.REJECTED
    )
    assert [f.rule for f in evaluate()] == [Rule.CAPA_OVERDUE]


def test_corrective_action_due_today_submitted_or_verified_raises_nothing(approved, quality):
    CorrectiveActionFactory(supplier=approved, raised_by=quality, due_on=days(0))
    CorrectiveActionFactory(
        supplier=approved, raised_by=quality, due_on=days(-5), status=CorrectiveAction.Status.SUBMITTED
    )
    CorrectiveActionFactory(
        supplier=approved, raised_by=quality, due_on=days(-5), status=CorrectiveAction.Status.VERIFIED
    )
    assert evaluate() == []


# --- No contact -------------------------------------------------------------------------------------------------


def test_no_contact_for_longer_than_a_weekly_cadence_allows_raises_a_flag(approved, buyer):
    schedule(approved)
    held_checkin(approved, days_ago=11)
    (flag,) = evaluate()
    assert (flag.rule, flag.period) == (Rule.NO_CONTACT, periods.iso_week(days(0)))
    assert (flag.observed, flag.target) == ("11 days ago", "≤ 10 days")
    assert flag.recommended_action == "Hold the regular check-in: regular contact builds trust."
    assert flag.owner == buyer


def test_supplier_never_contacted_under_a_monthly_cadence_raises_a_flag(approved):
    schedule(approved, cadence=CheckInSchedule.Cadence.MONTHLY, starts=-90)
    evaluate()
    flag = the_flag(approved, Rule.NO_CONTACT)
    assert (flag.observed, flag.target) == ("never", "≤ 38 days")


def test_a_recent_check_in_or_message_counts_as_contact(approved, buyer):
    schedule(approved)
    held_checkin(approved, days_ago=30)
    assert [f.rule for f in evaluate()] == [Rule.NO_CONTACT]
    RedFlag.objects.all().delete()

    thread = issue(approved, hours_ago=100, answered_after=1)
    IssueMessage.objects.create(
        issue=thread,
        supplier=approved,
        side=Side.SUPPLIER,
        author_name="Lan",
        body="Shipped today.",
        sent_at=NOW - timedelta(days=3),
        logged_by=buyer,
    )
    assert evaluate() == []


def test_a_missed_check_in_is_no_contact(approved):
    schedule(approved)
    held_checkin(approved, days_ago=20)
    CheckIn.objects.create(
        supplier=approved,
        original_date=days(-2),
        date=days(-2),
        scheduled_at=NOW - timedelta(days=2),
        status=CheckIn.Status.MISSED,
    )
    assert the_flag_after_evaluate(approved, Rule.NO_CONTACT).observed == "20 days ago"


def test_supplier_without_a_check_in_schedule_is_not_chased(approved):
    assert evaluate() == []


def test_a_schedule_started_two_days_ago_is_not_yet_overdue(approved):
    schedule(approved, starts=-2)
    assert evaluate() == []


# --- Once per (supplier, rule, period) --------------------------------------------------------------------------


@pytest.fixture
def every_rule(approved, order, quality, managers):
    """Supplier A missing every rule at once."""
    deliveries(order, on_time=2, late=3)
    inspection(approved, sample_size=100, defective_units=5)
    issue(approved, hours_ago=30)
    for weeks_ago in (3, 2, 1):
        snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=weeks_ago, met=False)
    price_discrepancy(approved)
    charge_discrepancy(approved)
    CertificationFactory(supplier=approved, valid_until=days(10))
    CorrectiveActionFactory(supplier=approved, raised_by=quality, due_on=days(-3))
    schedule(approved)
    # Visited on site two months ago, to be visited monthly: a visit is due.
    AuditFactory(
        supplier=approved, status="performed", performed_on=days(-60), planned_on=days(-60), result="pass"
    )
    VisitCadence.objects.create(supplier=approved, every_months=1)
    # High risk, its capacity never assessed under a yearly re-assessment policy for its tier: verification due.
    approved.risk_tier = RiskTier.HIGH
    approved.save(update_fields=["risk_tier"])
    VerificationPolicy.objects.create(risk_tier=RiskTier.HIGH, capacity_every_months=12)
    return approved


def test_every_rule_raises_its_flag_with_the_suppliers_owner(every_rule, buyer):
    raised = evaluate()
    assert sorted(f.rule for f in raised) == sorted(Rule.values)
    assert {f.owner for f in raised} == {buyer}
    assert all(f.recommended_action and f.observed for f in raised)


def test_evaluating_twice_raises_each_flag_once(every_rule):
    first = evaluate()
    notes = Notification.objects.count()
    assert evaluate() == []
    assert RedFlag.objects.count() == len(first) == len(Rule.values)
    assert Notification.objects.count() == notes == 2  # the escalation, once per manager


def test_a_flag_worked_to_resolution_is_not_raised_again_in_the_same_period(every_rule, buyer):
    evaluate()
    for flag in RedFlag.objects.all():
        services.flag_resolve(flag=flag, by=buyer, note="Spoke to the factory.")
    assert evaluate() == []


def next_week() -> list[RedFlag]:
    """Run the scan a week from today, the problems unchanged (the KPI window moves with it)."""
    return alerts.flags_evaluate(today=days(7), now=NOW + timedelta(days=7))


RECURRING = {Rule.ON_TIME_DELIVERY, Rule.DEFECT_RATE, Rule.CONSISTENT_MISS, Rule.NO_CONTACT}


def test_a_kpi_still_missed_next_week_is_the_same_flag_while_it_is_being_worked(every_rule, buyer, managers):
    evaluate()
    snapshot(every_rule, Kpi.DEFECT_RATE, weeks_ago=0, met=False)  # this week missed too: the run goes on
    services.flag_acknowledge(flag=the_flag(every_rule, Rule.ON_TIME_DELIVERY), by=buyer)
    notes = Notification.objects.count()
    raised = next_week()
    assert not {flag.rule for flag in raised} & RECURRING  # open or acknowledged: no second flag
    for rule in RECURRING:
        assert len(flags(every_rule, rule)) == 1
    assert Notification.objects.count() == notes  # the managers were told once


def test_a_kpi_missed_again_after_its_flag_was_resolved_raises_a_new_flag(every_rule, buyer, managers):
    evaluate()
    snapshot(every_rule, Kpi.DEFECT_RATE, weeks_ago=0, met=False)
    for rule in RECURRING:
        services.flag_resolve(
            flag=the_flag(every_rule, rule), by=buyer, note="Agreed a plan with the factory."
        )
    raised = next_week()
    assert {flag.rule for flag in raised} >= RECURRING
    assert {f.period for f in flags(every_rule, Rule.ON_TIME_DELIVERY)} == {
        periods.iso_week(days(0)),
        periods.iso_week(days(7)),
    }
    assert Notification.objects.filter(title__startswith="Escalated:").count() == 2 * len(managers)


def test_an_open_consistent_miss_of_one_kpi_does_not_hold_back_another_kpi(approved, managers):
    for weeks_ago in (3, 2, 1):
        snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=weeks_ago, met=False)
    evaluate()
    for weeks_ago in (2, 1, 0):
        snapshot(approved, Kpi.ON_TIME_DELIVERY, weeks_ago=weeks_ago, met=False)
    snapshot(approved, Kpi.DEFECT_RATE, weeks_ago=0, met=False)
    raised = next_week()
    assert [(f.rule, f.period.partition(":")[2]) for f in raised] == [
        (Rule.CONSISTENT_MISS, Kpi.ON_TIME_DELIVERY)
    ]


def test_one_off_flags_are_not_held_back_by_an_open_flag_of_the_same_rule(approved):
    issue(approved, hours_ago=30, subject="Lot 4")
    evaluate()
    issue(approved, hours_ago=30, subject="Lot 5")
    (raised,) = evaluate()
    assert (raised.rule, raised.detail) == (Rule.UNANSWERED_ISSUE, "Lot 5")


def test_the_check_of_one_supplier_leaves_the_others_alone(every_rule, supplier_b):
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    deliveries(PurchaseOrderFactory(supplier=supplier_b), on_time=0, late=5)
    raised = evaluate(supplier_ids=[supplier_b.pk])
    assert [(f.supplier, f.rule) for f in raised] == [(supplier_b, Rule.ON_TIME_DELIVERY)]


@pytest.mark.django_db(transaction=True)
def test_evaluations_running_at_once_raise_each_flag_once(supplier_a, quality):
    managers = [UserFactory(role=Role.MANAGER), UserFactory(role=Role.MANAGER)]
    # Built with the per-write checks off, so that nothing is raised before the runs race.
    with triggers.muted():
        supplier_a.stage = Stage.APPROVED
        supplier_a.save(update_fields=["stage"])
        deliveries(PurchaseOrderFactory(supplier=supplier_a), on_time=2, late=3)
        issue(supplier_a, hours_ago=30)
        for weeks_ago in (3, 2, 1):
            snapshot(supplier_a, Kpi.ON_TIME_DELIVERY, weeks_ago=weeks_ago, met=False)
        CorrectiveActionFactory(supplier=supplier_a, raised_by=quality, due_on=days(-3))
    assert not RedFlag.objects.exists()

    runs = 4
    start = threading.Barrier(runs)
    raised, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            for _attempt in range(100):
                try:
                    raised.append(evaluate())
                    break
                except (OperationalError, Retry) as exc:  # an eager task's autoretry wraps it in Retry
                    # The SQLite test database lives in memory with a shared cache, whose table locks fail at
                    # once instead of waiting (the file database of `make run` waits up to 20 s): try again,
                    # as a redelivered task would. PostgreSQL never gets here.
                    if connection.vendor != "sqlite" or "locked" not in str(exc):
                        raise
                    sleep(0.01)
            else:
                errors.append("still locked after 100 attempts")
        except Exception as exc:  # reported below: an error in a thread would not fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    expected = sorted({Rule.ON_TIME_DELIVERY, Rule.UNANSWERED_ISSUE, Rule.CONSISTENT_MISS, Rule.CAPA_OVERDUE})
    assert sorted(f.rule for f in RedFlag.objects.all()) == expected
    # No two runs raised the same flag (on SQLite an attempt that hit a lock may have raised one and then failed,
    # so only PostgreSQL accounts for every flag), and the escalation went out once per manager.
    reported = sorted(f.rule for run in raised for f in run)
    assert len(reported) == len(set(reported))
    if connection.vendor == "postgresql":
        assert reported == expected
    for manager in managers:
        assert Notification.objects.filter(user=manager).count() == 1


# --- Targets ----------------------------------------------------------------------------------------------------


def test_per_supplier_target_decides_whether_on_time_delivery_is_flagged(order, approved, admin_user):
    deliveries(order, on_time=9, late=1)  # 90 %
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("85"), supplier=approved)
    assert evaluate() == []
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("92"), supplier=approved)
    flag = the_flag_after_evaluate(approved, Rule.ON_TIME_DELIVERY)
    assert flag.target == "≥ 92.00 %"


def test_stricter_default_target_flags_what_the_built_in_default_allows(order, approved, admin_user):
    deliveries(order, on_time=19, late=1)  # 95 %
    assert evaluate() == []
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("98"))
    assert [f.rule for f in evaluate()] == [Rule.ON_TIME_DELIVERY]


@pytest.fixture
def apparel_and_electronics(approved):
    apparel = ProductCategory.objects.create(name="Apparel")
    electronics = ProductCategory.objects.create(name="Electronics")
    return apparel, electronics


def test_per_category_target_decides_whether_the_defect_rate_is_flagged(
    approved, admin_user, apparel_and_electronics
):
    apparel, _electronics = apparel_and_electronics
    approved.categories.add(apparel)
    inspection(approved, sample_size=100, defective_units=3)  # 3 %
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("4"), category=apparel)
    assert evaluate() == []


def test_strictest_category_target_wins(approved, admin_user, apparel_and_electronics):
    apparel, electronics = apparel_and_electronics
    approved.categories.add(apparel, electronics)
    inspection(approved, sample_size=100, defective_units=3)  # 3 %
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("4"), category=apparel)
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("2.5"), category=electronics)
    flag = the_flag_after_evaluate(approved, Rule.DEFECT_RATE)
    assert flag.target == "< 2.50 %"


def test_strictest_category_target_wins_for_on_time_delivery_too(
    order, approved, admin_user, apparel_and_electronics
):
    apparel, electronics = apparel_and_electronics
    approved.categories.add(apparel, electronics)
    deliveries(order, on_time=9, late=1)  # 90 %
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("85"), category=apparel)
    assert evaluate() == []
    services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("91"), category=electronics)
    assert the_flag_after_evaluate(approved, Rule.ON_TIME_DELIVERY).target == "≥ 91.00 %"


def test_supplier_target_overrides_its_categories(approved, admin_user, apparel_and_electronics):
    apparel, _electronics = apparel_and_electronics
    approved.categories.add(apparel)
    inspection(approved, sample_size=100, defective_units=3)  # 3 %
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("2"), category=apparel)
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("5"), supplier=approved)
    assert evaluate() == []


def test_category_target_of_another_category_does_not_apply(approved, admin_user, apparel_and_electronics):
    apparel, electronics = apparel_and_electronics
    approved.categories.add(apparel)
    inspection(approved, sample_size=100, defective_units=3)
    services.target_set(by=admin_user, kpi=Kpi.DEFECT_RATE, value=Decimal("5"), category=electronics)
    assert [f.rule for f in evaluate()] == [Rule.DEFECT_RATE]


def test_per_supplier_response_target_decides_when_an_unanswered_issue_is_flagged(approved, admin_user):
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("48"), supplier=approved)
    issue(approved, hours_ago=30)
    assert evaluate() == []


def test_only_an_administrator_sets_targets(approved, manager):
    with pytest.raises(PermissionDenied):
        services.target_set(by=manager, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("90"), supplier=approved)


# --- Workflow: open → acknowledged → resolved --------------------------------------------------------------------


@pytest.fixture
def flag(order, approved):
    deliveries(order, on_time=0, late=5)
    (raised,) = evaluate()
    return raised


def test_acknowledging_an_open_flag_records_who_and_when(flag, quality):
    services.flag_acknowledge(flag=flag, by=quality, note="Calling the plant manager.")
    flag.refresh_from_db()
    assert (flag.state, flag.acknowledged_by, flag.note) == (
        RedFlag.State.ACKNOWLEDGED,
        quality,
        "Calling the plant manager.",
    )
    assert flag.acknowledged_at is not None


def test_only_an_open_flag_can_be_acknowledged(flag, buyer):
    services.flag_acknowledge(flag=flag, by=buyer)
    with pytest.raises(ValidationError):
        services.flag_acknowledge(flag=flag, by=buyer)
    services.flag_resolve(flag=flag, by=buyer, note="New schedule agreed.")
    with pytest.raises(ValidationError):
        services.flag_acknowledge(flag=flag, by=buyer)
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED


def test_resolving_needs_a_note(flag, buyer):
    with pytest.raises(ValidationError) as error:
        services.flag_resolve(flag=flag, by=buyer, note="   ")
    assert "note" in error.value.message_dict
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_at) == (RedFlag.State.OPEN, None)


def test_resolving_an_acknowledged_flag_closes_it_once(flag, buyer, manager):
    services.flag_acknowledge(flag=flag, by=buyer)
    services.flag_resolve(flag=flag, by=buyer, note="  New schedule agreed.  ")
    flag.refresh_from_db()
    assert (flag.state, flag.resolved_by, flag.note) == (
        RedFlag.State.RESOLVED,
        buyer,
        "New schedule agreed.",
    )
    resolved_at = flag.resolved_at
    with pytest.raises(ValidationError):
        services.flag_resolve(flag=flag, by=manager, note="Again.")
    flag.refresh_from_db()
    assert (flag.resolved_by, flag.resolved_at) == (buyer, resolved_at)


def test_an_open_flag_can_be_resolved_at_once(flag, buyer):
    services.flag_resolve(flag=flag, by=buyer, note="Raised in error: wrong promised dates imported.")
    flag.refresh_from_db()
    assert flag.state == RedFlag.State.RESOLVED


def test_a_flag_is_assigned_to_a_colleague(flag, buyer, quality):
    services.flag_assign(flag=flag, by=buyer, owner=quality)
    flag.refresh_from_db()
    assert flag.owner == quality


def test_a_flag_cannot_be_assigned_to_a_factory_contact(flag, buyer, portal_a):
    with pytest.raises(ValidationError):
        services.flag_assign(flag=flag, by=buyer, owner=portal_a)
    flag.refresh_from_db()
    assert flag.owner == buyer


def test_a_factory_contact_cannot_work_a_flag(flag, portal_a, buyer):
    with pytest.raises(PermissionDenied):
        services.flag_acknowledge(flag=flag, by=portal_a)
    with pytest.raises(PermissionDenied):
        services.flag_resolve(flag=flag, by=portal_a, note="Done.")
    with pytest.raises(PermissionDenied):
        services.flag_assign(flag=flag, by=portal_a, owner=portal_a)
    flag.refresh_from_db()
    assert (flag.state, flag.owner) == (RedFlag.State.OPEN, buyer)


# --- A write queues a check for its supplier ----------------------------------------------------------------------


@pytest.fixture
def sent_order(approved):
    return PurchaseOrderFactory(supplier=approved, status=PurchaseOrder.Status.SENT)


def test_receiving_a_late_delivery_queues_a_check_for_that_supplier_after_commit(
    sent_order, approved, supplier_b, buyer, django_capture_on_commit_callbacks
):
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    deliveries(PurchaseOrderFactory(supplier=supplier_b), on_time=0, late=5)  # bad, but nothing written for B
    deliveries(sent_order, on_time=2, late=2)
    late = DeliveryFactory(order=sent_order, promised_on=days(-3))
    with django_capture_on_commit_callbacks(execute=True):
        order_services.delivery_receive(delivery=late, by=buyer, received_on=days(-1), quantity_received=1000)
        assert not RedFlag.objects.exists()  # nothing before the commit
    assert [(f.supplier, f.rule) for f in RedFlag.objects.all()] == [(approved, Rule.ON_TIME_DELIVERY)]
    assert the_flag(approved, Rule.ON_TIME_DELIVERY).observed == "40.00 % (2/5)"


def test_receiving_an_on_time_delivery_raises_nothing(
    sent_order, approved, buyer, django_capture_on_commit_callbacks
):
    deliveries(sent_order, on_time=4, late=0)
    delivery = DeliveryFactory(order=sent_order, promised_on=days(-1))
    with django_capture_on_commit_callbacks(execute=True):
        order_services.delivery_receive(
            delivery=delivery, by=buyer, received_on=days(-2), quantity_received=1000
        )
    assert not RedFlag.objects.exists()


def test_a_receipt_rolled_back_queues_no_check(
    sent_order, approved, buyer, django_capture_on_commit_callbacks
):
    deliveries(sent_order, on_time=2, late=2)
    late = DeliveryFactory(order=sent_order, promised_on=days(-3))
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
        transaction.atomic(),
    ):
        order_services.delivery_receive(delivery=late, by=buyer, received_on=days(-1), quantity_received=1000)
        raise ValidationError("Changed my mind.")
    assert callbacks == [] and not RedFlag.objects.exists()


def test_muted_writes_queue_no_check(sent_order, approved, buyer, django_capture_on_commit_callbacks):
    deliveries(sent_order, on_time=2, late=2)
    late = DeliveryFactory(order=sent_order, promised_on=days(-3))
    with django_capture_on_commit_callbacks(execute=True), triggers.muted():
        order_services.delivery_receive(delivery=late, by=buyer, received_on=days(-1), quantity_received=1000)
    assert not RedFlag.objects.exists()
