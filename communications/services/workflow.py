"""Every workflow event reaches the other side: the factory hears of the buyer's steps, the buyer of the factory's.

Lower apps only record what happened (suppliers' activity timeline, core/workflow_events.py); communications registers
these handlers in its ready(). Each notification names a text of communications/messages.py, rendered in the
reader's language, and links to the page the reader opens: the portal page for a factory contact, the staff page
for staff. Isolation: a factory contact is told only of a row its own portal shows it (`visible_to(user)`), so a
planned unannounced audit, an unshared inspection or another company's row is never announced.
"""

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from suppliers.models import ActivityKind, Supplier

from ..models import Family
from .notifications import notify
from .pricing import HANDLERS as PRICING_HANDLERS


def factory_contacts(*, supplier_id: int, target=None) -> list[User]:
    """Return the supplier's active portal users who may see `target` (all of them when there is none)."""
    users = list(
        User.objects.filter(supplier_id=supplier_id, is_active=True, role=Role.SUPPLIER).order_by("pk")
    )
    if target is None:
        return users
    manager = type(target)._default_manager
    return [user for user in users if manager.visible_to(user).filter(pk=target.pk).exists()]


def staff_contacts(*, supplier_id: int, also=(), actor: User | None = None) -> list[User]:
    """Return the supplier's owner and the other staff named (`also`), without the one who acted."""
    owner = Supplier.objects.filter(pk=supplier_id).values_list("owner_id", flat=True).first()
    ids = {owner, *(user.pk if isinstance(user, User) else user for user in also)} - {None}
    users = User.objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [user for user in users if user.is_staff_member and (actor is None or user.pk != actor.pk)]


def tell_factory(*, supplier_id: int, target, key: str, params: dict, url: str) -> None:
    """Notify the supplier's contacts who may see `target` (a portal page url)."""
    notify(users=factory_contacts(supplier_id=supplier_id, target=target), key=key, params=params, url=url)


# --- The activity timeline's events ----------------------------------------------------------------------------


def _date_decided(activity, delivery) -> None:
    proposal = delivery.date_proposals.exclude(decided_at=None).order_by("-decided_at", "-pk").first()
    if proposal is None:
        return
    accepted = activity.kind == ActivityKind.DATE_ACCEPTED
    tell_factory(
        supplier_id=activity.supplier_id,
        target=delivery,
        key="date_proposal_accepted" if accepted else "date_proposal_rejected",
        params={
            "delivery": str(delivery),
            "order": delivery.order.number,
            "proposed_on": str(proposal.proposed_on),
            "promised_on": str(delivery.promised_on),
            "note": proposal.decision_note,
        },
        url=reverse("portal:order_detail", args=[delivery.order_id]),
    )


def _shipped(activity, delivery) -> None:
    if activity.actor is None or not activity.actor.is_portal_user:
        return  # staff recording a shipment the factory told them of: the factory knows
    notify(
        users=staff_contacts(supplier_id=activity.supplier_id, also=[delivery.order.buyer_id]),
        key="shipment_recorded",
        params={
            "supplier": delivery.supplier.name,
            "delivery": str(delivery),
            "order": delivery.order.number,
            "quantity": delivery.quantity_shipped,
            "shipped_on": str(delivery.shipped_on),
            "tracking": delivery.tracking_reference,
        },
        url=delivery.get_absolute_url(),
    )


def _received(activity, delivery) -> None:
    lines = [
        [row.line.sku, row.quantity_received, row.quantity_rejected]
        for row in delivery.receipt_lines.select_related("line").order_by("pk")
    ]
    tell_factory(
        supplier_id=activity.supplier_id,
        target=delivery,
        key="goods_received",
        params={
            "delivery": str(delivery),
            "order": delivery.order.number,
            "received_on": str(delivery.received_on),
            "received": delivery.quantity_received,
            "rejected": delivery.quantity_rejected,
            "lines": lines,
        },
        url=reverse("portal:order_detail", args=[delivery.order_id]),
    )


