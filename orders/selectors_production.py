"""Reads of production records: progress of an order's lines against their required dates, its log and lots.

Lot-over-lot consistency (defects and lab results per lot) reads quality records: audits/lot_selectors.py."""

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from core.clock import business_today

from .models import OrderLine, ProductionLog, ProductionLot, ProductionPlan, PurchaseOrder


@dataclass(frozen=True)
class LineProgress:
    """How far one order line is: produced so far against ordered, and whether it will make its date."""

    line: OrderLine
    produced: int
    remaining: int
    percent: int
    daily_rate: float
    projected_finish: date | None
    behind: bool


def projected_finish(
    *, produced: int, ordered: int, started_on: date | None, planned_finish_on: date | None, today: date
) -> date | None:
    """Return when a line will be done at its current daily rate (from the start of production to today).

    Done lines finish today at the latest; with nothing produced yet there is no rate, so the factory's own
    planned finish stands in.
    """
    remaining = max(0, ordered - produced)
    if remaining == 0:
        return today
    if not produced or started_on is None:
        return planned_finish_on
    days = max(1, (today - started_on).days + 1)
    return today + timedelta(days=math.ceil(remaining / (produced / days)))


def is_behind(*, projected: date | None, required_on: date, remaining: int, today: date) -> bool:
    """Return whether a line is behind: the one definition every page, the API and the journey use.

    Behind when its projected finish falls after its required date, or, with no projection at all (nothing
    produced and no planned finish), once the required date has come with units still to make.
    """
    if remaining == 0:
        return False
    if projected is None:
        return today >= required_on
    return projected > required_on


def order_production(*, order: PurchaseOrder, today: date | None = None) -> dict:
    """Return an order's production plan, each line's progress and its latest log entries (5 queries)."""
    today = today or business_today()
    plan = ProductionPlan.objects.filter(order=order).first()
    lines = order.lines.annotate(produced=Coalesce(Sum("production_logs__quantity"), 0)).order_by("pk")
    started_on = plan.started_on if plan else None
    # Output logged before the recorded start (a start set late) counts from its first day.
    first_log = (
        ProductionLog.objects.filter(order=order)
        .order_by("produced_on")
        .values_list("produced_on", flat=True)
    ).first()
    if first_log and (started_on is None or first_log < started_on):
        started_on = first_log
    planned = plan.planned_finish_on if plan else None
    progress = []
    for line in lines:
        remaining = max(0, line.quantity - line.produced)
        projected = projected_finish(
            produced=line.produced,
            ordered=line.quantity,
            started_on=started_on,
            planned_finish_on=planned,
            today=today,
        )
        days = max(1, (today - started_on).days + 1) if started_on else 1
        progress.append(
            LineProgress(
                line=line,
                produced=line.produced,
                remaining=remaining,
                percent=min(100, round(100 * line.produced / line.quantity)) if line.quantity else 0,
                daily_rate=round(line.produced / days, 1) if started_on else 0.0,
                projected_finish=projected,
                behind=is_behind(
                    projected=projected, required_on=line.required_on, remaining=remaining, today=today
                ),
            )
        )
    logs = (
        ProductionLog.objects.filter(order=order)
        .select_related("line", "logged_by")
        .prefetch_related("lots")
        .order_by("-produced_on", "-pk")[:50]
    )
    return {
        "plan": plan,
        "lines": progress,
        "logs": logs,
        "behind": any(row.behind for row in progress),
        "planned_late": [row.line for row in progress if planned and planned > row.line.required_on],
        "today": today,
    }


def order_lots(*, order: PurchaseOrder):
    """Return an order's production lots with their line and how many lab reports each has."""
    return (
        ProductionLot.objects.filter(order=order)
        .select_related("line")
        .annotate(tests=Count("batch_tests"))
        .order_by("line_id", "created_at", "pk")
    )
