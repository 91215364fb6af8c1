"""Staff pages for orders and deliveries."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow
from suppliers.selectors import supplier_filter_label

from . import selectors, selectors_production, services
from .exports import DELIVERY_COLUMNS, ORDER_COLUMNS
from .forms import (
    ChangeAnswerForm,
    DecideProposalForm,
    FactoryChangesAnswerForm,
    LineChangeForm,
    OrderChargeForm,
    OrderForm,
    OrderLineFormSet,
    ReasonForm,
    ReceiveForm,
    RenumberForm,
)
from .models import DateProposal, Delivery, OrderChange, OrderCharge, OrderLine, PurchaseOrder
from .pdf import order_pdf_response


class OrderListView(StaffRequiredMixin, View):
    """Orders, filtered by supplier, status, trial flag or number/SKU."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status", "pilot", "q")}
        orders = waiting_narrow(request, selectors.order_list(user=request.user, filters=filters))
        if export := export_response(request, rows=orders, columns=ORDER_COLUMNS, name="orders"):
            return export
        page, query = paginate(request, orders)
        return render(
            request,
            "orders/order_list.html",
            {
                "page": page,
                "filters": filters,
                "query": query,
                "columns": ORDER_COLUMNS,
                "statuses": PurchaseOrder.Status.choices,
                "supplier_label": supplier_filter_label(user=request.user, value=filters["supplier"]),
                "proposals": selectors.deliveries_awaiting_decision(user=request.user)[:20],
            },
        )


class DeliveryListView(StaffRequiredMixin, View):
    """Deliveries of every order, soonest promised first, filtered by supplier, status, PO number or due dates."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status", "q", "due_from", "due_to")}
        deliveries = selectors.delivery_list(user=request.user, filters=filters)
        if export := export_response(request, rows=deliveries, columns=DELIVERY_COLUMNS, name="deliveries"):
            return export
        page, query = paginate(request, deliveries, per_page=50)
        return render(
            request,
            "orders/delivery_list.html",
            {
                "page": page,
                "filters": filters,
                "query": query,
                "columns": DELIVERY_COLUMNS,
                "statuses": Delivery.Status.choices,
                "supplier_label": supplier_filter_label(user=request.user, value=filters["supplier"]),
            },
        )


class OrderCreateView(StaffRequiredMixin, View):
    """Create a draft order with any number of lines (added and removed in the page by static/js/order-form.js)."""

    capability = "order.edit"

    def get(self, request):
        initial = {"ordered_on": timezone.localdate(), "supplier": request.GET.get("supplier")}
        return self.render(OrderForm(initial=initial), OrderLineFormSet(), supplier_id=initial["supplier"])

    def post(self, request):
        formset = OrderLineFormSet(request.POST)
        form = OrderForm(request.POST, lines=formset)

        def create(data):
            return services.order_create(by=request.user, lines=formset.filled_lines(), **data)

        if done := submit(request, form, create, also=(formset,)):
            messages.success(
                request, _("Order %(number)s created as a draft.") % {"number": done.result.number}
            )
            return redirect(done.result)
        return self.render(form, formset, supplier_id=request.POST.get("supplier"), status=400)

    def render(self, form, formset, *, supplier_id=None, status=200):
        hints = selectors.supplier_order_hints(
            user=self.request.user, supplier_id=supplier_id, today=timezone.localdate()
        )
        return render(
            self.request,
            "orders/order_form.html",
            {"form": form, "formset": formset, "hints": hints},
            status=status,
        )


def supplier_hints(request):
    """The order form's hints for the chosen supplier (HTMX): SKUs ordered before and the lead time."""
    require_staff(request, "order.edit")
    hints = selectors.supplier_order_hints(
        user=request.user, supplier_id=request.GET.get("supplier"), today=timezone.localdate()
    )
    return render(request, "orders/_supplier_hints.html", {"hints": hints})