def _inspected(activity, inspection) -> None:
    # visible_to() is the sharing rule: an inspection whose report QC did not share is never announced.
    tell_factory(
        supplier_id=activity.supplier_id,
        target=inspection,
        key="inspection_shared",
        params={
            "result": inspection.result,
            "checkpoint": inspection.checkpoint,
            "inspected_on": str(inspection.inspected_on),
            "lot": inspection.lot_number,
        },
        url=reverse("portal:inspections"),
    )


def _audit_planned(activity, audit) -> None:
    # A planned unannounced audit is invisible to the portal (visible_to), so this tells no one of it.
    tell_factory(
        supplier_id=activity.supplier_id,
        target=audit,
        key="audit_announced",
        params={"planned_on": str(audit.planned_on), "audit_type": audit.audit_type},
        url=reverse("portal:audit_detail", args=[audit.pk]),
    )


def _capa(activity, action) -> None:
    params = {
        "title": action.title,
        "due_on": str(action.due_on),
        "note": action.verification_note,
        "supplier": action.supplier.name,
    }
    if activity.kind == ActivityKind.CAPA_ANSWERED:
        if activity.actor is not None and activity.actor.is_portal_user:
            notify(
                users=staff_contacts(supplier_id=activity.supplier_id, also=[action.raised_by_id]),
                key="capa_answered",
                params=params,
                url=action.get_absolute_url(),
            )
        return
    key = {
        ActivityKind.CAPA_REQUESTED: "capa_raised",
        ActivityKind.CAPA_VERIFIED: "capa_verified",
        ActivityKind.CAPA_REJECTED: "capa_sent_back",
    }[activity.kind]
    tell_factory(
        supplier_id=activity.supplier_id,
        target=action,
        key=key,
        params=params,
        url=reverse("portal:capa_detail", args=[action.pk]),
    )


def _certificate(activity, certification) -> None:
    verified = activity.kind == ActivityKind.CERTIFICATE_VERIFIED
    tell_factory(
        supplier_id=activity.supplier_id,
        target=certification,
        key="certificate_verified" if verified else "certificate_rejected",
        params={"certificate": str(certification), "note": certification.review_note},
        url=reverse("portal:certifications"),
    )


def _invoice(activity, invoice) -> None:
    amount = f"{invoice.amount} {invoice.currency}"
    params = {"number": invoice.number, "amount": amount, "due_on": str(invoice.due_on)}
    if activity.kind == ActivityKind.INVOICE_APPROVED:
        key = "invoice_approved"
    elif activity.kind == ActivityKind.INVOICE_REJECTED:
        key, params["note"] = "invoice_rejected", invoice.rejection_reason
    else:  # paid, paid late, or a part payment: the payment just recorded
        payment = invoice.payments.order_by("-pk").first()
        key = "invoice_paid"
        params.update(amount=f"{payment.amount} {invoice.currency}", paid_on=str(payment.paid_on))
    tell_factory(
        supplier_id=activity.supplier_id,
        target=invoice,
        key=key,
        params=params,
        url=reverse("portal:invoice_detail", args=[invoice.pk]),
    )


def _issue_resolved(activity, issue) -> None:
    if activity.actor is not None and activity.actor.is_portal_user:
        return
    tell_factory(
        supplier_id=activity.supplier_id,
        target=issue,
        key="issue_resolved",
        params={"subject": issue.subject, "note": issue.resolution_note},
        url=reverse("portal:issue_detail", args=[issue.pk]),
    )


