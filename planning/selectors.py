"""Reads of demand planning, shared by staff pages, the portal, the API, the scorecard's KPIs and order sending."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404

from suppliers.models import CapacityAssessment, RegistrationCapacity

from .models import CapacityAnswer, Forecast, ForecastLine
from .months import month_start
from .rules import ADVANCE_NOTICE_WEEKS, MIN_HORIZON_MONTHS


def forecast_list(*, user, supplier_id: int | None = None) -> QuerySet:
    """Return the forecast versions a user may see, newest first, with their line count and total quantity."""
    forecasts = Forecast.objects.visible_to(user).select_related("supplier", "published_by")
    if supplier_id is not None:
        forecasts = forecasts.filter(supplier_id=supplier_id)
    return forecasts.annotate(
        line_count=Count("lines", distinct=True), total=Sum("lines__quantity")
    ).order_by("-published_at", "-pk")


def forecast_get(*, user, pk) -> Forecast:
    """Return one forecast version the user may see (404 otherwise)."""
    return get_object_or_404(
        Forecast.objects.visible_to(user).select_related("supplier", "published_by"), pk=pk
    )


def forecast_reach(*, forecast: Forecast) -> dict:
    """Return how many months a version reaches, counting the month it was published in (1 query), and whether
    that is shorter than the MIN_HORIZON_MONTHS factories plan on."""
    last = forecast.lines.aggregate(last=Max("month"))["last"]
    first = month_start(forecast.published_on)
    months = 0 if last is None else (last.year - first.year) * 12 + last.month - first.month + 1
    return {"months": months, "short": months < MIN_HORIZON_MONTHS, "minimum": MIN_HORIZON_MONTHS}


def forecast_newest(*, supplier_id: int) -> Forecast | None:
    """Return the supplier's newest published version, or None."""
    return Forecast.objects.filter(supplier_id=supplier_id).order_by("-version").first()


@dataclass
class ForecastMonth:
    """One month of a forecast version: its lines, their total, and the factory's answer."""

    month: date
    lines: list = field(default_factory=list)
    answer: CapacityAnswer | None = None

    @property
    def total(self) -> int:
        return sum(line.quantity for line in self.lines)


def forecast_months(*, forecast: Forecast) -> list[ForecastMonth]:
    """Return the forecast's months in order, each with its lines and answer (two queries)."""
    months: dict[date, ForecastMonth] = {}
    for line in forecast.lines.select_related("category").order_by("month", "sku", "category__name"):
        months.setdefault(line.month, ForecastMonth(line.month)).lines.append(line)
    for answer in forecast.answers.select_related("answered_by"):
        if answer.month in months:
            months[answer.month].answer = answer
    return list(months.values())


@dataclass(frozen=True)
class DiffRow:
    """How one line (month × SKU or category) changed from the previous version."""

    month: date
    item: str
    change: str  # added, removed, up, down, same
    before: int | None
    after: int | None

    @property
    def delta(self) -> int:
        return (self.after or 0) - (self.before or 0)


def forecast_diff(*, forecast: Forecast) -> tuple[Forecast | None, list[DiffRow]]:
    """Return the previous version and what changed per line and month since it (all lines when it is the first)."""
    previous = (
        Forecast.objects.filter(supplier_id=forecast.supplier_id, version__lt=forecast.version)
        .order_by("-version")
        .first()
    )
    after = {line.key: line for line in forecast.lines.select_related("category")}
    before = {line.key: line for line in previous.lines.select_related("category")} if previous else {}
    rows = []
    for key in sorted(set(after) | set(before), key=lambda k: (k[0], k[1], k[2] or 0)):
        old, new = before.get(key), after.get(key)
        if old is None:
            change = "added"
        elif new is None:
            change = "removed"
        elif new.quantity > old.quantity:
            change = "up"
        elif new.quantity < old.quantity:
            change = "down"
        else:
            change = "same"
        rows.append(
            DiffRow(
                month=key[0],
                item=(new or old).item,
                change=change,
                before=old.quantity if old else None,
                after=new.quantity if new else None,
            )
        )
    return previous, rows


def forecasts_to_answer(*, user) -> QuerySet:
    """Return the newest forecast versions with a month the factory has not answered yet (for its task list)."""
    unanswered = ForecastLine.objects.filter(forecast_id=OuterRef("pk")).exclude(
        month__in=CapacityAnswer.objects.filter(forecast_id=OuterRef(OuterRef("pk"))).values("month")
    )
    return (
        Forecast.objects.visible_to(user)
        .latest_per_supplier()
        .filter(Exists(unanswered))
        .select_related("supplier")
    )


def monthly_capacity(*, supplier_ids) -> dict[int, int]:
    """Return each supplier's monthly capacity: its newest capacity assessment, else what its registration declared.

    Two queries whatever the number of suppliers; a supplier with neither is absent (its capacity is unknown).
    """
    newest = CapacityAssessment.objects.filter(supplier_id=OuterRef("supplier_id")).order_by(
        "-assessed_on", "-pk"
    )
    assessed = dict(
        CapacityAssessment.objects.filter(
            supplier_id__in=supplier_ids, pk=Subquery(newest.values("pk")[:1])
        ).values_list("supplier_id", "monthly_capacity")
    )
    declared = dict(
        RegistrationCapacity.objects.filter(registration__supplier_id__in=set(supplier_ids) - set(assessed))
        .values("registration__supplier_id")
        .annotate(total=Sum("monthly_capacity"))
        .values_list("registration__supplier_id", "total")
    )
    return {**declared, **assessed}


def with_forecast_notice(order_lines: QuerySet, *, weeks: int = ADVANCE_NOTICE_WEEKS) -> QuerySet:
    """Annotate order lines with `forecast_month` and `forecast_notice`: the one definition of advance notice.

    A line was announced when a forecast version of the same supplier, published at least `weeks` weeks before the
    order date, has a line for the month of the line's required date naming its SKU, or naming a product category
    (order lines carry no category, so a category line stands for every SKU of that supplier in that month).
    Used by the scorecard's two-way card, the API and the large-order warning on sending.
    """
    cutoff = ExpressionWrapper(F("order__ordered_on") - timedelta(weeks=weeks), output_field=DateField())
    announced = ForecastLine.objects.filter(
        forecast__supplier_id=OuterRef("order__supplier_id"),
        month=OuterRef("forecast_month"),
        forecast__published_on__lte=OuterRef("notice_cutoff"),
    ).filter(Q(sku=OuterRef("sku")) | Q(category__isnull=False))
    return order_lines.annotate(
        forecast_month=TruncMonth("required_on", output_field=DateField()), notice_cutoff=cutoff
    ).annotate(forecast_notice=Exists(announced))


def forecast_lines_in_force(*, months_from: date, months_to: date, supplier_ids=None) -> QuerySet:
    """Return the forecast lines of months in [from, to] from the version in force when each month began (the
    newest published before its 1st): what the factory planned that month on (forecast accuracy's denominator)."""
    in_force = Forecast.objects.filter(
        supplier_id=OuterRef("forecast__supplier_id"), published_on__lt=OuterRef("month")
    ).order_by("-version")
    lines = ForecastLine.objects.filter(month__gte=months_from, month__lte=months_to).filter(
        forecast_id=Subquery(in_force.values("pk")[:1])
    )
    if supplier_ids is not None:
        lines = lines.filter(forecast__supplier_id__in=supplier_ids)
    return lines
