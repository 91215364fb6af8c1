"""What the global search finds among corrective actions (registered from apps.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, SearchSource, number_of, register_search_source

from .models import CorrectiveAction


def find_corrective_actions(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Corrective actions by number ("#7") or title."""
    match = Q(title__icontains=query)
    if (number := number_of(query)) is not None:
        match |= Q(pk=number)
    rows = (
        CorrectiveAction.objects.visible_to(user)
        .filter(match)
        .select_related("supplier")
        .only("pk", "title", "status", "supplier__name")
        .order_by("-pk")[:limit]
    )
    return [
        SearchHit(
            f"#{row.pk} {row.title}",
            f"{row.supplier.name} · {row.get_status_display()}",
            reverse("portal:capa_detail", args=[row.pk]) if portal else row.get_absolute_url(),
        )
        for row in rows
    ]


def register() -> None:
    """Add corrective actions to the global search."""
    register_search_source(
        SearchSource("corrective_actions", _("Corrective actions"), find_corrective_actions, order=60)
    )
