"""The nightly scan and the weekly snapshots in a number of queries that does not grow with the suppliers: one
statement inserts every new flag (and says which ones it inserted), one upserts every snapshot, and the escalation
emails go out in one queued task."""

import uuid
from datetime import time, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from audits.models import QCInspection, VerificationPolicy, VisitCadence
from communications import tasks as communication_tasks
from communications.models import CheckInSchedule, Notification, Side, SupplierIssue
from orders.models import Delivery, PurchaseOrder
from scorecards import alerts, services
from scorecards.models import Kpi, KpiSnapshot, RedFlag
from suppliers import triggers
from suppliers.models import RiskTier, Stage, Supplier
from tests.factories import (
    AuditFactory,
    CertificationFactory,
    CorrectiveActionFactory,
    DeliveryFactory,
    PurchaseOrderFactory,
    QCInspectionFactory,
    SupplierFactory,
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

pytestmark = pytest.mark.django_db

Rule = RedFlag.Rule
NOW = timezone.now().replace(microsecond=0)
# Whatever the number of suppliers (or flags, or escalations): suppliers, targets, 2 KPI aggregates, the snapshot
# misses of the last three weeks (one read), 7 event reads, the visits due, the unresolved recurring and visit-due
# flags, a savepoint around 5 writes (the insert, which returns the flags whole, their suppliers, managers, their
# email preferences, notifications), the factory's side (the flags its portal shows, its contacts: none here), and
# the webhook endpoints and chat channels that might want the flags raised (integrations), the visits due, and the verification status (policies, tiers, categories, last
# audits, assessments; certificates only when a policy asks for one, and the policy here does not).
# 30 (was 31): the snapshot weeks are a subquery of the misses' read.
SCAN_QUERIES = 30
# 5 KPI aggregates, the response targets they hold issues to, the targets, one upsert.
SNAPSHOT_QUERIES = 8


def evaluate() -> list[RedFlag]:
    return alerts.flags_evaluate(today=days(0), now=NOW)


def failing_supplier(owner, n: int) -> Supplier:
    """An approved supplier that breaks every rule at once: one flag per rule, one of them escalated."""
    supplier = SupplierFactory(
        name=f"Failing {n:03d}", stage=Stage.APPROVED, owner=owner, risk_tier=RiskTier.HIGH
    )
    order = PurchaseOrderFactory(supplier=supplier, buyer=owner)
    for k in range(5):
        promised = days(-10 - k)
        DeliveryFactory(
            order=order, promised_on=promised, received_on=promised + timedelta(days=3),
            status=Delivery.Status.RECEIVED, quantity_received=1000,
        )  # fmt: skip
    QCInspectionFactory(
        supplier=supplier, sample_size=100, defective_units=5, inspected_on=days(-5), report=""
    )
    SupplierIssue.objects.create(
        supplier=supplier, raised_by_side=Side.BUYER, category=SupplierIssue.Category.DELIVERY,
        subject="Where is lot 4?", description="Due last week.", raised_by=owner, owner=owner,
        raised_at=NOW - timedelta(hours=30), status=SupplierIssue.Status.OPEN,
    )  # fmt: skip
    monday = services.week_start_of(days(0))
    for weeks_ago in (3, 2, 1):
        KpiSnapshot.objects.create(
            supplier=supplier, kpi=Kpi.ON_TIME_DELIVERY, week_start=monday - timedelta(weeks=weeks_ago),
            numerator=8, denominator=10, sample=10, value=Decimal("80.00"), target=Decimal("95"), met=False,
        )  # fmt: skip
    invoice = InvoiceFactory(order=order)
    DiscrepancyFactory(line=InvoiceLineFactory(invoice=invoice))
    ChargeDiscrepancyFactory(charge=InvoiceChargeFactory(invoice=invoice))
    CertificationFactory(supplier=supplier, valid_until=days(10))
    CorrectiveActionFactory(supplier=supplier, raised_by=owner, due_on=days(-3))
    CheckInSchedule.objects.create(
        supplier=supplier, cadence=CheckInSchedule.Cadence.WEEKLY, weekday=1, local_time=time(9, 0),
        starts_on=days(-60), created_by=owner,
    )  # fmt: skip
    AuditFactory(
        supplier=supplier, status="performed", performed_on=days(-60), planned_on=days(-60), result="pass"
    )
    VisitCadence.objects.create(supplier=supplier, every_months=1)
    return supplier


@pytest.fixture
def managers(db):
    return [UserFactory(role=Role.MANAGER), UserFactory(role=Role.MANAGER)]


def failing_suppliers(count: int) -> list[Supplier]:
    owner = UserFactory(role=Role.PROCUREMENT)
    # Capacity never assessed under a yearly re-assessment policy: one verification-due flag each.
    VerificationPolicy.objects.get_or_create(category=None, risk_tier=RiskTier.HIGH, capacity_every_months=12)
    with triggers.muted():  # the per-write checks would raise the flags before the scan
        return [failing_supplier(owner, n) for n in range(count)]


# --- The scan ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_scan_makes_the_same_number_of_queries_for_3_and_for_30_failing_suppliers(
    count, managers, django_assert_num_queries
):
    suppliers = failing_suppliers(count)

    with django_assert_num_queries(SCAN_QUERIES):
        raised = evaluate()

    assert len(raised) == count * len(Rule.values)
    assert {flag.supplier for flag in raised} == set(suppliers)
    # One notification (one email) per manager for the whole scan, listing every escalation.
    assert Notification.objects.count() == len(managers)
    assert all(note.body.count("\n- ") == count - 1 for note in Notification.objects.all())


