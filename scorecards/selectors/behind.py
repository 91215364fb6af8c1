"""The rows behind a KPI: exactly the deliveries, inspections, issues or invoices a number counted."""

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import QCInspection
from communications.models import Side, SupplierIssue
from orders.models import Delivery
from orders.querysets import DeliveryQuerySet
from payments.models import Invoice
from payments.querysets import InvoiceQuerySet
from suppliers.models import Supplier

from .. import periods, targets
from ..models import Kpi

# What each KPI's rows are called, and how they are counted (the staff and portal pages say it the same way).
BEHIND = {
    Kpi.ON_TIME_DELIVERY: (
        gettext_lazy("Deliveries due"),
        gettext_lazy(
            "Due: promised in the period and received, or past the promised date. Late: received after the promised "
            "date the buyer accepted, or not received yet past it. Cancelled deliveries do not count."
        ),
    ),
    Kpi.DEFECT_RATE: (
        gettext_lazy("Inspections"),
        gettext_lazy("Every QC inspection in the period: defective units found ÷ units sampled."),
    ),
    Kpi.RESPONSE_TIME: (
        gettext_lazy("Our issues and the supplier's first reply"),
        gettext_lazy(
            "Issues we raised on days of the period (the supplier's calendar), once answered or older than the target. "
            "Hours to the first reply; … still waiting."
        ),
    ),
    Kpi.PAYMENT_TIMELINESS: (
        gettext_lazy("Invoices due"),
        gettext_lazy("Invoices falling due in the period, paid or past due; rejected invoices do not count."),
    ),
    Kpi.BUYER_RESPONSE_TIME: (
        gettext_lazy("The supplier's issues and our first reply"),
        gettext_lazy(
            "Issues the supplier raised on days of the period, once answered or older than the target."
        ),
    ),
}


@dataclass
class RowBehind:
    """One delivery, inspection, issue or invoice a KPI counted, and whether it counted for or against."""

    obj: object
    good: bool  # on time, within target, paid on time; for inspections: no defective unit
    detail: str = ""
    shared: bool = (
        True  # an inspection whose report QC shared with the supplier (the portal links only those)
    )
    contest: object = None  # the row's latest contest, when the factory contested it (contests_attach)


def excused_behind(
    *, supplier: Supplier, period: periods.Period, today, kpi: str = Kpi.ON_TIME_DELIVERY, now=None
) -> list:
    """Return the rows a manager excused from one of a supplier's KPIs over a period, with who and why: deliveries
    (on-time), inspections (defect rate) or issues (response time); none for the other KPIs.

    The same universe as the KPI's (`due_in`, `inspected_in`, `due_for_response`), so a row is either counted or
    excused, never lost.
    """
    if kpi == Kpi.ON_TIME_DELIVERY:
        return list(
            Delivery.objects.filter(supplier=supplier)
            .excused_in(period.start, period.end, today=today)
            .select_related("order", "excused_by", "excuse_disruption")
            .order_by("promised_on", "pk")
        )
    if kpi == Kpi.DEFECT_RATE:
        return list(
            QCInspection.objects.filter(supplier=supplier)
            .excused_in(period.start, period.end)
            .select_related("order", "excused_by")
            .order_by("inspected_on", "pk")
        )
    if kpi == Kpi.RESPONSE_TIME:
        return list(
            SupplierIssue.objects.filter(supplier=supplier)
            .excused_in(
                period.start,
                period.end,
                now=now or timezone.now(),
                raised_by=Side.BUYER,
                target_hours=targets.response_target_sql(responding_side=Side.SUPPLIER),
            )
            .select_related("excused_by")
            .order_by("raised_at", "pk")
        )
    return []


def rows_behind(*, supplier: Supplier, kpi: str, period: periods.Period, today, now=None) -> list[RowBehind]:
    """Return exactly the rows a supplier's KPI counted over a period: the same queryset methods select them
    (`counted_for_on_time`, `counted_for_defect_rate`, `counted_for_response`, `counted_for_payment_timeliness`).

    Checked against the KPI itself in the tests: the good rows are the numerator (issues: answered within target;
    inspections: their defective units sum to the numerator) and all rows the denominator's events.
    """
    now = now or timezone.now()
    start, end = period.start, period.end
    if kpi == Kpi.ON_TIME_DELIVERY:
        deliveries = (
            Delivery.objects.filter(supplier=supplier)
            .counted_for_on_time(start, end, today=today)
            .annotate(on_time=ExpressionWrapper(DeliveryQuerySet.ON_TIME, output_field=BooleanField()))
            .select_related("order")
            .order_by("promised_on", "pk")
        )
        return [RowBehind(d, d.on_time) for d in deliveries]
    if kpi == Kpi.DEFECT_RATE:
        inspections = (
            QCInspection.objects.filter(supplier=supplier)
            .counted_for_defect_rate(start, end)
            .select_related("order")
            .order_by("inspected_on", "pk")
        )
        # A corrected inspection counts its corrected figure (the one the KPI sums: COUNTED_DEFECTIVE).
        return [
            RowBehind(i, i.counted_defective_units == 0, f"{i.counted_defective_units}/{i.sample_size}")
            for i in inspections
        ]
    if kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME):
        responding = Side.SUPPLIER if kpi == Kpi.RESPONSE_TIME else Side.BUYER
        issues = (
            SupplierIssue.objects.filter(supplier=supplier)
            .counted_for_response(
                start,
                end,
                now=now,
                raised_by=Side.BUYER if responding == Side.SUPPLIER else Side.SUPPLIER,
                target_hours=targets.response_target_sql(responding_side=responding),
            )
            .order_by("raised_at", "pk")
        )
        return [
            RowBehind(
                issue,
                issue.within_target,
                f"{issue.waited_seconds / 3600:.1f} h" + ("" if issue.first_response_at else " …"),
            )
            for issue in issues
        ]
    if kpi == Kpi.PAYMENT_TIMELINESS:
        invoices = (
            Invoice.objects.filter(supplier=supplier)
            .counted_for_payment_timeliness(start, end, today=today)
            .annotate(on_time=ExpressionWrapper(InvoiceQuerySet.PAID_ON_TIME, output_field=BooleanField()))
            .select_related("order")
            .order_by("due_on", "pk")
        )
        rows = []
        for invoice in invoices:
            late_days = 0 if invoice.on_time else ((invoice.paid_on or today) - invoice.due_on).days
            rows.append(
                RowBehind(
                    invoice,
                    invoice.on_time,
                    "" if invoice.on_time else _("%(n)s days late") % {"n": late_days},
                )
            )
        return rows
    raise ValueError(kpi)
