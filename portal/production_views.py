"""Portal pages for production: the factory starts an order's production and logs its output per line."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from orders import selectors, selectors_production
from orders.production_forms import ProductionLogForm, ProductionStartForm
from orders.services import order_start_production, production_log_add


class PortalProductionStartView(PortalRequiredMixin, View):
    """Start production of a sent or acknowledged order, with the planned finish."""

    def get(self, request, pk, form=None, status=200):
        order = selectors.order_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/production_start.html",
            {"order": order, "form": form or ProductionStartForm(), "lines": order.lines.all()},
            status=status,
        )

    def post(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        form = ProductionStartForm(request.POST)
        if submit(
            request,
            form,
            lambda data: order_start_production(order=order, by=request.user, **data),
            _("Production started; your buyer is told."),
        ):
            return redirect("portal:order_detail", pk=order.pk)
        return self.get(request, pk, form=form, status=400)


class PortalProductionLogView(PortalRequiredMixin, View):
    """The factory's production log of one order: progress per line, the entries, and the form to add one."""

    def get(self, request, pk, form=None, status=200):
        order = selectors.order_get(user=request.user, pk=pk)
        initial = {"produced_on": timezone.localdate()}
        if (line := request.GET.get("line", "")).isdecimal():
            initial["line"] = line
        return render(
            request,
            "portal/production_log.html",
            {
                "order": order,
                "production": selectors_production.order_production(order=order),
                "lots": selectors_production.order_lots(order=order),
                "form": form or ProductionLogForm(order=order, initial=initial),
            },
            status=status,
        )

    def post(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        form = ProductionLogForm(request.POST, order=order)
        if submit(
            request,
            form,
            lambda data: production_log_add(by=request.user, **data),
            _("Production logged."),
        ):
            return redirect("portal:production_log", pk=order.pk)
        return self.get(request, pk, form=form, status=400)