class OrderDetailView(StaffRequiredMixin, View):
    """An order: lines, agreed charges, deliveries with proposals and receipts, changes, inspections."""

    def get(self, request, pk, charge_form=None, status=200):
        order = selectors.order_get(user=request.user, pk=pk)
        today = business_today()  # late as the on-time KPI counts it
        deliveries = selectors.order_deliveries(order=order)
        for delivery in deliveries:
            delivery.late = delivery.is_late(today)
            delivery.receivable = delivery.is_receivable(today)
        changes = list(selectors.order_changes(order=order))
        return render(
            request,
            "orders/order_detail.html",
            {
                "order": order,
                "lines": order.lines.all(),
                "deliveries": deliveries,
                "today": today,
                "changes": changes,
                "waiting_factory_changes": sum(
                    1
                    for c in changes
                    if c.side == OrderChange.Side.FACTORY and c.status == OrderChange.Status.PROPOSED
                ),
                "totals": selectors.order_totals(order=order),
                "inspections": order.inspections.select_related("inspector").all(),
                "production": selectors_production.order_production(order=order, today=today),
                "reason_form": ReasonForm(),
                "renumber_form": RenumberForm(initial={"number": order.number}),
                "agreed_charges": order.charges.all(),
                "charge_form": charge_form or OrderChargeForm(),
                "short_notice_warning": services.order_short_notice_warning(order=order)
                if order.status == PurchaseOrder.Status.DRAFT
                else None,
            },
            status=status,
        )


@require_POST
def order_charge_set(request, pk):
    """Agree (or change) an extra charge of one kind on an order, up to an amount; refused, the page shows why."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    form = OrderChargeForm(request.POST)
    action = lambda data: services.order_charge_set(order=order, by=request.user, **data)  # noqa: E731
    if submit(request, form, action, _("Charge agreed on the order.")):
        return redirect(order.get_absolute_url() + "#charges")
    page = OrderDetailView()
    page.setup(request, pk=pk)
    return page.get(request, pk, charge_form=form, status=400)


@require_POST
def order_charge_remove(request, pk, charge_pk):
    """Withdraw an agreed charge from an order."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    charge = get_object_or_404(OrderCharge, pk=charge_pk, order=order)
    run_service(
        request,
        lambda: services.order_charge_remove(charge=charge, by=request.user),
        _("The charge is no longer agreed on the order."),
    )
    return redirect(order.get_absolute_url() + "#charges")


