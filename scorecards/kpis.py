"""The KPI formulas: the single source of truth for every page, the portal, the API, alerts and PDFs.

Each function aggregates in SQL over all suppliers at once (one GROUP BY query) and returns, per supplier,
a KpiValue that carries its numerator and denominator. Below the minimum sample the value is None
("insufficient data"): never 100 % and never 0 %.
"""

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DecimalField,
    DurationField,
    F,
    FloatField,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Trunc

from audits.models import QCInspection
from audits.querysets import SharedInspectionQuerySet
from communications.models import Side, SupplierIssue
from communications.querysets import IssueQuerySet
from core.compiled import CompiledQuery
from core.dates import add_months
from orders.models import Delivery, OrderChange, OrderLine
from orders.querysets import DeliveryQuerySet, OrderChangeQuerySet
from payments.models import Invoice, InvoiceDiscrepancy, InvoiceLine
from payments.querysets import InvoiceQuerySet
from planning import selectors as planning_selectors
from planning.months import month_start
from pricing.selectors import agreed_unit_price_sql

from .periods import KINDS, bucket_start
from .targets import response_target_sql, response_targets_sql

MIN_DELIVERIES = 5
MIN_INSPECTIONS = 1


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

    @cached_property  # a page reads it several times per cell (250 cells on a portfolio page)
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


# Every formula returns {supplier_id: value} over one window, or, with `by="week"|"month"|"quarter"`,
# {(supplier_id, first day of the period): value} for each calendar period in the window: the same GROUP BY
# with the period as a second key. `supplier_ids` narrows the query to some suppliers (a scorecard page).


def _only(queryset: QuerySet, supplier_ids) -> QuerySet:
    return queryset if supplier_ids is None else queryset.filter(supplier_id__in=list(supplier_ids))


def _bucket(field: str, by: str | None) -> dict:
    if by is None:
        return {}
    if by not in KINDS:
        raise ValueError(f"unknown period kind {by!r}")
    return {"bucket": Trunc(field, by, output_field=DateField())}


def _key(row: dict, by: str | None):
    return row["supplier_id"] if by is None else (row["supplier_id"], row["bucket"])


EMPTY_INSPECTIONS = KpiValue(0, 0, 0, MIN_INSPECTIONS)


def on_time_delivery(
    *,
    start: date,
    end: date,
    today: date,
    deliveries: QuerySet[Delivery] | None = None,
    supplier_ids=None,
    by: str | None = None,
) -> dict:
    """Return, per supplier, deliveries received on or before their promised date ÷ deliveries due.

    A delivery is due when its promised date falls in [start, end] and it was received or its promised
    date has passed; one past its date and not received counts as late. The promised date is the latest
    one the buyer accepted (a proposal the buyer did not accept never moved it). Cancelled ones do not count,
    nor those of an order never sent (a draft, hidden from the supplier): it cannot be late for what it never got.
    """
    base = _only(deliveries if deliveries is not None else Delivery.objects.all(), supplier_ids)
    rows = (
        base.counted_for_on_time(start, end, today=today)
        .order_by()
        .values("supplier_id", **_bucket("promised_on", by))
        .annotate(due=Count("pk"), on_time=Count("pk", filter=DeliveryQuerySet.ON_TIME))
    )
    return {_key(row, by): KpiValue(row["on_time"], row["due"], row["due"], MIN_DELIVERIES) for row in rows}


