"""Staff pages of demand planning: forecasts per supplier, publishing a new version, a version with its changes
and the factory's answers."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.views import paginate, submit
from suppliers.models import Supplier

from . import selectors, services
from .forms import ForecastLineFormSet, ForecastNoteForm
from .months import month_start


class ForecastListView(StaffRequiredMixin, View):
    """Published forecast versions, newest first, for one supplier or all."""

    def get(self, request):
        supplier = None
        if (raw := request.GET.get("supplier", "")).isdigit():
            supplier = get_object_or_404(Supplier.objects.visible_to(request.user), pk=raw)
        forecasts = selectors.forecast_list(user=request.user, supplier_id=supplier.pk if supplier else None)
        page, query = paginate(request, forecasts, per_page=25)
        return render(
            request,
            "planning/forecast_list.html",
            {
                "page": page,
                "query": query,
                "supplier": supplier,
                "suppliers": Supplier.objects.visible_to(request.user).order_by("name").only("pk", "name"),
                "can_publish": request.user.can(services.PUBLISH),
            },
        )


class ForecastPublishView(StaffRequiredMixin, View):
    """Publish a new version of a supplier's forecast; the form starts from the newest version's future lines."""

    capability = services.PUBLISH

    def get(self, request, supplier_pk):
        supplier = get_object_or_404(Supplier.objects.visible_to(request.user), pk=supplier_pk)
        first = month_start(business_today())
        newest = selectors.forecast_newest(supplier_id=supplier.pk)
        initial = []
        if newest is not None:
            initial = [
                {
                    "month": f"{line.month:%Y-%m}",
                    "sku": line.sku,
                    "category": line.category_id,
                    "quantity": line.quantity,
                    "unit": line.unit,
                    "confidence": line.confidence,
                }
                for line in newest.lines.filter(month__gte=first).order_by("month", "sku", "category__name")
            ]
        return self.render(supplier, ForecastNoteForm(), ForecastLineFormSet(initial=initial), newest)

    def post(self, request, supplier_pk):
        supplier = get_object_or_404(Supplier.objects.visible_to(request.user), pk=supplier_pk)
        form, formset = ForecastNoteForm(request.POST), ForecastLineFormSet(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.forecast_publish(
                supplier=supplier, by=request.user, lines=formset.filled_lines(), note=data["note"]
            ),
            _("Forecast published: the factory sees it in its portal and can answer each month."),
            also=(formset,),
        )
        if done:
            reach = selectors.forecast_reach(forecast=done.result)
            if reach["short"]:
                messages.warning(request, short_horizon_message(reach))
            return redirect(done.result)
        newest = selectors.forecast_newest(supplier_id=supplier.pk)
        return self.render(supplier, form, formset, newest, status=400)

    def render(self, supplier, form, formset, newest, status=200):
        return render(
            self.request,
            "planning/forecast_form.html",
            {"supplier": supplier, "form": form, "formset": formset, "newest": newest},
            status=status,
        )


class ForecastDetailView(StaffRequiredMixin, View):
    """One version: its months with the factory's answers beside them, and what changed since the previous one."""

    def get(self, request, pk):
        forecast = selectors.forecast_get(user=request.user, pk=pk)
        previous, diff = selectors.forecast_diff(forecast=forecast)
        return render(
            request,
            "planning/forecast_detail.html",
            {
                "forecast": forecast,
                "months": selectors.forecast_months(forecast=forecast),
                "previous": previous,
                "diff": diff,
                "versions": selectors.forecast_list(user=request.user, supplier_id=forecast.supplier_id),
                "reach": selectors.forecast_reach(forecast=forecast),
                "can_publish": request.user.can(services.PUBLISH),
            },
        )


def short_horizon_message(reach: dict) -> str:
    """Return the warning shown when a published version reaches fewer months than factories plan on."""
    return _(
        "This forecast reaches %(n)s month(s) ahead; factories plan capacity on %(min)s to 12. "
        "Add the later months when you know them, even as indicative."
    ) % {"n": reach["months"], "min": reach["minimum"]}
