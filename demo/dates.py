"""Put a demo supplier's timestamps where its story happened.

The demo is built through the services in a few seconds, so every "when" the services stamp with the clock (stage
changes, the activity timeline, orders sent, invoices approved, corrective actions answered) would read today. The
story's own dates (ordered, shipped, received, inspected, audited, invoiced, paid) are right; this moves the clock
stamps to match them, so a newcomer reads a plausible year: vetted, piloted, approved, then ordering every week.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from audits.models import Audit, CorrectiveAction, QCInspection
from communications.models import CheckIn, SupplierIssue
from orders.models import Delivery, PilotProgram, PurchaseOrder
from payments.models import Invoice, Payment
from suppliers.models import Activity, ActivityKind, Stage, StageChange, Supplier

VETTING_KINDS = {
    ActivityKind.CONTACT_ADDED,
    ActivityKind.REFERENCE_ADDED,
    ActivityKind.CERTIFICATE_ADDED,
    ActivityKind.CAPACITY_ASSESSED,
    ActivityKind.CONTRACT_ADDED,
}


def _at(day: date | None, hour: int = 10) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _stage_dates(supplier: Supplier, today: date, changes: list[StageChange]) -> list[datetime]:
    """One date per stage change, in order, from the evidence of each stage."""
    pilots = list(PilotProgram.objects.filter(supplier=supplier).order_by("starts_on"))
    first_pilot = pilots[0] if pilots else None
    passed = next((p for p in pilots if p.status == PilotProgram.Status.PASSED), None)
    failed_audit = (
        Audit.objects.filter(supplier=supplier, result=Audit.Result.FAIL).order_by("-performed_on").first()
    )
    anchors = {
        Stage.VETTING: (first_pilot.starts_on - timedelta(days=30))
        if first_pilot
        else today - timedelta(days=40),
        Stage.PILOT: (first_pilot.starts_on - timedelta(days=2))
        if first_pilot
        else today - timedelta(days=20),
        Stage.APPROVED: passed.ends_on if passed else today - timedelta(days=170),
        Stage.STRATEGIC: today - timedelta(days=60),
        Stage.ON_HOLD: (failed_audit.performed_on + timedelta(days=2))
        if failed_audit and failed_audit.performed_on
        else today - timedelta(days=10),
        Stage.SUSPENDED: today - timedelta(days=25),
        Stage.OFFBOARDED: today - timedelta(days=15),
    }
    dates, previous = [], None
    for change in changes:
        day = anchors.get(change.to_stage, today)
        if previous is not None and day <= previous:
            day = previous + timedelta(days=1)
        day = min(day, today)
        dates.append(_at(day, 11))
        previous = day
    return dates


def backdate(supplier: Supplier, *, today: date) -> None:
    """Move a demo supplier's clock stamps to the dates of its story (idempotent for the same story)."""
    changes = list(StageChange.objects.filter(supplier=supplier).order_by("pk"))
    stage_dates = _stage_dates(supplier, today, changes)
    for change, when in zip(changes, stage_dates, strict=True):
        StageChange.objects.filter(pk=change.pk).update(changed_at=when)
    if stage_dates:
        Supplier.objects.filter(pk=supplier.pk).update(stage_changed_at=stage_dates[-1])
    start = (stage_dates[0] if stage_dates else _at(today - timedelta(days=30))) - timedelta(days=10)

    orders = {o.pk: o for o in PurchaseOrder.objects.filter(supplier=supplier)}
    for order in orders.values():
        PurchaseOrder.objects.filter(pk=order.pk).update(
            sent_at=_at(order.ordered_on, 10) if order.sent_at else None,
            acknowledged_at=_at(order.ordered_on + timedelta(days=1), 9) if order.acknowledged_at else None,
        )
    deliveries = {d.pk: d for d in Delivery.objects.filter(supplier=supplier)}
    inspections = {i.pk: i for i in QCInspection.objects.filter(supplier=supplier)}
    audits = {a.pk: a for a in Audit.objects.filter(supplier=supplier)}
    invoices = {i.pk: i for i in Invoice.objects.filter(supplier=supplier)}
    for invoice in invoices.values():
        Invoice.objects.filter(pk=invoice.pk).update(
            submitted_at=_at(invoice.received_on, 8),
            decided_at=_at(invoice.received_on + timedelta(days=2)) if invoice.decided_at else None,
        )
    for payment in Payment.objects.filter(invoice__supplier=supplier):
        Payment.objects.filter(pk=payment.pk).update(recorded_at=_at(payment.paid_on, 15))
    issues = {i.pk: i for i in SupplierIssue.objects.filter(supplier=supplier)}
    checkins = {c.pk: c for c in CheckIn.objects.filter(supplier=supplier)}
    pilots = {p.pk: p for p in PilotProgram.objects.filter(supplier=supplier)}
    actions = {a.pk: a for a in CorrectiveAction.objects.filter(supplier=supplier)}
    for action in actions.values():
        CorrectiveAction.objects.filter(pk=action.pk).update(
            submitted_at=action.raised_at + timedelta(days=6) if action.submitted_at else None,
            verified_at=action.raised_at + timedelta(days=9) if action.verified_at else None,
        )

    K = ActivityKind
    rows = {
        Delivery: deliveries,
        PurchaseOrder: orders,
        QCInspection: inspections,
        Audit: audits,
        CorrectiveAction: actions,
        Invoice: invoices,
        SupplierIssue: issues,
        CheckIn: checkins,
        PilotProgram: pilots,
    }
    by_type = {model._meta.label_lower: found for model, found in rows.items()}

    def when(activity: Activity) -> datetime | None:
        """Return when the line's row had the line's event, or None to leave the line where it is."""
        row = by_type.get(activity.object_type, {}).get(activity.object_id)
        if row is None:
            return None
        kind = activity.kind
        if isinstance(row, Delivery):
            return _at(row.shipped_on if kind == K.SHIPMENT_RECORDED else row.received_on, 16)
        if isinstance(row, PurchaseOrder):
            hour_and_days = {K.ORDER_CREATED: (9, 0), K.ORDER_SENT: (10, 0), K.ORDER_ACKNOWLEDGED: (9, 1)}
            if kind not in hour_and_days:
                return None
            hour, days = hour_and_days[kind]
            return _at(row.ordered_on + timedelta(days=days), hour)
        if isinstance(row, QCInspection):
            return _at(row.inspected_on, 14)
        if isinstance(row, Audit):
            if kind == K.AUDIT_PLANNED:
                return _at(min(row.planned_on - timedelta(days=21), today - timedelta(days=1)))
            return _at(row.performed_on or row.planned_on, 17)
        if isinstance(row, CorrectiveAction):
            return row.raised_at + timedelta(days={K.CAPA_ANSWERED: 6, K.CAPA_VERIFIED: 9}.get(kind, 0))
        if isinstance(row, Invoice):
            if kind in (K.INVOICE_PAID, K.INVOICE_PAID_LATE, K.PART_PAYMENT):
                return _at(row.paid_on or row.due_on, 15)
            if kind == K.INVOICE_APPROVED:
                return _at(row.received_on + timedelta(days=2))  # when the invoice itself was decided
            return _at(row.received_on, 9)
        if isinstance(row, SupplierIssue):
            if kind == K.ISSUE_RESOLVED and row.resolved_at:
                return row.resolved_at
            return row.raised_at + timedelta(hours=24 if kind == K.ISSUE_ESCALATED else 0)
        if isinstance(row, CheckIn):
            return row.held_at or row.scheduled_at
        return _at(row.ends_on if kind == K.PILOT_PASSED else row.starts_on)  # a pilot programme

    activities = list(Activity.objects.filter(supplier=supplier).order_by("pk"))
    stage_iter = iter(stage_dates)
    for activity in activities:
        if activity.kind == K.STAGE_CHANGED:
            moved = next(stage_iter, None)
        elif activity.kind == K.SUPPLIER_CREATED:
            moved = start
        elif activity.kind in VETTING_KINDS:
            # Vetting evidence (contacts, references, certificates, assessments) comes before the pilot.
            moved = start + timedelta(days=1 + activity.pk % 9)
        else:
            moved = when(activity)  # None: a recent event of the demo's story, left where it is
        if moved is not None:
            moved = min(moved, timezone.now())
            Activity.objects.filter(pk=activity.pk).update(occurred_at=moved)
