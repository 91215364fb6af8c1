"""The KPI formulas: the single source of truth for every page, the portal, the API, alerts and PDFs.

Each function aggregates in SQL over all suppliers at once (one GROUP BY query) and returns, per supplier,
a KpiValue that carries its numerator and denominator. Below the minimum sample the value is None
("insufficient data"): never 100 % and never 0 %.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Extract

from audits.models import QCInspection
from orders.models import Delivery
from payments.models import Invoice

MIN_DELIVERIES = 5
MIN_INSPECTIONS = 1
DEFAULT_TARGETS = {
    "on_time_delivery": Decimal("95"),  # at least, in %
    "defect_rate": Decimal("1"),  # below, in %
}


@dataclass(frozen=True)
class KpiValue:
    """A KPI for one supplier and window: value in %, with the counts it comes from."""

    numerator: int
    denominator: int
    sample: int  # how many events (deliveries, inspections) the value rests on
    minimum_sample: int

    @property
    def sufficient(self) -> bool:
        """Return whether there is enough data to state the value."""
        return self.sample >= self.minimum_sample and self.denominator > 0

    @property
    def value(self) -> Decimal | None:
        """Return numerator ÷ denominator in %, or None when the sample is too small."""
        if not self.sufficient:
            return None
        return (Decimal(self.numerator) * 100 / Decimal(self.denominator)).quantize(Decimal("0.01"))

    @property
    def ppm(self) -> int | None:
        """Return the value in parts per million (for defect rates), or None."""
        if not self.sufficient:
            return None
        return round(Decimal(self.numerator) * 1_000_000 / Decimal(self.denominator))


EMPTY_DELIVERIES = KpiValue(0, 0, 0, MIN_DELIVERIES)
EMPTY_INSPECTIONS = KpiValue(0, 0, 0, MIN_INSPECTIONS)


def on_time_delivery(
    *, start: date, end: date, today: date, deliveries: QuerySet[Delivery] | None = None
) -> dict[int, KpiValue]:
    """Return, per supplier, deliveries received on or before their promised date ÷ deliveries due.

    A delivery is due when its promised date falls in [start, end] and it was received or its promised
    date has passed; one past its date and not received counts as late. The promised date is the latest
    one the buyer accepted (a proposal the buyer did not accept never moved it). Cancelled ones do not count.
    """
    base = deliveries if deliveries is not None else Delivery.objects.all()
    due = Q(received_on__isnull=False) | Q(promised_on__lt=today)
    rows = (
        base.filter(promised_on__gte=start, promised_on__lte=end)
        .exclude(status=Delivery.Status.CANCELLED)
        .filter(due)
        .order_by()
        .values("supplier_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(received_on__isnull=False, received_on__lte=F("promised_on"))),
        )
    )
    return {
        row["supplier_id"]: KpiValue(row["on_time"], row["due"], row["due"], MIN_DELIVERIES) for row in rows
    }


def defect_rate(
    *, start: date, end: date, inspections: QuerySet[QCInspection] | None = None
) -> dict[int, KpiValue]:
    """Return, per supplier, defective units found ÷ units inspected over the inspections in [start, end]."""
    base = inspections if inspections is not None else QCInspection.objects.all()
    rows = (
        base.filter(inspected_on__gte=start, inspected_on__lte=end)
        .order_by()
        .values("supplier_id")
        .annotate(defective=Sum("defective_units"), inspected=Sum("sample_size"), n=Count("pk"))
    )
    return {
        row["supplier_id"]: KpiValue(row["defective"] or 0, row["inspected"] or 0, row["n"], MIN_INSPECTIONS)
        for row in rows
    }


MIN_INVOICES = 3


@dataclass(frozen=True)
class PaymentKpiValue(KpiValue):
    """Payment timeliness for one supplier: invoices paid on time ÷ invoices due, and the days the late ones ran
    over their due date."""

    days_late: int = 0  # summed over the late invoices

    @property
    def average_days_late(self) -> Decimal | None:
        """Return the average days late of the late invoices (0 when none was late), or None below the sample."""
        if not self.sufficient:
            return None
        late = self.denominator - self.numerator
        if not late:
            return Decimal("0")
        return (Decimal(self.days_late) / late).quantize(Decimal("0.1"))


EMPTY_INVOICES = PaymentKpiValue(0, 0, 0, MIN_INVOICES)


def payment_timeliness(
    *, start: date, end: date, today: date, invoices: QuerySet[Invoice] | None = None
) -> dict[int, PaymentKpiValue]:
    """Return, per supplier, the buyer's invoices paid on or before their due date ÷ invoices due, with days late.

    An invoice is due when its due date falls in [start, end] and it was paid in full or its due date has
    passed; one past its due date and not paid in full counts as late, its days late running to today.
    Rejected invoices do not count.
    """
    base = invoices if invoices is not None else Invoice.objects.all()
    on_time = Q(paid_on__isnull=False, paid_on__lte=F("due_on"))
    rows = (
        base.filter(due_on__gte=start, due_on__lte=end)
        .exclude(status=Invoice.Status.REJECTED)
        .filter(Q(paid_on__isnull=False) | Q(due_on__lt=today))
        .order_by()
        .values("supplier_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=on_time),
            late_for=Sum(
                Coalesce(F("paid_on"), Value(today)) - F("due_on"),
                filter=~on_time,
                output_field=DurationField(),
            ),
        )
    )
    return {
        row["supplier_id"]: PaymentKpiValue(
            row["on_time"],
            row["due"],
            row["due"],
            MIN_INVOICES,
            days_late=row["late_for"].days if row["late_for"] else 0,
        )
        for row in rows
    }


# --- Response time to issues -----------------------------------------------------------------------------------

MIN_ISSUES = 3


@dataclass(frozen=True)
class ResponseKpiValue(KpiValue):
    """Response time for one supplier: the median hours to the first reply; numerator ÷ denominator is the share
    answered within target (an unanswered issue past the target counts as a breach at once)."""

    median_hours: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        """Return the median hours to the first reply, or None below the minimum sample."""
        return self.median_hours if self.sufficient else None

    @property
    def share_within_target(self) -> Decimal | None:
        """Return the % of issues answered within the target."""
        return super().value


EMPTY_ISSUES = ResponseKpiValue(0, 0, 0, MIN_ISSUES)


class _Median(Aggregate):
    """PostgreSQL's median: percentile_cont(0.5) within the group."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median(values: list[float]) -> Decimal | None:
    if not values:
        return None
    values = sorted(values)
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return Decimal(str(median)).quantize(Decimal("0.1"))


