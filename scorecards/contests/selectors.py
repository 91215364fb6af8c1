"""Reads of scorecard contests: the staff list (open first), one contest, and the contests of the rows behind a KPI."""

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import RowContest

# The rows behind each contestable KPI, and the contest field naming them.
KIND_OF_KPI = {
    "on_time_delivery": RowContest.Kind.DELIVERY,
    "defect_rate": RowContest.Kind.INSPECTION,
    "response_time": RowContest.Kind.ISSUE,
}


def contest_list(*, user: User, filters: dict | None = None):
    """Return the contests a user may see, open ones first (oldest first: the longest waiting), then decided ones
    (latest first)."""
    filters = filters or {}
    contests = RowContest.objects.visible_to(user).select_related(
        "supplier",
        "delivery__order",
        "inspection",
        "issue",
        "opened_by",
        "decided_by",
    )
    if filters.get("status") in RowContest.Status.values:
        contests = contests.filter(status=filters["status"])
    if filters.get("kind") in RowContest.Kind.values:
        contests = contests.filter(kind=filters["kind"])
    return contests.annotate(
        waiting=Case(
            When(status=RowContest.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    ).order_by(
        "waiting",
        Case(When(status=RowContest.Status.OPEN, then="opened_at")),
        Case(When(status=RowContest.Status.OPEN, then="pk")),
        "-opened_at",
        "-pk",
    )


def contest_get(*, user: User, pk) -> RowContest:
    """Return one contest the user may see; 404 for another supplier's or a missing one."""
    return get_object_or_404(
        RowContest.objects.visible_to(user).select_related(
            "supplier", "delivery__order", "inspection", "issue", "opened_by", "decided_by"
        ),
        pk=pk,
    )


def contests_attach(*, rows: list, kpi: str) -> list:
    """Set `contest` on each row behind a KPI to its latest contest (open or decided), in one query; the rows of a
    KPI the factory cannot contest are left as they are."""
    kind = KIND_OF_KPI.get(kpi)
    if kind is None or not rows:
        return rows
    ids = [row.obj.pk for row in rows]
    latest = {}
    for contest in RowContest.objects.filter(**{f"{kind}_id__in": ids}).order_by("opened_at", "pk"):
        latest[getattr(contest, f"{kind}_id")] = contest  # the last one wins
    for row in rows:
        row.contest = latest.get(row.obj.pk)
    return rows
