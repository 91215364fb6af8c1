"""The moments of the demo's story about orders and quality: a date proposed on an open delivery, order changes
proposed by the buyer (one waiting, one countered by the factory), a failed audit that proposes a hold, and lab reports."""

from datetime import timedelta

from django.db.models import F

from audits import services as quality
from audits.models import (
    Audit,
    HoldProposal,
)
from orders import services as orders
from orders.models import DateProposal, Disruption, DisruptionCause

from .history import History, demo_file


def propose_date_on_an_open_delivery(history: History) -> None:
    """A factory warns of a delay: a proposal waiting for the buyer's answer."""
    delivery = history.supplier.deliveries.filter(status="planned", promised_on__gte=history.today).first()
    if delivery is not None and not DateProposal.objects.filter(delivery=delivery).exists():
        orders.delivery_propose_date(
            delivery=delivery,
            by=history.portal or history.buyer,
            proposed_on=delivery.promised_on + timedelta(days=9),
            reason="Fabric from the mill is a week late after the typhoon closed the port.",
            cause=DisruptionCause.WEATHER,
        )


def typhoon_excuses_a_late_delivery(history: History) -> None:
    """A manager declares the typhoon that closed the Shenzhen ports and excuses the late delivery it caused."""
    late = (
        history.supplier.deliveries.filter(
            status="received",
            promised_on__lt=history.today - timedelta(days=7),
            received_on__gt=F("promised_on"),  # late: only a late delivery is excused
            excused_at__isnull=True,
        )
        .order_by("-promised_on")
        .first()
    )
    if late is None or Disruption.objects.filter(title="Typhoon Koinu").exists():
        return
    disruption = orders.disruption_declare(
        by=history.manager,
        title="Typhoon Koinu",
        cause=DisruptionCause.WEATHER,
        region="Shenzhen and Yantian ports",
        starts_on=late.promised_on - timedelta(days=3),
        ends_on=late.promised_on + timedelta(days=1),
        suppliers=[history.supplier],
        description="Signal No. 8: both ports closed for four days; trucks held at the terminals.",
    )
    orders.delivery_excuse(
        delivery=late,
        by=history.manager,
        reason="Port closed by Typhoon Koinu; the goods sat at Yantian for four days.",
        disruption=disruption,
    )


def buyer_changes_an_order(history: History) -> None:
    """The buyer's own reliability: a late quantity change proposed to the factory, still waiting for its answer;
    and, on another order, a date change the factory countered with its own date and why."""
    open_orders = history.supplier.orders.filter(
        status__in=["sent", "acknowledged"], deliveries__status="planned"
    ).distinct()
    order = open_orders.first()
    if order is None:
        return
    line = order.lines.first()
    orders.order_line_change(
        line=line,
        by=history.buyer,
        quantity=line.quantity + 300,
        reason="Retail customer raised the forecast.",
    )
    soon = history.today + timedelta(
        days=10
    )  # far enough ahead for the factory's counter to be in the future
    other = open_orders.exclude(pk=order.pk).filter(lines__required_on__gte=soon).first()
    if other is None or history.portal is None:
        return
    line = other.lines.filter(required_on__gte=soon).first()
    orders.order_line_change(
        line=line,
        by=history.buyer,
        required_on=line.required_on - timedelta(days=7),
        reason="The store opening moved a week earlier.",
    )
    change = other.changes.get(status="proposed", kind="required_date")
    orders.order_change_counter(
        change=change,
        by=history.portal,
        required_on=line.required_on - timedelta(days=3),
        reason="Dyeing needs four more days; we can ship three days earlier, not seven.",
    )


def failed_audit_and_hold(history: History, *, accept: bool | None) -> None:
    """A failed audit with a critical finding proposes a hold; staff accept it, dismiss it, or leave it open."""
    audit = history.audit(
        audit_type=Audit.Type.SAFETY,
        days_ago=12,
        low=1,
        findings=[
            ("critical", "Fire safety", "Emergency exit on the second floor locked during the shift."),
            ("major", "SA8000 7", "Overtime records show 78-hour weeks in peak season."),
        ],
    )
    finding = audit.findings.filter(severity="critical").first()
    history.corrective_action(
        finding=finding, title="Locked emergency exit", problem=finding.description, age_days=10, answer=False
    )
    proposal = HoldProposal.objects.get(audit=audit)
    if accept is not None:
        quality.hold_decide(
            proposal=proposal,
            by=history.manager,
            accept=accept,
            note="Hold until the exit is verified open."
            if accept
            else "Exit reopened the same day; follow-up audit booked instead.",
        )


def lab_reports(history: History) -> None:
    """Lab reports the factory uploaded, one waiting for QC's review."""
    for n, (standard, outcome) in enumerate(
        [
            ("EN 71-3 migration of elements", "pass"),
            ("REACH SVHC screening", "pass"),
            ("CPSIA total lead", "pass"),
        ]
    ):
        test = quality.batch_test_submit(
            supplier=history.supplier,
            by=history.portal or history.qc,
            lot_number=f"LOT-{history.index}-{n + 1}",
            standard=standard,
            laboratory="SGS Shenzhen",
            tested_on=history.today - timedelta(days=40 - n * 15),
            outcome=outcome,
            report=demo_file("lab.pdf", f"{standard} report"),
        )
        if n < 2:
            quality.batch_test_review(test=test, by=history.qc, accept=True)
