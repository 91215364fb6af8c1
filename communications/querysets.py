"""Issues: `counted_for_response` is the one definition of the issues the response-time KPIs count."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import BooleanField, Case, ExpressionWrapper, F, FloatField, Q, Value, When
from django.db.models.functions import Coalesce

from core.expressions import LocalDate, SecondsBetween
from suppliers.querysets import SupplierOwnedQuerySet

_UTC = ZoneInfo("UTC")


def raised_between(start: date, end: date) -> dict:
    """Return `raised_at` bounds in UTC covering the days start–end on any supplier's calendar.

    Every timezone is within a day of UTC: these bounds let the index on raised_at narrow the rows, and the
    supplier's local day then decides.
    """
    return {
        "raised_at__gte": datetime.combine(start - timedelta(days=1), time.min, tzinfo=_UTC),
        "raised_at__lt": datetime.combine(end + timedelta(days=2), time.min, tzinfo=_UTC),
    }


class IssueQuerySet(SupplierOwnedQuerySet):
    """Issues raised by one side to the other."""

    # Answered, and within the responding side's target: the response KPIs' numerator.
    WITHIN_TARGET = Q(first_response_at__isnull=False, waited_seconds__lte=F("target_seconds"))

    def with_response_clock(self, *, now: datetime, target_hours):
        """Annotate each issue with its response clock against a target in hours (a number or an expression of
        the issue's supplier, see scorecards.targets.response_target_sql).

        raised_on: the day it was raised on the supplier's own calendar (its timezone), whoever looks;
        waited_seconds: to the first reply, or to `now` while unanswered; target_seconds; within_target.
        """
        if not hasattr(target_hours, "resolve_expression"):
            target_hours = Value(float(target_hours))
        return self.annotate(
            raised_on=LocalDate(F("supplier__timezone"), F("raised_at")),
            waited_seconds=SecondsBetween(Coalesce(F("first_response_at"), Value(now)), F("raised_at")),
            target_seconds=ExpressionWrapper(target_hours * 3600, output_field=FloatField()),
        ).annotate(
            within_target=Case(
                When(self.WITHIN_TARGET, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )

    def counted_for_response(self, start: date, end: date, *, now: datetime, raised_by: str, target_hours):
        """Return the issues one side raised on days [start, end] of the supplier's calendar that the response KPI
        counts: once answered, or once older than the target while unanswered (a breach, at once); not those a
        manager excused on the factory's contest (listed apart)."""
        return self.due_for_response(
            start, end, now=now, raised_by=raised_by, target_hours=target_hours
        ).filter(excused_at__isnull=True)

    def excused_in(self, start: date, end: date, *, now: datetime, raised_by: str, target_hours):
        """Return the issues the response KPI would count over [start, end] but a manager excused."""
        return self.due_for_response(
            start, end, now=now, raised_by=raised_by, target_hours=target_hours
        ).filter(excused_at__isnull=False)

    def due_for_response(self, start: date, end: date, *, now: datetime, raised_by: str, target_hours):
        """Return the issues of [start, end] due for the response KPI, counted or excused (its universe)."""
        return (
            self.filter(raised_by_side=raised_by, **raised_between(start, end))
            .with_response_clock(now=now, target_hours=target_hours)
            .filter(raised_on__gte=start, raised_on__lte=end)
            .filter(Q(first_response_at__isnull=False) | Q(waited_seconds__gt=F("target_seconds")))
        )