@require_POST
def order_send(request, pk):
    """Send a draft order to the supplier (a large order at short notice once the buyer ticked the warning)."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    acknowledged = request.POST.get("acknowledge_short_notice") == "1"
    run_service(
        request,
        lambda: services.order_send(order=order, by=request.user, acknowledge_short_notice=acknowledged),
        _("Order sent to the supplier."),
    )
    return redirect(order)


@require_POST
def order_cancel(request, pk):
    """Cancel an order with a reason."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        success = (
            _("Order cancelled.")
            if order.status == PurchaseOrder.Status.DRAFT
            else _("Cancellation proposed to the factory: the order stands until the factory accepts it.")
        )
        run_service(
            request,
            lambda: services.order_cancel(order=order, by=request.user, reason=form.cleaned_data["reason"]),
            success,
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
        form = LineChangeForm(
            initial={"quantity": line.quantity, "required_on": line.required_on}, supplier=order.supplier
        )
        return render(request, "orders/line_change.html", {"order": order, "line": line, "form": form})

    def post(self, request, pk, line_pk):
        order, line = self.get_line(pk, line_pk)
        form = LineChangeForm(request.POST, supplier=order.supplier)
        if submit(
            request,
            form,
            lambda data: services.order_line_change(line=line, by=request.user, **data),
            _("Line changed.")
            if order.status == PurchaseOrder.Status.DRAFT
            else _("Change proposed to the factory: the line stays as it is until the factory accepts it."),
        ):
            return redirect(order)
        return render(
            request, "orders/line_change.html", {"order": order, "line": line, "form": form}, status=400
        )


@require_POST
def order_renumber(request, pk):
    """Give a draft order another PO number."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    form = RenumberForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.order_renumber(order=order, by=request.user, number=form.cleaned_data["number"]),
            _("PO number changed."),
        )
    else:
        messages.error(request, _("Enter a PO number."))
    return redirect(order)


def order_pdf(request, pk):
    """The purchase order as a PDF, as the factory receives it."""
    require_staff(request)
    order = selectors.order_get(user=request.user, pk=pk)
    return order_pdf_response(order)


class DeliveryReceiveView(StaffRequiredMixin, View):
    """Receive a delivery that shipped or is due: quantities per line with what was rejected, then a confirmation."""

    capability = "delivery.receive"

    def setup_delivery(self, pk, delivery_pk):
        self.order = selectors.order_get(user=self.request.user, pk=pk)
        self.delivery = get_object_or_404(Delivery, pk=delivery_pk, order=self.order)
        self.receivable = self.order.status not in (
            PurchaseOrder.Status.DRAFT,
            PurchaseOrder.Status.CANCELLED,
            PurchaseOrder.Status.DECLINED,
        ) and self.delivery.is_receivable(business_today())  # as the order page offers "Receive"
        self.lines = selectors.delivery_lines(delivery=self.delivery)

    def form(self, data=None):
        return ReceiveForm(
            data,
            lines=self.lines,
            expected=self.delivery.expected_quantity,
            initial={"received_on": timezone.localdate()},
        )

    def get(self, request, pk, delivery_pk):
        self.setup_delivery(pk, delivery_pk)
        return self.render(self.form())

    def post(self, request, pk, delivery_pk):
        self.setup_delivery(pk, delivery_pk)
        if not self.receivable:
            messages.error(request, _("Only a delivery that shipped or is due can be received."))
            return redirect(self.order)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        if request.POST.get("confirmed") != "1":
            return self.render(form, confirming=True)
        if submit(
            request,
            form,
            lambda data: services.delivery_receive(
                delivery=self.delivery, by=request.user, **form.service_kwargs()
            ),
            _("Receipt recorded."),
        ):
            return redirect(self.order)
        return self.render(form, status=400)

    def render(self, form, *, confirming=False, status=200):
        summary = []
        if confirming:
            kwargs = form.service_kwargs()
            summary = kwargs.get("lines") or [
                {
                    "line": None,
                    "quantity_received": kwargs["quantity_received"],
                    "quantity_rejected": kwargs["quantity_rejected"],
                }
            ]
        return render(
            self.request,
            "orders/delivery_receive.html",
            {
                "order": self.order,
                "delivery": self.delivery,
                "receivable": self.receivable,
                "form": form,
                "confirming": confirming,
                "summary": summary,
            },
            status=status,
        )


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


# What each answer to a change does, and what it says when done.
_CHANGE_ANSWERS = {
    "withdraw": (
        lambda change, by, note: services.order_change_withdraw(change=change, by=by, note=note),
        _("Change withdrawn; the order stays as it is."),
    ),
    "accept_counter": (
        lambda change, by, note: services.order_change_accept_counter(change=change, by=by, note=note),
        _("The factory's counter is accepted."),
    ),
    "agree": (
        lambda change, by, note: services.order_change_record_agreement(change=change, by=by, note=note),
        _("Recorded as agreed; the change applies."),
    ),
    "accept": (
        lambda change, by, note: services.order_factory_change_decide(
            change=change, by=by, accept=True, note=note
        ),
        _("The factory's change is accepted."),
    ),
    "reject": (
        lambda change, by, note: services.order_factory_change_decide(
            change=change, by=by, accept=False, note=note
        ),
        _("The factory's change is rejected; the line stays as it is."),
    ),
}


@require_POST
def change_answer(request, pk, change_pk):
    """The buyer's answer to one change: withdraw, accept a counter, accept or reject the factory's; or a
    manager's record of an agreement reached another way."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    change = get_object_or_404(OrderChange, pk=change_pk, order=order)
    form = ChangeAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
        return redirect(order)
    action, success = _CHANGE_ANSWERS[form.cleaned_data["action"]]
    run_service(request, lambda: action(change, request.user, form.cleaned_data["note"]), success)
    return redirect(order)


@require_POST
def factory_changes_answer(request, pk):
    """Accept or reject, all at once, the changes the factory asked for when confirming the order."""
    require_staff(request, "order.edit")
    order = selectors.order_get(user=request.user, pk=pk)
    form = FactoryChangesAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an answer."))
        return redirect(order)
    accept = form.cleaned_data["decision"] == "accept"
    run_service(
        request,
        lambda: services.order_factory_changes_decide_all(
            order=order, by=request.user, accept=accept, note=form.cleaned_data["note"]
        ),
        _("The factory's changes are accepted.")
        if accept
        else _("The factory's changes are rejected; the order stays as it is."),
    )
    return redirect(order)
