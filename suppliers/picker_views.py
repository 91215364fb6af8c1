"""The supplier search box of big list pages (orders, invoices, red flags) and of big forms ("Raise an issue"):
suggestions fetched as the user types, instead of a drop-down of every supplier embedded in each page."""

from django.shortcuts import render
from django.views import View

from accounts.permissions import StaffRequiredMixin

from . import selectors


class SupplierPickerView(StaffRequiredMixin, View):
    """Answer the `<option>`s of the search box's datalist: at most 20 suppliers the user may see, by name."""

    def get(self, request):
        text = (request.GET.get("supplier") or request.GET.get("supplier_search") or "")[:200]
        suppliers = selectors.supplier_suggestions(user=request.user, text=text)
        # ?as=options: the <option>s of a form's supplier drop-down (value: the id), not of a filter's datalist.
        template = (
            "suppliers/_picker_select_options.html"
            if request.GET.get("as") == "options"
            else "suppliers/_picker_options.html"
        )
        return render(request, template, {"suppliers": suppliers})
