"""What the global search finds among purchase orders (registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, SearchSource, register_search_source

from .models import PurchaseOrder


def find_orders(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Purchase orders by number."""
    rows = (
        PurchaseOrder.objects.visible_to(user)
        .filter(number__icontains=query)
        .select_related("supplier")
        .only("pk", "number", "status", "ordered_on", "supplier__name")
        .order_by("-ordered_on", "-pk")[:limit]
    )
    return [
        SearchHit(
            row.number,
            f"{row.supplier.name} · {row.get_status_display()}",
            reverse("portal:order_detail", args=[row.pk]) if portal else row.get_absolute_url(),
        )
        for row in rows
    ]


def register() -> None:
    """Add purchase orders to the global search."""
    register_search_source(SearchSource("orders", _("Orders"), find_orders, order=30))