def defect_rate(
    *,
    start: date,
    end: date,
    inspections: QuerySet[QCInspection] | None = None,
    supplier_ids=None,
    by: str | None = None,
) -> dict:
    """Return, per supplier, defective units found ÷ units inspected over the inspections in [start, end] (an
    excused one left out, a corrected one at its corrected count)."""
    base = _only(inspections if inspections is not None else QCInspection.objects.all(), supplier_ids)
    rows = (
        base.counted_for_defect_rate(start, end)
        .order_by()
        .values("supplier_id", **_bucket("inspected_on", by))
        .annotate(
            defective=Sum(SharedInspectionQuerySet.COUNTED_DEFECTIVE),
            inspected=Sum("sample_size"),
            n=Count("pk"),
        )
    )
    return {
        _key(row, by): KpiValue(row["defective"] or 0, row["inspected"] or 0, row["n"], MIN_INSPECTIONS)
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
    *,
    start: date,
    end: date,
    today: date,
    invoices: QuerySet[Invoice] | None = None,
    supplier_ids=None,
    by: str | None = None,
) -> dict:
    """Return, per supplier, the buyer's invoices paid on or before their due date ÷ invoices due, with days late.

    An invoice is due when its due date falls in [start, end] and it was paid in full or its due date has
    passed; one past its due date and not paid in full counts as late, its days late running to today.
    Rejected invoices do not count.
    """
    base = _only(invoices if invoices is not None else Invoice.objects.all(), supplier_ids)
    on_time = InvoiceQuerySet.PAID_ON_TIME
    rows = (
        base.counted_for_payment_timeliness(start, end, today=today)
        .order_by()
        .values("supplier_id", **_bucket("due_on", by))
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
        _key(row, by): PaymentKpiValue(
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
    *,
    start: date,
    end: date,
    now,
    target_hours=None,
    responding_side: str = "supplier",
    issues=None,
    supplier_ids=None,
    by: str | None = None,
) -> dict:
    """Return, per supplier, the median hours from an issue being raised to the other side's first reply.

    Issues raised in [start, end] count once answered, or once older than the target while unanswered (a
    breach, with its waiting time so far). The day an issue was raised is the day on the supplier's own
    calendar (its timezone), whoever looks: an issue raised at 23:30 in Shenzhen on 30 September belongs to
    September and Q3. Each supplier is held to its own response target (targets.response_target_sql) unless
    `target_hours` says otherwise. `responding_side="buyer"` measures our own response to the supplier's issues.
    One query for all suppliers; on SQLite, which has no median, the median comes from its rows.
    """
    raised_by = Side.BUYER if responding_side == Side.SUPPLIER else Side.SUPPLIER
    if target_hours is None:
        target_hours = response_target_sql(responding_side=responding_side)
    base = _only(issues if issues is not None else SupplierIssue.objects.all(), supplier_ids)
    counted = base.counted_for_response(start, end, now=now, raised_by=raised_by, target_hours=target_hours)
    if connection.vendor == "postgresql":
        grouped = (
            counted.order_by()
            .values("supplier_id", **_bucket("raised_on", by))
            .annotate(
                n=Count("pk"),
                within=Count("pk", filter=IssueQuerySet.WITHIN_TARGET),
                median_seconds=_Median("waited_seconds"),
            )
        )
        return {
            _key(row, by): ResponseKpiValue(
                row["within"],
                row["n"],
                row["n"],
                MIN_ISSUES,
                median_hours=Decimal(str(row["median_seconds"] / 3600)).quantize(Decimal("0.1")),
            )
            for row in grouped
        }
    groups: dict[object, list[tuple[float, bool]]] = {}
    rows = counted.order_by().values_list("supplier_id", "raised_on", "waited_seconds", "within_target")
    for supplier_id, day, seconds, within in rows:
        key = supplier_id if by is None else (supplier_id, bucket_start(by, day))
        groups.setdefault(key, []).append((seconds / 3600, bool(within)))
    return {
        key: ResponseKpiValue(
            sum(1 for _h, within in items if within),
            len(items),
            len(items),
            MIN_ISSUES,
            median_hours=_median([h for h, _w in items]),
        )
        for key, items in groups.items()
    }


@dataclass(frozen=True)
class LateChanges:
    """The buyer's order changes proposed less than 14 days before the required date, and those the factory
    had to absorb (applied as the buyer asked)."""

    proposed_late: int = 0
    absorbed: int = 0


def late_order_changes(*, start: date, end: date, supplier_ids=None) -> dict[int, LateChanges]:
    """Return, per supplier, the buyer's changes proposed late in [start, end], and how many it absorbed."""
    rows = (
        _only(OrderChange.objects.portal_only().proposed_between(start, end), supplier_ids)
        .order_by()
        .values("supplier_id")
        .annotate(
            late=Count("pk", filter=OrderChangeQuerySet.PROPOSED_LATE),
            absorbed=Count("pk", filter=OrderChangeQuerySet.ABSORBED),
        )
    )
    return {row["supplier_id"]: LateChanges(row["late"], row["absorbed"]) for row in rows}


# --- Price variance ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceVariance:
    """What a supplier invoiced beyond what was agreed over a window, in one currency: (invoiced − agreed unit
    price) × quantity over its invoice lines, plus its extra charges not agreed on the order (the part above the
    agreed amount), against the agreed value of the goods invoiced."""

    currency: str
    lines: Decimal = Decimal("0")
    charges: Decimal = Decimal("0")
    agreed: Decimal = Decimal("0")

    @property
    def total(self) -> Decimal:
        """Return the variance in money: price differences plus unagreed charges, to the cent."""
        return (self.lines + self.charges).quantize(Decimal("0.01"))

    @property
    def percent(self) -> Decimal | None:
        """Return the variance as a % of the agreed value, or None when nothing agreed was invoiced."""
        if not self.agreed:
            return None
        return (self.total * 100 / self.agreed).quantize(Decimal("0.1"))


def price_variance(*, start: date, end: date, supplier_ids=None) -> dict[int, list[PriceVariance]]:
    """Return, per supplier, its price variance over invoices dated in [start, end], one per currency billed.

    Rejected invoices do not count (the supplier sent a corrected one). A price below the agreed one counts as a
    negative difference; a charge counts by what the match found beyond the agreed amount (its discrepancy),
    whether or not the buyer later accepted it. One query (two GROUP BYs joined by UNION ALL), all suppliers.
    """
    found: dict[tuple[int, str], PriceVariance] = {}
    rows = _PRICE_VARIANCE.rows(
        start=start, end=end, supplier_ids=list(supplier_ids) if supplier_ids is not None else None
    )
    for supplier_id, currency, over, agreed, unagreed in rows:
        known = found.get((supplier_id, currency), PriceVariance(currency))
        found[(supplier_id, currency)] = PriceVariance(
            currency,
            known.lines + (over or 0),
            known.charges + (unagreed or 0),
            known.agreed + (agreed or 0),
        )
    result: dict[int, list[PriceVariance]] = {}
    for (supplier_id, _currency), value in sorted(found.items(), key=lambda item: -item[1].agreed):
        result.setdefault(supplier_id, []).append(value)
    return result


def _price_variance_query(*, start: date, end: date, supplier_ids: list | None) -> QuerySet:
    """Return price_variance's query: (supplier, currency, over, agreed, unagreed) per invoice currency, the lines
    and the charges in a UNION ALL."""
    money = DecimalField(max_digits=20, decimal_places=4)
    window = {"invoice__invoice_date__gte": start, "invoice__invoice_date__lte": end}
    lines = InvoiceLine.objects.filter(**window)
    charges = InvoiceDiscrepancy.objects.filter(kind=InvoiceDiscrepancy.Kind.CHARGE, **window)
    if supplier_ids is not None:
        lines = lines.filter(invoice__supplier_id__in=supplier_ids)
        charges = charges.filter(supplier_id__in=supplier_ids)
    rejected = Invoice.Status.REJECTED
    agreed_price = agreed_unit_price_sql("order_line__")  # what the three-way match checks each price against
    lines = (
        lines.exclude(invoice__status=rejected)
        .order_by()
        .values_list("invoice__supplier_id", "invoice__currency")
        .annotate(
            over=Sum((F("unit_price") - agreed_price) * F("quantity"), output_field=money),
            agreed=Sum(agreed_price * F("quantity"), output_field=money),
            unagreed=Value(Decimal("0"), output_field=money),
        )
    )
    charges = (
        charges.exclude(invoice__status=rejected)
        .order_by()
        .values_list("supplier_id", "invoice__currency")
        .annotate(
            over=Value(Decimal("0"), output_field=money),
            agreed=Value(Decimal("0"), output_field=money),
            unagreed=Sum(F("invoiced") - F("expected"), output_field=money),
        )
    )
    return lines.union(charges, all=True)


# Built and compiled once per shape: building and compiling it cost more Python than the query takes to run (a
# portfolio page asks it for its 50 suppliers, a scorecard for one).
_PRICE_VARIANCE = CompiledQuery(_price_variance_query)


PLACED_EXCLUDED = (
    "draft",
    "cancelled",
    "declined",
)  # order statuses that never placed volume with the factory


@dataclass(frozen=True)
class ForecastNotice:
    """The buyer's demand outlook as the factory lived it: how much ordered volume a forecast announced at least
    ADVANCE_NOTICE_WEEKS ahead (by quantity), and ordered ÷ forecast over the months of the window."""

    advance_notice: KpiValue = KpiValue(0, 0, 0, 1)
    accuracy: KpiValue = KpiValue(0, 0, 0, 1)


def forecast_notice(*, start: date, end: date, supplier_ids=None, by: str | None = None) -> dict:
    """Return, per supplier, the advance notice of orders placed in [start, end] and the forecast accuracy of the
    months that begin in [start, end]: one SQL statement over all suppliers (two GROUP BYs in a UNION ALL).

    With `by="week"|"month"|"quarter"` (a window made of whole periods of that kind, as the stored rows' calendar
    windows are), {(supplier_id, first day of the period): ForecastNotice} for each period: the orders placed in
    it and the months that begin in it, as a call over that period alone returns them.
    """
    if by is not None and by not in KINDS:
        raise ValueError(f"unknown period kind {by!r}")
    first, last = month_start(start), month_start(end)
    if first < start:
        first = add_months(first, 1)  # only months that begin inside the window
    rows = _FORECAST_NOTICE.dicts(
        start=start,
        end=end,
        first=first,
        last=last,
        after_last=add_months(last, 1),
        supplier_ids=list(supplier_ids) if supplier_ids is not None else None,
        by=by,
    )

    def key(supplier_id, day: date):
        return supplier_id if by is None else (supplier_id, bucket_start(by, day))

    notice: dict = {}
    by_month: dict[tuple[int, date], list[int]] = {}
    for row in rows:
        if row["n"] or by is None:
            counts = notice.setdefault(key(row["supplier"], row.get("placed_in")), [0, 0, 0])
            counts[0] += row["announced"]
            counts[1] += row["placed"]
            counts[2] += row["n"]
        month = by_month.setdefault((row["supplier"], row["bucket"]), [0, 0])
        month[0] += row["ordered"]
        month[1] += row["forecast"]
    accuracy: dict = {}
    for (supplier_id, month), (quantity, forecast_quantity) in by_month.items():
        if forecast_quantity:  # a month counts for accuracy only when a forecast named it
            counts = accuracy.setdefault(key(supplier_id, month), [0, 0, 0])
            counts[0] += quantity
            counts[1] += forecast_quantity
            counts[2] += 1
    return {
        found: ForecastNotice(
            KpiValue(*notice[found], 1) if notice.get(found, (0, 0, 0))[2] else ForecastNotice.advance_notice,
            KpiValue(*accuracy[found], 1) if found in accuracy else ForecastNotice.accuracy,
        )
        for found in (notice.keys() | accuracy.keys() if by is not None else notice)
    }


def _forecast_notice_query(*, start, end, first, last, after_last, supplier_ids, by) -> QuerySet:
    """Return forecast_notice's query: per supplier and month (and period `by`), the order lines placed in [start,
    end] with those announced ahead, the quantities required in the months [first, after_last), and the
    forecast of those months, in a UNION ALL."""
    placed = Q(order__ordered_on__range=(start, end))
    in_months = Q(required_on__gte=first, required_on__lt=after_last)
    lines = OrderLine.objects.exclude(order__status__in=PLACED_EXCLUDED).filter(placed | in_months)
    if supplier_ids is not None:
        lines = lines.filter(order__supplier_id__in=supplier_ids)
    zero = Value(0, output_field=IntegerField())
    # By period, the orders' notice goes to the period of their order date (a second key of the GROUP BY).
    placed_in = {} if by is None else {"placed_in": Trunc("order__ordered_on", by, output_field=DateField())}
    ordered = (
        planning_selectors.with_forecast_notice(lines)
        .order_by()
        .values(supplier=F("order__supplier_id"), bucket=F("forecast_month"), **placed_in)
        .annotate(
            n=Count("pk", filter=placed),
            placed=Coalesce(Sum("quantity", filter=placed), 0),
            announced=Coalesce(Sum("quantity", filter=placed & Q(forecast_notice=True)), 0),
            ordered=Coalesce(Sum("quantity", filter=in_months), 0),
            forecast=zero,
        )
    )
    forecast = (
        planning_selectors.forecast_lines_in_force(
            months_from=first, months_to=last, supplier_ids=supplier_ids
        )
        .order_by()
        .values(
            supplier=F("forecast__supplier_id"),
            bucket=F("month"),
            **({} if by is None else {"placed_in": F("month")}),
        )
        .annotate(n=zero, placed=zero, announced=zero, ordered=zero, forecast=Sum("quantity"))
    )

    return ordered.union(forecast, all=True)


# Built and compiled once per shape (see _PRICE_VARIANCE): a scorecard asks it for one supplier on every view.
_FORECAST_NOTICE = CompiledQuery(_forecast_notice_query)


def all_kpis(
    *, start: date, end: date, today: date, now=None, supplier_ids=None, by: str | None = None
) -> dict[str, dict]:
    """Return every KPI family over one window: {kpi: {supplier_id: value}} (or keyed by period, see above)."""
    from django.utils import timezone

    now = now or timezone.now()
    targets = response_targets_sql()  # both sides' response targets, from one query
    common = {"start": start, "end": end, "supplier_ids": supplier_ids, "by": by}
    return {
        "on_time_delivery": on_time_delivery(today=today, **common),
        "defect_rate": defect_rate(**common),
        "response_time": response_time(now=now, target_hours=targets[Side.SUPPLIER], **common),
        "payment_timeliness": payment_timeliness(today=today, **common),
        "buyer_response_time": response_time(
            now=now, target_hours=targets[Side.BUYER], responding_side=Side.BUYER, **common
        ),
    }


# --- Stored figures (CurrentKpi rows) --------------------------------------------------------------------------

# What a supplier with no events in the window shows, per KPI family of all_kpis.
EMPTY_VALUES = {
    "on_time_delivery": EMPTY_DELIVERIES,
    "defect_rate": EMPTY_INSPECTIONS,
    "response_time": EMPTY_ISSUES,
    "payment_timeliness": EMPTY_INVOICES,
    "buyer_response_time": EMPTY_ISSUES,
}


def supplier_values(families: dict[str, dict], supplier_id: int) -> dict[str, KpiValue]:
    """Return one supplier's value of each KPI family of all_kpis (the empty value where it had no events)."""
    return {kpi: values.get(supplier_id, EMPTY_VALUES[kpi]) for kpi, values in families.items()}


def encode_figures(values: dict[str, KpiValue]) -> dict:
    """Return one supplier's KPI values as JSON: the counts each rests on (the median as a string, exact)."""
    encoded = {}
    for kpi, value in values.items():
        fields = dataclasses.asdict(value)
        del fields["minimum_sample"]  # a constant of the formula, not a figure
        if fields.get("median_hours") is not None:
            fields["median_hours"] = str(fields["median_hours"])
        encoded[kpi] = fields
    return encoded


# Each family's empty value as the arguments of its class: a portfolio page decodes 250 values, and building
# them from these is a third of the cost of dataclasses.replace (which checks the fields on every call).
_EMPTY_FIELDS = {
    kpi: (type(empty), {f.name: getattr(empty, f.name) for f in dataclasses.fields(empty)})
    for kpi, empty in EMPTY_VALUES.items()
}


def decode_figures(figures: dict) -> dict[str, KpiValue]:
    """Return the KPI values encode_figures stored, equal to kpis.py's (the empty value where none is stored)."""
    values = {}
    for kpi, empty in EMPTY_VALUES.items():
        fields = figures.get(kpi)
        if not fields:
            values[kpi] = empty
            continue
        kind, defaults = _EMPTY_FIELDS[kpi]
        fields = {**defaults, **fields}
        if fields.get("median_hours") is not None:
            fields["median_hours"] = Decimal(fields["median_hours"])
        values[kpi] = kind(**fields)
    return values


def encode_forecast_notice(notice: ForecastNotice) -> dict:
    """Return a supplier's forecast_notice figures as JSON: the counts of each (none for an empty one)."""
    encoded = {}
    for name in ("advance_notice", "accuracy"):
        value = getattr(notice, name)
        if value != getattr(ForecastNotice, name):
            encoded[name] = {
                "numerator": value.numerator,
                "denominator": value.denominator,
                "sample": value.sample,
            }
    return encoded


def decode_forecast_notice(encoded: dict) -> ForecastNotice:
    """Return the ForecastNotice encode_forecast_notice stored, equal to forecast_notice's."""
    return ForecastNotice(
        **{
            name: dataclasses.replace(getattr(ForecastNotice, name), **encoded[name])
            for name in ("advance_notice", "accuracy")
            if encoded.get(name)
        }
    )
