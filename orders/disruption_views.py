"""Staff pages for disruptions: declare one, see the deliveries it hit, and excuse them from on-time delivery."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, run_service, submit

from . import selectors, services
from .forms import DisruptionForm, ExcuseForm, WithdrawExcuseForm
from .models import Disruption


class DisruptionListView(StaffRequiredMixin, View):
    """The disruptions declared, newest first, each with the suppliers it hit."""

    def get(self, request):
        page, query = paginate(request, selectors.disruption_list(), per_page=25)
        return render(
            request,
            "orders/disruption_list.html",
            {"page": page, "query": query, "can_declare": request.user.can("disruption.declare")},
        )


class DisruptionCreateView(StaffRequiredMixin, View):
    """Declare a disruption (a manager's call): a typhoon, a port closure, a power cut in a region."""

    capability = "disruption.declare"

    def get(self, request, form=None, status=200):
        return render(
            request,
            "orders/disruption_form.html",
            {"form": form or DisruptionForm(user=request.user)},
            status=status,
        )

    def post(self, request):
        form = DisruptionForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.disruption_declare(by=request.user, **data),
            _("Disruption declared. Excuse the deliveries it hit from its page."),
        )
        if done:
            return redirect(done.result)
        return self.get(request, form=form, status=400)


class DisruptionDetailView(StaffRequiredMixin, View):
    """A disruption and the deliveries it may excuse, with the excuse form for managers."""

    def get(self, request, pk):
        disruption = get_object_or_404(Disruption.objects.select_related("declared_by"), pk=pk)
        return render(
            request,
            "orders/disruption_detail.html",
            {
                "disruption": disruption,
                "suppliers": disruption.suppliers.order_by("name"),
                "deliveries": services.disruption_deliveries(disruption),
                "can_excuse": request.user.can("delivery.excuse"),
            },
        )


@require_POST
def delivery_excuse(request, pk):
    """Excuse a delivery from on-time delivery, for a disruption or for our own change to the order."""
    require_staff(request, "delivery.excuse")
    delivery = get_object_or_404(selectors.delivery_visible(user=request.user), pk=pk)
    form = ExcuseForm(request.POST, delivery=delivery)
    if form.is_valid():
        run_service(
            request,
            lambda: services.delivery_excuse(delivery=delivery, by=request.user, **form.cleaned_data),
            _("Delivery %(delivery)s is excused: it no longer counts against on-time delivery.")
            % {"delivery": delivery},
        )
    else:
        messages.error(request, _("Say why the delivery is excused."))
    return redirect(_disruption_url(request) or delivery.get_absolute_url())


@require_POST
def delivery_excuse_withdraw(request, pk):
    """Withdraw an excuse: the delivery counts for on-time delivery again."""
    require_staff(request, "delivery.excuse")
    delivery = get_object_or_404(selectors.delivery_visible(user=request.user), pk=pk)
    form = WithdrawExcuseForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.delivery_excuse_withdraw(
                delivery=delivery, by=request.user, reason=form.cleaned_data["reason"]
            ),
            _("The excuse is withdrawn; the delivery counts for on-time delivery again."),
        )
    else:
        messages.error(request, _("Say why the excuse is withdrawn."))
    return redirect(delivery.get_absolute_url())


def _disruption_url(request) -> str:
    """Return the disruption page to go back to (only a disruption that exists; never a URL from the form)."""
    disruption = Disruption.objects.filter(pk=request.POST.get("next_disruption") or 0).first()
    return disruption.get_absolute_url() if disruption else ""