HANDLERS = {
    ActivityKind.DATE_ACCEPTED: _date_decided,
    ActivityKind.DATE_REJECTED: _date_decided,
    ActivityKind.SHIPMENT_RECORDED: _shipped,
    ActivityKind.DELIVERY_RECEIVED: _received,
    ActivityKind.DELIVERY_RECEIVED_LATE: _received,
    ActivityKind.INSPECTION_PASSED: _inspected,
    ActivityKind.INSPECTION_FAILED: _inspected,
    ActivityKind.AUDIT_PLANNED: _audit_planned,
    ActivityKind.CAPA_REQUESTED: _capa,
    ActivityKind.CAPA_ANSWERED: _capa,
    ActivityKind.CAPA_VERIFIED: _capa,
    ActivityKind.CAPA_REJECTED: _capa,
    ActivityKind.CERTIFICATE_VERIFIED: _certificate,
    ActivityKind.CERTIFICATE_REJECTED: _certificate,
    ActivityKind.INVOICE_APPROVED: _invoice,
    ActivityKind.INVOICE_REJECTED: _invoice,
    ActivityKind.INVOICE_PAID: _invoice,
    ActivityKind.INVOICE_PAID_LATE: _invoice,
    ActivityKind.PART_PAYMENT: _invoice,
    ActivityKind.ISSUE_RESOLVED: _issue_resolved,
    **PRICING_HANDLERS,
}


def activity_notify(*, activity, target) -> None:
    """Tell the other side of a recorded activity, when its kind is one the other side hears of."""
    handler = HANDLERS.get(activity.kind)
    if handler is not None and target is not None:
        handler(activity, target)


# --- Events the timeline does not record -----------------------------------------------------------------------


def lab_report_reviewed_notify(*, test, by) -> None:
    """Tell the factory QC's verdict on its lab report."""
    tell_factory(
        supplier_id=test.supplier_id,
        target=test,
        key="lab_report_reviewed",
        params={
            "lot": test.lot_number,
            "standard": test.standard,
            "review": test.review,
            "note": test.review_note,
        },
        url=reverse("portal:batch_tests"),
    )


def inspection_severity_switched_notify(*, switch) -> None:
    """Tell the factory that a SKU's inspection severity changed, and why (its own lots only: the stream is its)."""
    state = switch.state
    tell_factory(
        supplier_id=switch.supplier_id,
        target=state,
        key="inspection_severity_switched",
        params={
            "product": state.product_label,
            "severity": switch.to_severity,
            "rule": switch.rule,
            "lots": list(switch.lots),
            "window": switch.window,
            "reason": switch.reason if switch.by_id else "",
        },
        url=reverse("portal:inspections"),
    )


def finding_raised_notify(*, finding, by) -> None:
    """Tell the factory of a finding, once its audit is one the portal shows (never of an unannounced one)."""
    audit = finding.audit
    tell_factory(
        supplier_id=finding.supplier_id,
        target=finding,
        key="finding_raised",
        params={
            "severity": finding.severity,
            "description": finding.description,
            "audit_on": str(audit.performed_on or audit.planned_on),
        },
        url=reverse("portal:audit_detail", args=[audit.pk]),
    )


def visit_note_added_notify(*, note, by) -> None:
    """Tell the other side of a note added to a visit report's shared part: the factory's contacts (those whose
    portal shows the audit) of staff's note, the audit's lead auditor and the supplier's owner of the factory's."""
    audit = note.audit
    params = {
        "kind": note.kind,
        "text": note.text[:500],
        "audit_on": str(audit.performed_on or audit.planned_on),
        "supplier": audit.supplier.name,
    }
    if by.is_portal_user:
        notify(
            users=staff_contacts(supplier_id=note.supplier_id, also=[audit.lead_auditor_id], actor=by),
            key="visit_note_added_by_factory",
            params=params,
            url=audit.get_absolute_url() + "#visit-report",
        )
        return
    tell_factory(
        supplier_id=note.supplier_id,
        target=note,
        key="visit_note_added",
        params=params,
        url=reverse("portal:audit_detail", args=[audit.pk]),
    )


def row_contest_opened_notify(*, contest) -> None:
    """Tell the supplier's owner and the managers (who decide) that the factory contests a scorecard row."""
    deciders = User.objects.filter(role__in=[Role.MANAGER], is_active=True).values_list("pk", flat=True)
    notify(
        users=staff_contacts(supplier_id=contest.supplier_id, also=list(deciders), actor=contest.opened_by),
        key="row_contest_opened",
        params={
            "supplier": contest.supplier.name,
            "kind": contest.kind,
            "row": contest.row_label,
            "reason": contest.reason[:300],
        },
        url=contest.get_absolute_url(),
    )