def test_a_scan_that_raises_nothing_new_makes_no_more_queries_than_one_that_raises_everything(
    managers, django_assert_max_num_queries
):
    failing_suppliers(5)
    evaluate()

    with django_assert_max_num_queries(SCAN_QUERIES):
        assert evaluate() == []


def test_the_scan_returns_only_the_flags_it_inserted_when_some_already_existed(managers):
    (supplier,) = failing_suppliers(1)
    earlier_run = uuid.uuid4()
    existing = RedFlag.objects.create(
        supplier=supplier, rule=Rule.CAPA_OVERDUE,
        period=f"capa-{supplier.corrective_actions.get().pk}", observed="due earlier", recommended_action="Chase",
        run=earlier_run,
    )  # fmt: skip

    raised = evaluate()

    assert existing.pk not in {flag.pk for flag in raised}
    assert sorted(flag.rule for flag in raised) == sorted(set(Rule.values) - {Rule.CAPA_OVERDUE})
    # One run token for the flags this scan raised; the earlier flag keeps its own and its values.
    assert len({flag.run for flag in raised}) == 1 and raised[0].run not in (None, earlier_run)
    existing.refresh_from_db()
    assert (existing.run, existing.observed) == (earlier_run, "due earlier")
    assert RedFlag.objects.filter(supplier=supplier, rule=Rule.CAPA_OVERDUE).count() == 1


def test_the_flags_come_back_with_their_supplier_loaded(managers, django_assert_num_queries):
    failing_suppliers(2)
    raised = evaluate()

    with django_assert_num_queries(0):
        assert all(flag.supplier.name.startswith("Failing") for flag in raised)


