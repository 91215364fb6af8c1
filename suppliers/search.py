"""What the global search finds among suppliers and their contacts (registered from apps.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import SearchHit, SearchSource, register_search_source

from .models import Contact, Supplier


def find_suppliers(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Suppliers by name, legal name or registration number."""
    rows = (
        Supplier.objects.visible_to(user)
        .filter(
            Q(name__icontains=query)
            | Q(legal_name__icontains=query)
            | Q(registration_number__icontains=query)
        )
        .only("pk", "name", "city", "country", "registration_number")
        .order_by("name")[:limit]
    )
    return [
        SearchHit(
            row.name,
            " · ".join(filter(None, [row.city, str(row.country.name), row.registration_number])),
            reverse("portal:home") if portal else row.get_absolute_url(),
        )
        for row in rows
    ]


def find_contacts(*, user, query: str, limit: int, portal: bool) -> list[SearchHit]:
    """Contacts by name or email."""
    rows = (
        Contact.objects.visible_to(user)
        .filter(Q(name__icontains=query) | Q(email__icontains=query))
        .select_related("supplier")
        .only("pk", "name", "email", "title", "supplier__name")
        .order_by("name", "pk")[:limit]
    )
    return [
        SearchHit(
            row.name,
            " · ".join(filter(None, [row.title, row.email, row.supplier.name])),
            reverse("portal:contacts")
            if portal
            else reverse("suppliers:tab", args=[row.supplier_id, "contacts"]),
        )
        for row in rows
    ]


def register() -> None:
    """Add suppliers and contacts to the global search."""
    register_search_source(SearchSource("suppliers", _("Suppliers"), find_suppliers, order=10))
    register_search_source(SearchSource("contacts", _("Contacts"), find_contacts, order=20))
