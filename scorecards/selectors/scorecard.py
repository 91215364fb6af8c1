"""A supplier's scorecard: everything the staff page, the portal page, the email and the PDF show of one supplier."""

from django.utils.translation import gettext_lazy

from partnership.selectors.ideas import IdeasCredit, ideas_credit
from planning.rules import ADVANCE_NOTICE_WEEKS

from .. import charts, kpis, periods
from ..models import HIGHER_IS_BETTER, Kpi, RedFlag
from .cards import BUYER_KPIS, SUPPLIER_KPIS, cards_with_price_variance, supplier_series, supplier_trend
from .ranked import supplier_card

HOURS_KPIS = (Kpi.RESPONSE_TIME, Kpi.BUYER_RESPONSE_TIME)

TREND_KINDS = {
    "week": gettext_lazy("Weekly, rolling 90 days (52 weeks)"),
    "month": gettext_lazy("By month (12)"),
    "quarter": gettext_lazy("By quarter (8)"),
}


def _chart_for(kpi: str, points, target) -> str:
    unit = "h" if kpi in HOURS_KPIS else "%"
    return charts.line_chart(points, target=target, unit=unit, title=str(Kpi(kpi).label))


def scorecard_context(*, user, supplier, today, period=None, trend: str = "week", behind_url=None) -> dict:
    """Everything a supplier's scorecard shows (staff page, portal page, email and PDF share it).

    The KPIs over `period` (the rolling 90 days by default); the charts weekly (the rolling figure at each
    week's end, from the snapshots) or per calendar month or quarter. `behind_url(supplier, kpi)` gives the page
    listing the rows behind each number (staff or portal), None for none.
    """
    period = period or periods.rolling(today)
    trend = trend if trend in TREND_KINDS else "week"
    # From the supplier's stored row when it was computed for today's window (the card says as of when).
    card, forecasting = supplier_card(user=user, supplier=supplier, period=period, today=today)
    cards_with_price_variance([card], period=period)
    for kpi, cell in card.cells.items():
        cell.behind_url = behind_url(supplier, kpi) if behind_url else ""
    series = []
    if trend == "week":
        weekly = supplier_trend(supplier=supplier, today=today)
        chart_points = {
            k: [(s.week_start.strftime("%Y-%m-%d"), s.value) for s in weekly[k]] for k in Kpi.values
        }
    else:
        by_period = supplier_series(supplier=supplier, kind=trend, today=today)
        chart_points = {k: [(p.period.short_label, p.value.value) for p in by_period[k]] for k in Kpi.values}
        series = [
            {"period": point.period, "cells": [by_period[k][index] for k in Kpi.values]}
            for index, point in enumerate(by_period[Kpi.ON_TIME_DELIVERY])
        ][::-1]
    late_changes = kpis.late_order_changes(
        start=period.start, end=period.end, supplier_ids=[supplier.pk]
    ).get(supplier.pk, kpis.LateChanges())
    credit = ideas_credit(start=period.start, end=min(period.end, today), supplier_ids=[supplier.pk])
    return {
        "supplier": supplier,
        "card": card,
        "today": today,
        "period": period,
        "window_start": period.start,
        "window_end": min(period.end, today),
        "supplier_kpis": [card.cells[k] for k in SUPPLIER_KPIS],
        "buyer_kpis": [card.cells[k] for k in BUYER_KPIS],
        "charts": [
            {"kpi": Kpi(k).label, "svg": _chart_for(k, chart_points[k], card.cells[k].target)}
            for k in Kpi.values
        ],
        "trend": trend,
        "trend_label": TREND_KINDS[trend],
        "trend_kinds": TREND_KINDS.items(),
        "series": series,
        "series_kpis": [Kpi(k) for k in Kpi.values],
        "hours_kpis": HOURS_KPIS,
        "period_choices": periods.choices(today=today),
        "late_changes": late_changes,
        "forecasting": forecasting,
        "ideas_credit": credit.get(supplier.pk, IdeasCredit()),
        "notice_weeks": ADVANCE_NOTICE_WEEKS,
        "higher_is_better": HIGHER_IS_BETTER,
        "flags": RedFlag.objects.visible_to(user)
        .filter(supplier=supplier)
        .exclude(state=RedFlag.State.RESOLVED)
        .select_related("owner"),
    }
