"""Portal pages for changes of a sent order: the factory answers the buyer's proposed changes (accept, or counter
with its own value and a reason), declines an order, or confirms it with its own quantities and dates per line."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import run_service, submit
from orders import selectors, services
from orders.forms import ConfirmWithChangesForm, CounterForm, DeclineOrderForm
from orders.models import OrderChange, PurchaseOrder


class PortalChangeAnswerView(PortalRequiredMixin, View):
    """One change the buyer proposed: accept it, or counter with what the factory can do and why."""

    def get_change(self, pk, change_pk):
        order = selectors.order_get(user=self.request.user, pk=pk)  # 404 for another supplier's order
        change = get_object_or_404(
            OrderChange.objects.select_related("line", "changed_by", "answered_by"), pk=change_pk, order=order
        )
        return order, change

    def get(self, request, pk, change_pk):
        order, change = self.get_change(pk, change_pk)
        return self.render(order, change, CounterForm(change=change))

    def post(self, request, pk, change_pk):
        order, change = self.get_change(pk, change_pk)
        if request.POST.get("action") == "accept":
            run_service(
                request,
                lambda: services.order_change_accept(change=change, by=request.user),
                _("Thank you: the change is accepted and applies to the order now."),
            )
            return redirect("portal:order_detail", pk=order.pk)
        form = CounterForm(request.POST, change=change)
        if submit(
            request,
            form,
            lambda data: services.order_change_counter(change=change, by=request.user, **data),
            _("Your counter was sent to the buyer. The order stays as it is until the buyer answers."),
        ):
            return redirect("portal:order_detail", pk=order.pk)
        return self.render(order, change, form, status=400)

    def render(self, order, change, form, status=200):
        answerable = change.side == OrderChange.Side.BUYER and change.status == OrderChange.Status.PROPOSED
        return render(
            self.request,
            "portal/order_change_answer.html",
            {"order": order, "change": change, "form": form, "answerable": answerable},
            status=status,
        )


class PortalOrderDeclineView(PortalRequiredMixin, View):
    """Decline a sent order, with why."""

    def get(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        return self.render(order, DeclineOrderForm())

    def post(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        form = DeclineOrderForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.order_decline(order=order, by=request.user, reason=data["reason"]),
            _("The order is declined; the buyer is told why."),
        ):
            return redirect("portal:order_detail", pk=order.pk)
        return self.render(order, form, status=400)

    def render(self, order, form, status=200):
        return render(
            self.request,
            "portal/order_decline.html",
            {"order": order, "form": form, "answerable": order.status == PurchaseOrder.Status.SENT},
            status=status,
        )


class PortalOrderConfirmChangesView(PortalRequiredMixin, View):
    """Confirm a sent order with the factory's own quantity or date for some lines; the buyer accepts or rejects."""

    def get(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        return self.render(order, ConfirmWithChangesForm(lines=order.lines.all()))

    def post(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        form = ConfirmWithChangesForm(request.POST, lines=order.lines.all())
        if submit(
            request,
            form,
            lambda data: services.order_confirm_with_changes(
                order=order, by=request.user, lines=form.service_lines(), reason=data["reason"]
            ),
            _("The order is confirmed; your changes wait for the buyer's answer."),
        ):
            return redirect("portal:order_detail", pk=order.pk)
        return self.render(order, form, status=400)

    def render(self, order, form, status=200):
        return render(
            self.request,
            "portal/order_confirm_changes.html",
            {"order": order, "form": form, "answerable": order.status == PurchaseOrder.Status.SENT},
            status=status,
        )
