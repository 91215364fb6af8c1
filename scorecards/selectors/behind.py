"""The rows behind a KPI: exactly the deliveries, inspections, issues or invoices a number counted."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audits.models import QCInspection
from audits.querysets import SharedInspectionQuerySet
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


def _behind(*, supplier: Supplier, kpi: str, period: periods.Period, today, now=None):
    """Return (rows, good, to_row) for a supplier's KPI over a period: the queryset of exactly the rows the KPI
    counted, in the page's order; `good` as a Q over it (the numerator's rows); and how one row is shown."""
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
        return deliveries, Q(on_time=True), lambda d: RowBehind(d, d.on_time)
    if kpi == Kpi.DEFECT_RATE:
        inspections = (
            QCInspection.objects.filter(supplier=supplier)
            .counted_for_defect_rate(start, end)
            .annotate(counted_defective=SharedInspectionQuerySet.COUNTED_DEFECTIVE)
            .select_related("order")
            .order_by("inspected_on", "pk")
        )
        # A corrected inspection counts its corrected figure (the one the KPI sums: COUNTED_DEFECTIVE).
        return (
            inspections,
            Q(counted_defective=0),
            lambda i: RowBehind(i, i.counted_defective == 0, f"{i.counted_defective}/{i.sample_size}"),
        )
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
        return (
            issues,
            Q(within_target=True),
            lambda issue: RowBehind(
                issue,
                issue.within_target,
                f"{issue.waited_seconds / 3600:.1f} h" + ("" if issue.first_response_at else " …"),
            ),
        )
    if kpi == Kpi.PAYMENT_TIMELINESS:
        invoices = (
            Invoice.objects.filter(supplier=supplier)
            .counted_for_payment_timeliness(start, end, today=today)
            .annotate(on_time=ExpressionWrapper(InvoiceQuerySet.PAID_ON_TIME, output_field=BooleanField()))
            .select_related("order")
            .order_by("due_on", "pk")
        )

        def invoice_row(invoice):
            late_days = 0 if invoice.on_time else ((invoice.paid_on or today) - invoice.due_on).days
            late = "" if invoice.on_time else _("%(n)s days late") % {"n": late_days}
            return RowBehind(invoice, invoice.on_time, late)

        return invoices, Q(on_time=True), invoice_row
    raise ValueError(kpi)


def rows_behind(*, supplier: Supplier, kpi: str, period: periods.Period, today, now=None) -> list[RowBehind]:
    """Return exactly the rows a supplier's KPI counted over a period: the same queryset methods select them
    (`counted_for_on_time`, `counted_for_defect_rate`, `counted_for_response`, `counted_for_payment_timeliness`).

    Checked against the KPI itself in the tests: the good rows are the numerator (issues: answered within target;
    inspections: their defective units sum to the numerator) and all rows the denominator's events.
    """
    rows, _good, to_row = _behind(supplier=supplier, kpi=kpi, period=period, today=today, now=now)
    return [to_row(row) for row in rows]


BEHIND_PER_PAGE = 50


@dataclass
class BehindPage:
    """One page of the rows behind a KPI, with the counts of all of them (taken in SQL, not from the page)."""

    rows: list[RowBehind]
    page: Page
    total: int  # every row the KPI counted
    good: int  # of which for the KPI (the numerator's rows)

    @property
    def against(self) -> int:
        return self.total - self.good


class _CountedPaginator(Paginator):
    """A paginator told its count (taken with the good rows' count in one query) instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self):
        return self._known_count


def rows_behind_page(
    *,
    supplier: Supplier,
    kpi: str,
    period: periods.Period,
    today,
    page=None,
    against_only: bool = False,
    per_page: int = BEHIND_PER_PAGE,
    now=None,
) -> BehindPage:
    """Return one page of rows_behind() (those against the KPI only, when asked) and the counts of all rows.

    Two queries whatever the size of the period: the counts (all rows, good rows) and the page's rows; only the
    page's rows are built. The rows are the same as rows_behind()'s, in the same order.
    """
    rows, good, to_row = _behind(supplier=supplier, kpi=kpi, period=period, today=today, now=now)
    counts = rows.order_by().aggregate(total=Count("pk"), good=Count("pk", filter=good))
    total, good_count = counts["total"], counts["good"]
    listed = rows.exclude(good) if against_only else rows
    paginator = _CountedPaginator(listed, per_page, count=total - good_count if against_only else total)
    page_obj = paginator.get_page(page)
    return BehindPage(
        rows=[to_row(row) for row in page_obj.object_list], page=page_obj, total=total, good=good_count
    )
