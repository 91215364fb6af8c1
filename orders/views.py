"""Staff pages for orders and deliveries."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.views import paginate, require_staff, run_service, submit
from suppliers.models import Supplier

from . import selectors, services
from .forms import (
    DecideProposalForm,
    LineChangeForm,
    OrderForm,
    OrderLineForm,
    OrderLineFormSet,
    ReasonForm,
    ReceiveForm,
)
from .models import DateProposal, Delivery, OrderLine, PurchaseOrder


class OrderListView(StaffRequiredMixin, View):
    """Orders, filtered by supplier, status, trial flag or number/SKU."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status", "pilot", "q")}
        page, query = paginate(request, selectors.order_list(user=request.user, filters=filters))
        return render(
            request,
            "orders/order_list.html",
            {
                "page": page,
                "filters": filters,
                "query": query,
                "statuses": PurchaseOrder.Status.choices,
                "suppliers": Supplier.objects.visible_to(request.user).only("pk", "name").order_by("name"),
                "proposals": selectors.deliveries_awaiting_decision(user=request.user)[:20],
            },
        )


class OrderCreateView(StaffRequiredMixin, View):
    """Create a draft order with its lines."""

    capability = "order.edit"

    def get(self, request):
        initial = {"ordered_on": timezone.localdate(), "supplier": request.GET.get("supplier")}
        return self.render(OrderForm(initial=initial), OrderLineFormSet())

    def post(self, request):
        form = OrderForm(request.POST)
        formset = OrderLineFormSet(request.POST)

        def create(data):
            line_fields = OrderLineForm._meta.fields
            lines = [
                {name: f.cleaned_data[name] for name in line_fields}
                for f in formset.forms
                if f.cleaned_data and f.has_changed()
            ]
            return services.order_create(by=request.user, lines=lines, **data)

        if done := submit(request, form, create, also=(formset,)):
            messages.success(
                request, _("Order %(number)s created as a draft.") % {"number": done.result.number}
            )
            return redirect(done.result)
        return self.render(form, formset, status=400)

    def render(self, form, formset, status=200):
        return render(
            self.request, "orders/order_form.html", {"form": form, "formset": formset}, status=status
        )


class OrderDetailView(StaffRequiredMixin, View):
    """An order: lines, deliveries with proposals and receipts, changes, inspections."""

    def get(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        today = business_today()  # late as the on-time KPI counts it
        deliveries = selectors.order_deliveries(order=order)
        for delivery in deliveries:
            delivery.late = delivery.is_late(today)
        return render(
            request,
            "orders/order_detail.html",
            {
                "order": order,
                "lines": order.lines.all(),
                "deliveries": deliveries,
                "today": today,
                "changes": selectors.order_changes(order=order),
                "totals": selectors.order_totals(order=order),
                "inspections": order.inspections.select_related("inspector").all(),
                "receive_form": ReceiveForm(initial={"received_on": today}),
                "reason_form": ReasonForm(),
            },
        )


@require_POST
def order_send(request, pk):
    """Send a draft order to the supplier."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    run_service(
        request, lambda: services.order_send(order=order, by=request.user), _("Order sent to the supplier.")
    )
    return redirect(order)


@require_POST
def order_cancel(request, pk):
    """Cancel an order with a reason."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.order_cancel(order=order, by=request.user, reason=form.cleaned_data["reason"]),
            _("Order cancelled."),
        )
    else:
        messages.error(request, _("Say why the order is cancelled."))
    return redirect(order)


@require_POST
def order_close(request, pk):
    """Close a received order."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    run_service(request, lambda: services.order_close(order=order, by=request.user), _("Order closed."))
    return redirect(order)


class LineChangeView(StaffRequiredMixin, View):
    """Change a line's quantity or required date (recorded once the order was sent)."""

    capability = "order.edit"

    def get_line(self, pk, line_pk):
        order = selectors.order_get(user=self.request.user, pk=pk)
        return order, get_object_or_404(OrderLine, pk=line_pk, order=order)

    def get(self, request, pk, line_pk):
        order, line = self.get_line(pk, line_pk)
        form = LineChangeForm(initial={"quantity": line.quantity, "required_on": line.required_on})
        return render(request, "orders/line_change.html", {"order": order, "line": line, "form": form})

    def post(self, request, pk, line_pk):
        order, line = self.get_line(pk, line_pk)
        form = LineChangeForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.order_line_change(line=line, by=request.user, **data),
            _("Line changed."),
        ):
            return redirect(order)
        return render(
            request, "orders/line_change.html", {"order": order, "line": line, "form": form}, status=400
        )


@require_POST
def delivery_receive(request, pk, delivery_pk):
    """Record the arrival of a delivery."""
    require_staff(request, "delivery.receive")
    order = selectors.order_get(user=request.user, pk=pk)
    delivery = get_object_or_404(Delivery, pk=delivery_pk, order=order)
    form = ReceiveForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.delivery_receive(delivery=delivery, by=request.user, **form.cleaned_data),
            _("Receipt recorded."),
        )
    else:
        messages.error(request, _("Enter the date and the quantity received."))
    return redirect(order)


@require_POST
def proposal_decide(request, pk, proposal_pk):
    """Accept or reject a date the supplier proposed."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    proposal = get_object_or_404(DateProposal, pk=proposal_pk, delivery__order=order)
    form = DecideProposalForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        run_service(
            request,
            lambda: services.delivery_decide_proposal(
                proposal=proposal, by=request.user, accept=accept, note=form.cleaned_data["note"]
            ),
            _("The new date is accepted.")
            if accept
            else _("The proposed date is rejected; the promised date stays."),
        )
    return redirect(order)