def response_time(
    *, start: date, end: date, now, target_hours: Decimal, responding_side: str = "supplier", issues=None
) -> dict[int, ResponseKpiValue]:
    """Return, per supplier, the median hours from an issue being raised to the other side's first reply.

    Issues raised in [start, end] count once answered, or once older than the target while unanswered (a
    breach, with its waiting time so far). `responding_side="buyer"` measures our own response to the
    supplier's issues. One query for all suppliers; the median is taken from its rows.
    """
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from communications.models import Side, SupplierIssue

    raised_by = Side.BUYER if responding_side == Side.SUPPLIER else Side.SUPPLIER
    base = issues if issues is not None else SupplierIssue.objects.all()
    tz = timezone.get_default_timezone()  # one zone for everyone, so staff and factory see the same figures
    lower = datetime.combine(start, time.min, tzinfo=tz)
    upper = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    target = timedelta(hours=float(target_hours))
    counted = base.filter(raised_by_side=raised_by, raised_at__gte=lower, raised_at__lt=upper).filter(
        Q(first_response_at__isnull=False) | Q(raised_at__lt=now - target)
    )
    if connection.vendor == "postgresql":
        # The median in the database: one GROUP BY with percentile_cont.
        waited = ExpressionWrapper(
            Coalesce(F("first_response_at"), Value(now)) - F("raised_at"), output_field=DurationField()
        )
        grouped = counted.order_by().values("supplier_id").annotate(
            n=Count("pk"),
            within=Count("pk", filter=Q(first_response_at__isnull=False, first_response_at__lte=F("raised_at") + target)),
            median_seconds=_Median(Extract(waited, "epoch")),
        )
        return {
            row["supplier_id"]: ResponseKpiValue(
                row["within"], row["n"], row["n"], MIN_ISSUES,
                median_hours=Decimal(str(row["median_seconds"] / 3600)).quantize(Decimal("0.1")),
            )
            for row in grouped
        }
    rows = counted.order_by().values_list("supplier_id", "raised_at", "first_response_at")
    per_supplier: dict[int, list[tuple[float, bool]]] = {}
    for supplier_id, raised_at, answered_at in rows:
        hours = ((answered_at or now) - raised_at).total_seconds() / 3600
        within = answered_at is not None and hours <= float(target_hours)
        per_supplier.setdefault(supplier_id, []).append((hours, within))
    return {
        supplier_id: ResponseKpiValue(
            sum(1 for _h, within in items if within), len(items), len(items), MIN_ISSUES,
            median_hours=_median([h for h, _w in items]),
        )
        for supplier_id, items in per_supplier.items()
    }


def all_kpis(*, start: date, end: date, today: date, now=None) -> dict[str, dict[int, KpiValue]]:
    """Return every KPI family for all suppliers over one window: {kpi: {supplier_id: value}}."""
    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    target_hours = Decimal(settings.FORGELINE_RESPONSE_TARGET_HOURS)
    return {
        "on_time_delivery": on_time_delivery(start=start, end=end, today=today),
        "defect_rate": defect_rate(start=start, end=end),
        "response_time": response_time(start=start, end=end, now=now, target_hours=target_hours),
        "payment_timeliness": payment_timeliness(start=start, end=end, today=today),
        "buyer_response_time": response_time(start=start, end=end, now=now, target_hours=target_hours,
                                             responding_side="buyer"),
    }


def kpi_today() -> date:
    """Return today in the project's timezone: KPI windows are cut the same way whoever looks."""
    from django.utils import timezone

    return timezone.localdate(timezone=timezone.get_default_timezone())
