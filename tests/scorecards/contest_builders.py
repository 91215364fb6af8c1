"""Rows a factory contests in the contest tests: a late delivery, an inspection with defects, a slow answer."""

from datetime import timedelta

from django.utils import timezone

from core.clock import business_today
from orders.models import PurchaseOrder
from scorecards.contests import services
from tests.factories import PurchaseOrderFactory
from tests.scorecards.builders import delivery, inspection, issue


def late_delivery(supplier, *, days_ago: int = 12, late_by: int = 4, number: str | None = None):
    """A delivery of a sent order promised `days_ago` and received `late_by` days after it."""
    today = business_today()
    promised = today - timedelta(days=days_ago)
    if number is not None:
        PurchaseOrderFactory(supplier=supplier, number=number, status=PurchaseOrder.Status.ACKNOWLEDGED)
    return delivery(supplier, promised, promised + timedelta(days=late_by))


def on_time_delivery(supplier, *, days_ago: int = 20):
    promised = business_today() - timedelta(days=days_ago)
    return delivery(supplier, promised, promised)


def defective_inspection(supplier, *, days_ago: int = 5, sample: int = 100, defective: int = 4):
    return inspection(supplier, business_today() - timedelta(days=days_ago), sample, defective)


def slow_issue(supplier, *, hours_ago: float = 100, answered_after: float = 40):
    """An issue the buyer raised, answered by the factory `answered_after` hours later (over the 24 h target)."""
    return issue(supplier, timezone.now() - timedelta(hours=hours_ago), answered_after=answered_after)


def contest(portal, row, kind: str, reason: str = "The port was closed by the typhoon."):
    return services.row_contest_open(by=portal, kind=kind, row_id=row.pk, reason=reason)
