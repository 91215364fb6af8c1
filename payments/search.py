"""What the global search finds among invoices (registered from apps.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, SearchSource, register_search_source

from .models import Invoice


def find_invoices(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Invoices by their number or their order's."""
    rows = (
        Invoice.objects.visible_to(user)
        .filter(number__icontains=query)
        .select_related("supplier", "order")
        .only("pk", "number", "status", "order__number", "supplier__name")
        .order_by("-pk")[:limit]
    )
    return [
        SearchHit(
            row.number,
            f"{row.supplier.name} · {row.order.number} · {row.get_status_display()}",
            reverse("portal:invoice_detail", args=[row.pk]) if portal else row.get_absolute_url(),
        )
        for row in rows
    ]


def register() -> None:
    """Add invoices to the global search."""
    register_search_source(SearchSource("invoices", _("Invoices"), find_invoices, order=40))
