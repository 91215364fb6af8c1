"""The global search pages: staff search every kind; a factory contact searches its own company's rows in the
portal. Both go through core.search, whose sources scope every query with visible_to(user)."""

from django.shortcuts import render
from django.views import View

from accounts.permissions import PortalRequiredMixin, StaffRequiredMixin

from .search import MIN_QUERY_LENGTH, PER_KIND, clean_query, search_everything


def _context(request, *, portal: bool) -> dict:
    raw = request.GET.get("q", "")
    query = clean_query(raw)
    shown = clean_query(raw) or "".join(ch for ch in raw[:100] if ch.isprintable()).strip()
    return {
        "q": shown,
        "search_q": shown,  # the navbar's box keeps what was searched
        "searched": bool(query),
        "too_short": bool(raw.strip()) and not query,
        "min_length": MIN_QUERY_LENGTH,
        "per_kind": PER_KIND,
        "groups": search_everything(user=request.user, query=query, portal=portal),
    }


class SearchView(StaffRequiredMixin, View):
    """Suppliers, contacts, orders, invoices, issues and corrective actions by number or name, grouped by kind."""

    def get(self, request):
        return render(request, "search/results.html", _context(request, portal=False))


class PortalSearchView(PortalRequiredMixin, View):
    """The factory's own orders, invoices, issues, corrective actions and contacts by number or name."""

    def get(self, request):
        return render(request, "portal/search.html", _context(request, portal=True))