def row_contest_decided_notify(*, contest) -> None:
    """Tell the factory a manager's decision on its contest, with the reason."""
    tell_factory(
        supplier_id=contest.supplier_id,
        target=contest,
        key="row_contest_accepted" if contest.status == "accepted" else "row_contest_rejected",
        params={"kind": contest.kind, "row": contest.row_label, "note": contest.decision_note[:300]},
        url=reverse("portal:contest_detail", args=[contest.pk]),
    )


def forecast_published_notify(*, forecast, by) -> None:
    """Tell the factory a new forecast version is published, with how many months it spans."""
    months = sorted(set(forecast.lines.values_list("month", flat=True)))
    tell_factory(
        supplier_id=forecast.supplier_id,
        target=forecast,
        key="forecast_published",
        params={
            "version": forecast.version,
            "first": f"{months[0]:%Y-%m}" if months else "",
            "last": f"{months[-1]:%Y-%m}" if months else "",
        },
        url=reverse("portal:forecast_detail", args=[forecast.pk]),
    )


def forecast_answered_notify(*, answer, by) -> None:
    """Tell the supplier's owner and the forecast's publisher the factory's answer to a month."""
    forecast = answer.forecast
    notify(
        users=staff_contacts(supplier_id=forecast.supplier_id, also=[forecast.published_by_id]),
        key="forecast_answered",
        params={
            "supplier": forecast.supplier.name,
            "version": forecast.version,
            "month": f"{answer.month:%Y-%m}",
            "status": answer.status,
            "quantity": answer.committed_quantity,
            "reason": answer.reason,
        },
        url=forecast.get_absolute_url(),
    )


def production_started_notify(*, order, plan, by) -> None:
    """Tell the buyer (and the supplier's owner) that the factory started production, with its planned finish."""
    notify(
        users=staff_contacts(supplier_id=order.supplier_id, also=[order.buyer_id], actor=by),
        key="production_started",
        params={
            "supplier": order.supplier.name,
            "number": order.number,
            "started_on": str(plan.started_on),
            "planned": str(plan.planned_finish_on or "—"),
        },
        url=order.get_absolute_url() + "#production",
    )


def production_issue_notify(*, log, by) -> None:
    """Tell the buyer (and the supplier's owner) of an issue the factory met, in its own words."""
    order = log.order
    notify(
        users=staff_contacts(supplier_id=order.supplier_id, also=[order.buyer_id], actor=by),
        key="production_issue",
        params={
            "supplier": order.supplier.name,
            "number": order.number,
            "sku": log.line.sku,
            "quantity": log.quantity,
            "produced_on": str(log.produced_on),
            "issues": log.issues,
        },
        url=order.get_absolute_url() + "#production",
    )


def register() -> None:
    """Register the handlers with the lower apps' events (from CommunicationsConfig.ready)."""
    from core.workflow_events import workflow_register

    workflow_register("activity_recorded", activity_notify)
    workflow_register("lab_report_reviewed", lab_report_reviewed_notify)
    workflow_register("finding_raised", finding_raised_notify)
    workflow_register("inspection_severity_switched", inspection_severity_switched_notify)
    workflow_register("visit_note_added", visit_note_added_notify)
    workflow_register("row_contest_opened", row_contest_opened_notify)
    workflow_register("row_contest_decided", row_contest_decided_notify)
    workflow_register("forecast_published", forecast_published_notify)
    workflow_register("forecast_answered", forecast_answered_notify)
    workflow_register("production_started", production_started_notify)
    workflow_register("production_issue_reported", production_issue_notify)


__all__ = ["Family", "activity_notify", "factory_contacts", "register", "staff_contacts"]
