"""Staff page of lot-over-lot consistency: one SKU at one supplier, lot by lot."""

from django.shortcuts import get_object_or_404, render
from django.views import View

from accounts.permissions import StaffRequiredMixin
from orders.models import OrderLine, PurchaseOrder

from ..lot_selectors import sku_lot_consistency


class LineLotsView(StaffRequiredMixin, View):
    """The lots of an order line's SKU at its supplier (every order), with defects and lab results per lot."""

    def get(self, request, pk):
        orders = PurchaseOrder.objects.visible_to(request.user)
        line = get_object_or_404(OrderLine.objects.select_related("order__supplier"), pk=pk, order__in=orders)
        return render(
            request, "audits/line_lots.html", {"line": line, "lots": sku_lot_consistency(line=line)}
        )
