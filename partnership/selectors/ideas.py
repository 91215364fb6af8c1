"""Reads of improvement ideas, shared by staff pages, the portal, the API and the scorecard's credit."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.shortcuts import get_object_or_404

from ..models import IdeaKind, ImprovementIdea, Side


def idea_list(*, user, supplier_id: int | None = None, status: str = "", kind: str = "") -> QuerySet:
    """Return the ideas a user may see, newest first, optionally of one supplier, status or kind."""
    ideas = ImprovementIdea.objects.visible_to(user).select_related("supplier", "raised_by", "order")
    if supplier_id is not None:
        ideas = ideas.filter(supplier_id=supplier_id)
    if status in ImprovementIdea.Status.values:
        ideas = ideas.filter(status=status)
    if kind in IdeaKind.values:
        ideas = ideas.filter(kind=kind)
    return ideas.annotate(comment_count=Count("comments")).order_by("-raised_at", "-pk")


def idea_get(*, user, pk) -> ImprovementIdea:
    """Return one idea the user may see (404 otherwise, also for another supplier's)."""
    return get_object_or_404(
        ImprovementIdea.objects.visible_to(user).select_related(
            "supplier", "raised_by", "order", "decided_by"
        ),
        pk=pk,
    )


def idea_comments(*, idea: ImprovementIdea) -> QuerySet:
    """Return an idea's comments, oldest first, with their authors."""
    return idea.comments.select_related("author").order_by("created_at", "pk")


@dataclass
class IdeasCredit:
    """A supplier's credit for improvement ideas over a period: how many were implemented, and their savings by
    currency (realised, and estimated per year)."""

    implemented: int = 0
    savings: list = field(default_factory=list)  # [{"currency", "realised", "estimated"}], by currency

    @property
    def any(self) -> bool:
        return self.implemented > 0


def ideas_credit(*, start: date, end: date, supplier_ids=None) -> dict[int, IdeasCredit]:
    """Return each supplier's credit for ideas implemented in [start, end] and credited to the factory (alone or
    jointly), in one query for all suppliers at once; a supplier with none is absent."""
    rows = ImprovementIdea.objects.filter(
        status=ImprovementIdea.Status.IMPLEMENTED,
        implemented_on__gte=start,
        implemented_on__lte=end,
        credited_to__in=[Side.FACTORY, Side.SHARED],
    )
    if supplier_ids is not None:
        rows = rows.filter(supplier_id__in=list(supplier_ids))
    grouped = (
        rows.values("supplier_id", "currency")
        .annotate(n=Count("pk"), realised=Sum("realised_saving"), estimated=Sum("estimated_annual_saving"))
        .order_by("supplier_id", "currency")
    )
    credits: dict[int, IdeasCredit] = defaultdict(IdeasCredit)
    for row in grouped:
        credit = credits[row["supplier_id"]]
        credit.implemented += row["n"]
        credit.savings.append(
            {
                "currency": row["currency"],
                "realised": row["realised"] or Decimal("0"),
                "estimated": row["estimated"] or Decimal("0"),
            }
        )
    return dict(credits)
