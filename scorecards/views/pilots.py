"""Pilot programmes: the list, starting one, its evaluation against the success criteria and the decision."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.views import submit
from core.waiting import waiting_narrow
from orders import selectors as order_selectors
from orders import services as order_services
from orders.forms import PilotDecisionForm, PilotForm
from orders.models import PilotProgram
from suppliers import selectors as supplier_selectors

from .. import selectors


class PilotListView(StaffRequiredMixin, View):
    def get(self, request):
        return render(
            request,
            "scorecards/pilot_list.html",
            {"pilots": waiting_narrow(request, order_selectors.pilot_list(user=request.user))},
        )


class PilotCreateView(StaffRequiredMixin, View):
    """Start a pilot programme for a supplier in the pilot stage."""

    capability = "order.edit"

    def get(self, request, supplier_pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        today = timezone.localdate()  # a form's proposed dates are the user's own
        form = PilotForm(
            initial={
                "name": f"{supplier.name} pilot",
                "starts_on": today,
                "ends_on": today + timezone.timedelta(days=120),
            }
        )
        return render(request, "scorecards/pilot_form.html", {"form": form, "supplier": supplier})

    def post(self, request, supplier_pk):
        supplier = supplier_selectors.supplier_get(user=request.user, pk=supplier_pk)
        form = PilotForm(request.POST)
        if done := submit(
            request,
            form,
            lambda data: order_services.pilot_create(supplier=supplier, by=request.user, **data),
            _("Pilot programme started. Place trial orders against it."),
        ):
            return redirect(done.result)
        return render(request, "scorecards/pilot_form.html", {"form": form, "supplier": supplier}, status=400)


class PilotDetailView(StaffRequiredMixin, View):
    """A pilot's success criteria against its results, a recommendation, and the decision."""

    def get(self, request, pk, form=None, status=200):
        pilot = get_object_or_404(
            PilotProgram.objects.visible_to(request.user).select_related("supplier", "decided_by"), pk=pk
        )
        evaluation = selectors.pilot_evaluation(pilot=pilot, today=business_today())
        return render(
            request,
            "scorecards/pilot_detail.html",
            {
                "pilot": pilot,
                "evaluation": evaluation,
                "orders": pilot.orders.order_by("ordered_on"),
                "form": form
                or PilotDecisionForm(
                    initial={
                        "decision": {"approve": "passed", "reject": "rejected"}.get(
                            evaluation.recommendation, "extended"
                        )
                    }
                ),
            },
            status=status,
        )

    def post(self, request, pk):
        pilot = get_object_or_404(PilotProgram.objects.visible_to(request.user), pk=pk)
        form = PilotDecisionForm(request.POST)
        decide = lambda data: order_services.pilot_decide(pilot=pilot, by=request.user, **data)  # noqa: E731
        try:
            if submit(request, form, decide, _("Decision recorded.")):
                return redirect(pilot)
        except PermissionDenied as exc:  # only a manager decides: said on the form
            form.add_error(None, str(exc))
        return self.get(request, pk, form=form, status=400)
