"""The rows behind a KPI: exactly the deliveries, inspections, issues or invoices a number counted."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings as django_settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import QCInspection
from communications.models import Side, SupplierIssue
from orders.models import Delivery
from payments.models import Invoice
from suppliers.models import Supplier

from .. import kpis, periods
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


def rows_behind(*, supplier: Supplier, kpi: str, period: periods.Period, today, now=None) -> list[RowBehind]:
    """Return exactly the rows a supplier's KPI counted over a period, with the same filters as kpis.py.

    Checked against the KPI itself in the tests: the good rows are the numerator (issues: answered within target;
    inspections: their defective units sum to the numerator) and all rows the denominator's events.
    """
    now = now or timezone.now()
    if kpi == Kpi.ON_TIME_DELIVERY:
        deliveries = (
            Delivery.objects.filter(
                supplier=supplier, promised_on__gte=period.start, promised_on__lte=period.end
            )
            .exclude(status=Delivery.Status.CANCELLED)
            .exclude(order__in=kpis.unsent_orders())
            .filter(Q(received_on__isnull=False) | Q(promised_on__lt=today))
            .select_related("order")
            .order_by("promised_on", "pk")
        )
        return [RowBehind(d, not d.is_late(today)) for d in deliveries]
    if kpi == Kpi.DEFECT_RATE:
        inspections = (
            QCInspection.objects.filter(
                supplier=supplier, inspected_on__gte=period.start, inspected_on__lte=period.end
            )
            .select_related("order")
            .order_by("inspected_on", "pk")
        )
        return [
            RowBehind(i, i.defective_units == 0, f"{i.defective_units}/{i.sample_size}") for i in inspections
        ]
    if kpi in (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME):
        # The response KPI is measured against the project's response target, as kpis.all_kpis does.
        hours = Decimal(django_settings.FORGELINE_RESPONSE_TARGET_HOURS)
        target = timedelta(hours=float(hours))
        raised_by = Side.BUYER if kpi == Kpi.RESPONSE_TIME else Side.SUPPLIER
        zone = ZoneInfo(supplier.timezone or "UTC")
        issues = (
            SupplierIssue.objects.filter(
                supplier=supplier, raised_by_side=raised_by, **kpis.raised_between(period.start, period.end)
            )
            .filter(Q(first_response_at__isnull=False) | Q(raised_at__lt=now - target))
            .order_by("raised_at", "pk")
        )
        rows = []
        for issue in issues:
            if not period.start <= issue.raised_at.astimezone(zone).date() <= period.end:
                continue
            waited = (issue.first_response_at or now) - issue.raised_at
            within = issue.first_response_at is not None and waited <= target
            label = f"{waited.total_seconds() / 3600:.1f} h" + ("" if issue.first_response_at else " …")
            rows.append(RowBehind(issue, within, label))
        return rows
    if kpi == Kpi.PAYMENT_TIMELINESS:
        invoices = (
            Invoice.objects.filter(supplier=supplier, due_on__gte=period.start, due_on__lte=period.end)
            .exclude(status=Invoice.Status.REJECTED)
            .filter(Q(paid_on__isnull=False) | Q(due_on__lt=today))
            .select_related("order")
            .order_by("due_on", "pk")
        )
        rows = []
        for invoice in invoices:
            on_time = invoice.paid_on is not None and invoice.paid_on <= invoice.due_on
            late_days = 0 if on_time else ((invoice.paid_on or today) - invoice.due_on).days
            rows.append(
                RowBehind(invoice, on_time, "" if on_time else _("%(n)s days late") % {"n": late_days})
            )
        return rows
    raise ValueError(kpi)
