"""What the global search finds among issues raised with suppliers (registered from apps.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, SearchSource, number_of, register_search_source

from .models import SupplierIssue


def find_issues(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Issues by number ("#12") or subject."""
    match = Q(subject__icontains=query)
    if (number := number_of(query)) is not None:
        match |= Q(pk=number)
    rows = (
        SupplierIssue.objects.visible_to(user)
        .filter(match)
        .select_related("supplier")
        .only("pk", "subject", "status", "supplier__name")
        .order_by("-pk")[:limit]
    )
    return [
        SearchHit(
            f"#{row.pk} {row.subject}",
            f"{row.supplier.name} · {row.get_status_display()}",
            reverse("portal:issue_detail", args=[row.pk]) if portal else row.get_absolute_url(),
        )
        for row in rows
    ]


def register() -> None:
    """Add issues to the global search."""
    register_search_source(SearchSource("issues", _("Issues"), find_issues, order=50))
