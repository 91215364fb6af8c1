"""The supplier search box of big list pages (orders, invoices, red flags): suggestions fetched as the user types,
instead of a drop-down of every supplier embedded in each page."""

from django.shortcuts import render
from django.views import View

from accounts.permissions import StaffRequiredMixin

from . import selectors


class SupplierPickerView(StaffRequiredMixin, View):
    """Answer the `<option>`s of the search box's datalist: at most 20 suppliers the user may see, by name."""

    def get(self, request):
        text = request.GET.get("supplier", "")[:200]
        suppliers = selectors.supplier_suggestions(user=request.user, text=text)
        return render(request, "suppliers/_picker_options.html", {"suppliers": suppliers})
