"""Staff pages of inspection severity: the streams not on normal first, one stream's switches, a switch by hand."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, submit
from suppliers.models import Supplier

from .. import services
from ..forms import SeveritySwitchForm
from ..models import Severity
from ..severity_selectors import severity_get, severity_list, severity_switching_score
from ..switching import SCORE_TO_REDUCE


class SeverityListView(StaffRequiredMixin, View):
    """Every supplier's SKU with its inspection severity, tightened and discontinued first."""

    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "severity")}
        page, query = paginate(request, severity_list(user=request.user, filters=filters))
        return render(
            request,
            "audits/severity_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "severities": Severity.choices,
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


class SeverityDetailView(StaffRequiredMixin, View):
    """One stream's severity, why and since when, its switches, and the hand switch (quality staff)."""

    def get(self, request, pk, form=None, status=200):
        state = severity_get(user=request.user, pk=pk)
        form = form or SeveritySwitchForm(state=state)
        context = {"state": state, "form": form, "needed": SCORE_TO_REDUCE}
        if state.severity == Severity.NORMAL:
            context["score"] = severity_switching_score(state)
        return render(request, "audits/severity_detail.html", context, status=status)


@require_POST
def severity_switch(request, pk):
    """Switch a stream's severity by hand (quality staff); the reason is required, a refusal changes nothing."""
    require_staff(request, "inspection.edit")
    state = severity_get(user=request.user, pk=pk)
    form = SeveritySwitchForm(request.POST, state=state)
    done = submit(
        request,
        form,
        lambda data: services.severity_switch(
            supplier=state.supplier,
            by=request.user,
            sku=state.sku,
            category=state.category,
            severity=data["severity"],
            reason=data["reason"],
        ),
        _("Inspection severity switched."),
    )
    if done:
        return redirect("audits:severity_detail", pk=state.pk)
    return SeverityDetailView().get(request, pk, form=form, status=400)