def test_the_escalations_of_one_scan_queue_one_email_task_after_commit(
    managers, django_capture_on_commit_callbacks
):
    failing_suppliers(4)

    with (
        mock.patch.object(communication_tasks.notification_emails_task, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        evaluate()
        assert not publish.called  # not before the flags and notifications are committed

    publish.assert_called_once()
    (ids,) = publish.call_args.kwargs["args"]
    assert sorted(ids) == sorted(Notification.objects.values_list("pk", flat=True)) and len(ids) == 2


def test_escalations_of_one_scan_go_to_each_manager_in_one_email_listing_them_when_the_scan_commits(
    managers, django_capture_on_commit_callbacks
):
    suppliers = failing_suppliers(2)

    with django_capture_on_commit_callbacks(execute=True):
        evaluate()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(m.email for m in managers)
    assert all(s.name in message.body for s in suppliers for message in mail.outbox)
    assert "Escalated: 2 KPIs missed three weeks running" in mail.outbox[0].subject
    assert set(Notification.objects.values_list("email", flat=True)) == {Notification.Email.SENT}


# --- Snapshots --------------------------------------------------------------------------------------------------


def suppliers_with_kpis(count: int) -> None:
    """`count` suppliers, each with one due delivery and one inspection: two snapshot rows each."""
    owner = UserFactory(role=Role.PROCUREMENT)
    inspector = UserFactory(role=Role.QUALITY)
    suppliers = Supplier.objects.bulk_create(
        [
            Supplier(name=f"Bulk {n:04d}", country="CN", timezone="Asia/Shanghai", owner=owner)
            for n in range(count)
        ]
    )
    orders = PurchaseOrder.objects.bulk_create(
        [
            PurchaseOrder(
                number=f"PO-B-{s.pk}",
                supplier=s,
                buyer=owner,
                ordered_on=days(-40),
                status=PurchaseOrder.Status.SENT,
            )
            for s in suppliers
        ]
    )
    last_week = days(-7)
    Delivery.objects.bulk_create(
        [
            Delivery(
                order=o, supplier_id=o.supplier_id, promised_on=last_week, original_promised_on=last_week,
                quantity_planned=10, received_on=last_week, quantity_received=10, status=Delivery.Status.RECEIVED,
            )
            for o in orders
        ]
    )  # fmt: skip
    QCInspection.objects.bulk_create(
        [
            QCInspection(
                supplier=s, checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT, inspector=inspector,
                inspected_on=last_week, lot_size=1000, code_letter="J", sample_size=80, defective_units=1,
                major_accept=5, major_reject=6, minor_accept=7, minor_reject=8,
            )
            for s in suppliers
        ]
    )  # fmt: skip


@pytest.mark.parametrize("count", [3, 1100])
def test_snapshots_of_every_supplier_are_written_in_the_same_number_of_queries(
    count, django_assert_num_queries
):
    suppliers_with_kpis(count)  # 1,100 suppliers: 2,200 rows, more than one batch of the former upsert
    week = services.week_start_of(days(0)) - timedelta(weeks=1)

    with django_assert_num_queries(SNAPSHOT_QUERIES):
        written = services.snapshots_write(week_start=week, now=NOW)

    assert written == KpiSnapshot.objects.filter(week_start=week).count() == 2 * count


def test_writing_the_same_weeks_snapshots_again_overwrites_the_same_rows(django_assert_num_queries):
    suppliers_with_kpis(3)
    week = services.week_start_of(days(0)) - timedelta(weeks=1)
    services.snapshots_write(week_start=week, now=NOW)
    first = {(s.supplier_id, s.kpi): s.pk for s in KpiSnapshot.objects.filter(week_start=week)}
    QCInspection.objects.update(defective_units=80)  # every inspected unit defective now

    with django_assert_num_queries(SNAPSHOT_QUERIES):
        assert services.snapshots_write(week_start=week, now=NOW) == 6

    rows = KpiSnapshot.objects.filter(week_start=week)
    assert {(s.supplier_id, s.kpi): s.pk for s in rows} == first
    defects = rows.filter(kpi=Kpi.DEFECT_RATE)
    assert {(s.numerator, s.denominator, s.value, s.met) for s in defects} == {
        (80, 80, Decimal("100.00"), False)
    }
    deliveries = rows.filter(kpi=Kpi.ON_TIME_DELIVERY)
    # One delivery: below the minimum sample, so no value and no verdict, but the counts are kept.
    assert {(s.numerator, s.denominator, s.value, s.met) for s in deliveries} == {(1, 1, None, None)}


def test_every_flag_about_a_row_points_at_that_row(managers):
    """The portal hides a flag whose source it hides: each event rule's flag carries its source row."""
    (supplier,) = failing_suppliers(1)

    raised = {flag.rule: flag for flag in evaluate()}

    assert raised[Rule.UNANSWERED_ISSUE].issue == supplier.issues.get()
    assert raised[Rule.PRICE_ABOVE_AGREED].discrepancy.supplier == supplier
    assert raised[Rule.HIDDEN_COST].discrepancy.charge.invoice.supplier == supplier
    assert raised[Rule.CERTIFICATION].certification == supplier.certifications.get()
    assert raised[Rule.CAPA_OVERDUE].corrective_action == supplier.corrective_actions.get()
    for rule in (Rule.ON_TIME_DELIVERY, Rule.DEFECT_RATE, Rule.CONSISTENT_MISS, Rule.NO_CONTACT):
        assert all(getattr(raised[rule], f"{source}_id") is None for source in RedFlag.SOURCES), rule
