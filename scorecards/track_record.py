"""A supplier's track record on target: the KPI engine's weekly values held to the supplier's own targets (the
snapshots scorecards keep), read by the audit gate when a verification policy lets evidence replace an audit."""

from datetime import date

from django.utils.translation import gettext as _

from core.dates import add_months

from .models import Kpi, KpiSnapshot

# The supplier's own KPIs (our payment timeliness and response time are our failings, not theirs).
TRACK_RECORD_KPIS = (Kpi.ON_TIME_DELIVERY, Kpi.DEFECT_RATE)


def months_on_target(*, supplier_id: int, months: int, today: date) -> tuple[bool, str]:
    """Return whether the supplier was on target for the last `months` months, and why (one query).

    On target: no weekly on-time-delivery or defect-rate value in the span missed its target, and every month of
    it has at least one week measured on target (a span with no data is no track record)."""
    start = add_months(today, -months)
    rows = list(
        KpiSnapshot.objects.filter(
            supplier_id=supplier_id, kpi__in=TRACK_RECORD_KPIS, week_start__gte=start, week_start__lte=today
        )
        .exclude(met__isnull=True)
        .order_by()
        .values_list("week_start", "met")
    )
    missed = sorted(week for week, met in rows if not met)
    if missed:
        return False, _("target missed in the week of %(day)s") % {"day": missed[-1]}
    measured = {(week.year, week.month) for week, met in rows if met}
    for index in range(months):
        month = add_months(start, index)
        if (month.year, month.month) not in measured:
            return False, _("no KPI measured on target in %(month)s") % {"month": month.strftime("%Y-%m")}
    return True, _("%(n)s months on target") % {"n": months}
