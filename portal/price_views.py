"""Portal pages of pricing: the factory's agreed prices, its justified price changes (ask, answer a counter),
and the cost breakdowns the buyer asked for (seen by the buyer's staff and the factory only)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from core.waiting import waiting_narrow
from pricing import selectors, services
from pricing.forms import BreakdownAnswerForm, CounterAnswerForm, PriceChangeRequestForm
from pricing.models import CostBreakdownRequest, PriceChangeRequest


class PortalPriceListView(PortalRequiredMixin, View):
    """The prices agreed with the buyer today, the factory's price-change requests, and cost breakdowns asked."""

    def get(self, request):
        return render(
            request,
            "portal/prices.html",
            {
                "agreements": selectors.agreement_list(user=request.user, current_only=True)[:200],
                "changes": waiting_narrow(request, selectors.price_change_list(user=request.user))[:50],
                "breakdowns": selectors.breakdown_list(user=request.user)[:50],
            },
        )


def _current_agreements(user):
    """Return the factory's current agreement versions (the ones a price change starts from)."""
    return list(selectors.agreement_list(user=user, current_only=True)[:200])


class PortalPriceChangeRequestView(PortalRequiredMixin, View):
    """Ask for a new price on one or more agreed SKUs, with a reason, a cost breakdown and documents."""

    def get(self, request):
        form = PriceChangeRequestForm(agreements=_current_agreements(request.user))
        return self.render(form)

    def post(self, request):
        form = PriceChangeRequestForm(
            request.POST, request.FILES, agreements=_current_agreements(request.user)
        )
        done = submit(
            request,
            form,
            lambda data: services.price_change_request(by=request.user, **form.service_data()),
            _("Your request was sent to the buyer. The agreed prices stay until the buyer accepts."),
        )
        if done:
            return redirect("portal:price_change_detail", pk=done.result.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "portal/price_change_request.html", {"form": form}, status=status)


class PortalPriceChangeDetailView(PortalRequiredMixin, View):
    """One of the factory's price-change requests; a counter from the buyer is accepted or declined here."""

    def get(self, request, pk):
        change = selectors.price_change_get(user=request.user, pk=pk)  # 404 for another supplier's
        return self.render(change, CounterAnswerForm())

    def post(self, request, pk):
        change = selectors.price_change_get(user=request.user, pk=pk)
        form = CounterAnswerForm(request.POST)
        accept = request.POST.get("action") == "accept"
        if submit(
            request,
            form,
            lambda data: services.price_change_counter_answer(
                change=change, by=request.user, accept=accept, note=data["note"]
            ),
            _("Thank you: the countered prices apply from their date.")
            if accept
            else _("Your answer was sent to the buyer; the agreed prices stay."),
        ):
            return redirect("portal:price_change_detail", pk=change.pk)
        return self.render(change, form, status=400)

    def render(self, change, form, status=200):
        answerable = change.status == PriceChangeRequest.Status.COUNTERED
        return render(
            self.request,
            "portal/price_change_detail.html",
            {"change": change, "form": form, "answerable": answerable},
            status=status,
        )


class PortalCostBreakdownAnswerView(PortalRequiredMixin, View):
    """Answer the buyer's open-book request with the cost of one unit."""

    def get(self, request, pk):
        breakdown = selectors.breakdown_get(user=request.user, pk=pk)
        return self.render(breakdown, BreakdownAnswerForm())

    def post(self, request, pk):
        breakdown = selectors.breakdown_get(user=request.user, pk=pk)
        form = BreakdownAnswerForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.cost_breakdown_answer(
                breakdown=breakdown, by=request.user, note=data["note"], **form.breakdown()
            ),
            _("Thank you: the buyer's staff see your cost breakdown."),
        ):
            return redirect("portal:prices")
        return self.render(breakdown, form, status=400)

    def render(self, breakdown, form, status=200):
        answerable = breakdown.status == CostBreakdownRequest.Status.REQUESTED
        return render(
            self.request,
            "portal/cost_breakdown_answer.html",
            {"breakdown": breakdown, "form": form, "answerable": answerable},
            status=status,
        )
