"""Staff page to edit a supplier's capability statement (the "claimed" side of claimed vs observed)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import submit

from . import selectors, services
from .capability import CapabilityStatementForm
from .models import ProductCategory


def statement_categories(supplier):
    """Return the categories a statement asks capacity for: the supplier's, and any it already claimed."""
    return ProductCategory.objects.filter(
        pk__in=supplier.categories.order_by()
        .values("pk")
        .union(  # no ORDER BY inside a UNION (SQLite)
            supplier.capability_claims.order_by().values("category_id")
        )
    ).order_by("name")


def statement_form(supplier, data=None) -> CapabilityStatementForm:
    """Return the statement form filled with the current claims."""
    return CapabilityStatementForm(
        data,
        categories=statement_categories(supplier),
        current=services.capability_current(supplier=supplier),
    )


class CapabilityStatementView(StaffRequiredMixin, View):
    """Edit what the factory claims it can do; every change is kept in the statement's history."""

    capability = "supplier.edit"

    def get(self, request, pk):
        supplier = selectors.supplier_get(user=request.user, pk=pk)
        return self.render(statement_form(supplier), supplier)

    def post(self, request, pk):
        supplier = selectors.supplier_get(user=request.user, pk=pk)
        form = statement_form(supplier, request.POST)
        done = submit(
            request,
            form,
            lambda data: services.capability_statement_save(
                supplier=supplier, by=request.user, **form.service_arguments()
            ),
            _("Capability statement saved."),
        )
        if done:
            return redirect("suppliers:tab", pk=supplier.pk, tab="capacity")
        return self.render(form, supplier, status=400)

    def render(self, form, supplier, status=200):
        context = {"form": form, "supplier": supplier, "title": _("Capability statement"), "tab": "capacity"}
        return render(self.request, "suppliers/child_form.html", context, status=status)
