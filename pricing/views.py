"""Staff pages of pricing: agreements and their history, price-change requests to answer, cost breakdowns."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow
from suppliers.models import Supplier

from . import selectors, services
from .forms import (
    AgreementForm,
    AssessmentForm,
    BreakdownRequestForm,
    CostEstimateForm,
    CounterForm,
    NewVersionForm,
    RefuseForm,
)
from .models import CostBreakdownRequest, PriceChangeRequest
from .services.agreements import EDIT


def _suppliers(user):
    return Supplier.objects.visible_to(user).only("pk", "name").order_by("name")


class AgreementListView(StaffRequiredMixin, View):
    """Every supplier's agreed prices per SKU; the current version by default, the history on request."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "sku", "history")}
        rows = selectors.agreement_list(
            user=request.user, filters=filters, current_only=not filters["history"]
        )
        page, query = paginate(request, rows)
        return render(
            request,
            "pricing/agreement_list.html",
            {"page": page, "query": query, "filters": filters, "suppliers": _suppliers(request.user)},
        )


class AgreementCreateView(StaffRequiredMixin, View):
    """Agree a price for a supplier's SKU over a period."""

    capability = EDIT

    def get(self, request):
        return self.render(
            AgreementForm(initial={"supplier": request.GET.get("supplier")}, user=request.user)
        )

    def post(self, request):
        form = AgreementForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.price_agreement_create(by=request.user, **data),
            _("Price agreement recorded."),
        )
        if done:
            return redirect(done.result.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "pricing/agreement_form.html", {"form": form}, status=status)


class AgreementDetailView(StaffRequiredMixin, View):
    """One agreement: its versions (who made each, why), and a new version from a date."""

    def get(self, request, pk):
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        return self.render(agreement, NewVersionForm(initial={"unit_price": agreement.unit_price}))

    def post(self, request, pk):
        require_staff(request, EDIT)
        agreement = selectors.agreement_get(user=request.user, pk=pk)
        form = NewVersionForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.price_agreement_new_version(agreement=agreement, by=request.user, **data),
            _("New version recorded; the one before ends the day before it."),
        )
        if done:
            return redirect(done.result.get_absolute_url())
        return self.render(agreement, form, status=400)

    def render(self, agreement, form, status=200):
        return render(
            self.request,
            "pricing/agreement_detail.html",
            {
                "agreement": agreement,
                "history": selectors.agreement_history(agreement=agreement),
                "form": form,
                "breakdowns": selectors.breakdown_list(
                    user=self.request.user, filters={"supplier": agreement.supplier_id, "sku": agreement.sku}
                )[:20],
            },
            status=status,
        )


class PriceChangeListView(StaffRequiredMixin, View):
    """The factories' price-change requests, open ones first by default."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status")}
        rows = waiting_narrow(request, selectors.price_change_list(user=request.user, filters=filters))
        page, query = paginate(request, rows)
        return render(
            request,
            "pricing/change_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "statuses": PriceChangeRequest.Status.choices,
                "suppliers": _suppliers(request.user),
            },
        )


class PriceChangeDetailView(StaffRequiredMixin, View):
    """One request with its evidence: accept it, counter with other prices or date, or refuse it with why."""

    def get(self, request, pk):
        change = selectors.price_change_get(user=request.user, pk=pk)
        return self.render(change, CounterForm(change=change), RefuseForm())

    def post(self, request, pk):
        require_staff(request, EDIT)
        change = selectors.price_change_get(user=request.user, pk=pk)
        action = request.POST.get("action")
        counter, refuse = CounterForm(change=change), RefuseForm()
        if action == "accept":
            run_service(
                request,
                lambda: services.price_change_accept(change=change, by=request.user),
                _("Accepted: the new prices are agreement versions from their effective date."),
            )
            return redirect(change.get_absolute_url())
        if action == "counter":
            counter = CounterForm(request.POST, change=change)
            if submit(
                request,
                counter,
                lambda data: services.price_change_counter(
                    change=change, by=request.user, **counter.service_data()
                ),
                _("Your counter was sent to the factory."),
            ):
                return redirect(change.get_absolute_url())
        elif action == "refuse":
            refuse = RefuseForm(request.POST)
            if submit(
                request,
                refuse,
                lambda data: services.price_change_refuse(
                    change=change, by=request.user, reason=data["reason"]
                ),
                _("Refused; the factory is told why."),
            ):
                return redirect(change.get_absolute_url())
        else:
            messages.error(request, _("Choose accept, counter or refuse."))
        return self.render(change, counter, refuse, status=400)

    def render(self, change, counter, refuse, status=200):
        return render(
            self.request,
            "pricing/change_detail.html",
            {"change": change, "counter_form": counter, "refuse_form": refuse},
            status=status,
        )


class BreakdownListView(StaffRequiredMixin, View):
    """Open-book requests and the factories' cost breakdowns (seen by staff only, never by another supplier)."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status", "kind")}
        page, query = paginate(request, selectors.breakdown_list(user=request.user, filters=filters))
        return render(
            request,
            "pricing/breakdown_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "statuses": CostBreakdownRequest.Status.choices,
                "suppliers": _suppliers(request.user),
            },
        )


class BreakdownCreateView(StaffRequiredMixin, View):
    """Ask a supplier for the cost breakdown of a SKU."""

    capability = EDIT

    def get(self, request):
        initial = {key: request.GET.get(key) for key in ("supplier", "sku") if request.GET.get(key)}
        return self.render(BreakdownRequestForm(initial=initial, user=request.user))

    def post(self, request):
        form = BreakdownRequestForm(request.POST, user=request.user)
        if submit(
            request,
            form,
            lambda data: services.cost_breakdown_request(by=request.user, **data),
            _("Request sent to the factory."),
        ):
            return redirect("pricing:breakdown_list")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "pricing/breakdown_form.html", {"form": form}, status=status)


class BreakdownEstimateView(StaffRequiredMixin, View):
    """Record the buyer's own should-cost estimate of a SKU (internal: the factory never sees it)."""

    capability = EDIT

    def get(self, request):
        initial = {
            key: request.GET.get(key) for key in ("supplier", "sku", "currency") if request.GET.get(key)
        }
        return self.render(CostEstimateForm(initial=initial, user=request.user))

    def post(self, request):
        form = CostEstimateForm(request.POST, user=request.user)
        done = submit(
            request,
            form,
            lambda data: services.cost_estimate_record(by=request.user, **form.data_for_service()),
            _("Internal estimate recorded."),
        )
        if done:
            return redirect(done.result.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "pricing/estimate_form.html", {"form": form}, status=status)


class BreakdownDetailView(StaffRequiredMixin, View):
    """One cost breakdown beside the other side's (the factory's answer and the buyer's internal estimate), with
    the buyer's assessment."""

    def get(self, request, pk):
        return self.render(selectors.breakdown_get(user=request.user, pk=pk), AssessmentForm())

    def post(self, request, pk):
        require_staff(request, EDIT)
        breakdown = selectors.breakdown_get(user=request.user, pk=pk)
        form = AssessmentForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.cost_breakdown_assess(breakdown=breakdown, by=request.user, **data),
            _("Assessment saved."),
        ):
            return redirect(breakdown.get_absolute_url())
        return self.render(breakdown, form, status=400)

    def render(self, breakdown, form, status=200):
        context = {
            "breakdown": breakdown,
            "form": form,
            **selectors.breakdown_comparison(user=self.request.user, breakdown=breakdown),
        }
        return render(self.request, "pricing/breakdown_detail.html", context, status=status)
