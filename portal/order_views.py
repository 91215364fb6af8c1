"""Portal pages for orders: the factory acknowledges, proposes new dates and records shipments."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.views import paginate, run_service, submit
from core.waiting import waiting_narrow
from orders import selectors, services
from orders.exports import PORTAL_DELIVERY_COLUMNS, PORTAL_ORDER_COLUMNS
from orders.forms import ProposeDateForm, ShipForm
from orders.models import Delivery, OrderChange
from orders.pdf import order_pdf_response


class PortalOrderListView(PortalRequiredMixin, View):
    """The factory's orders (drafts are the buyer's own: visible_to hides them)."""

    def get(self, request):
        orders = selectors.order_list(user=request.user, filters={"status": request.GET.get("status", "")})
        orders = waiting_narrow(request, orders)
        if export := export_response(request, rows=orders, columns=PORTAL_ORDER_COLUMNS, name="orders"):
            return export
        page, query = paginate(request, orders)
        return render(request, "portal/order_list.html", {"page": page, "query": query})


class PortalDeliveryListView(PortalRequiredMixin, View):
    """The factory's deliveries, soonest promised first, by status (the same list staff see, scoped)."""

    def get(self, request):
        deliveries = selectors.delivery_list(
            user=request.user, filters={"status": request.GET.get("status", "")}
        )
        if export := export_response(
            request, rows=deliveries, columns=PORTAL_DELIVERY_COLUMNS, name="deliveries"
        ):
            return export
        page, query = paginate(request, deliveries, per_page=50)
        return render(
            request,
            "portal/delivery_list.html",
            {
                "page": page,
                "query": query,
                "columns": PORTAL_DELIVERY_COLUMNS,
                "statuses": Delivery.Status.choices,
                "status": request.GET.get("status", ""),
            },
        )


class PortalOrderDetailView(PortalRequiredMixin, View):
    def get(self, request, pk):
        order = selectors.order_get(user=request.user, pk=pk)
        today = business_today()  # late as the on-time KPI counts it
        deliveries = selectors.order_deliveries(order=order)
        for delivery in deliveries:
            delivery.late = delivery.is_late(today)
        changes = list(selectors.order_changes(order=order))
        return render(
            request,
            "portal/order_detail.html",
            {
                "order": order,
                "lines": order.lines.all(),
                "deliveries": deliveries,
                "changes": changes,
                "waiting_for_us": [
                    c
                    for c in changes
                    if c.side == OrderChange.Side.BUYER and c.status == OrderChange.Status.PROPOSED
                ],
                "totals": selectors.order_totals(order=order),
                "agreed_charges": order.charges.all(),
            },
        )

    def post(self, request, pk):
        """Acknowledge the order."""
        order = selectors.order_get(user=request.user, pk=pk)
        run_service(
            request,
            lambda: services.order_acknowledge(order=order, by=request.user),
            _("Thank you: the order is acknowledged."),
        )
        return redirect("portal:order_detail", pk=order.pk)


class PortalOrderPdfView(PortalRequiredMixin, View):
    """The purchase order PDF for the factory it was sent to (404 for a draft or another supplier's order)."""

    def get(self, request, pk):
        return order_pdf_response(selectors.order_get(user=request.user, pk=pk))


class PortalDeliveryActionView(PortalRequiredMixin, View):
    """Propose a new date for, or record the shipment of, one delivery."""

    form_class = None
    title = ""

    def get_delivery(self, pk):
        return get_object_or_404(
            Delivery.objects.visible_to(self.request.user).select_related("order"), pk=pk
        )

    def get(self, request, pk):
        delivery = self.get_delivery(pk)
        return self.render(self.form_class(initial=self.initial(delivery)), delivery)

    def post(self, request, pk):
        delivery = self.get_delivery(pk)
        form = self.form_class(request.POST)
        if submit(request, form, lambda data: self.act(delivery, data), self.success):
            return redirect("portal:order_detail", pk=delivery.order_id)
        return self.render(form, delivery, status=400)

    def render(self, form, delivery, status=200):
        return render(
            self.request,
            "portal/delivery_form.html",
            {"form": form, "delivery": delivery, "title": self.title},
            status=status,
        )


class PortalProposeDateView(PortalDeliveryActionView):
    form_class = ProposeDateForm

    @property
    def title(self):
        return _("Propose a new delivery date")

    @property
    def success(self):
        return _("Your proposal was sent. The promised date changes only when the buyer accepts it.")

    def initial(self, delivery):
        return {"proposed_on": delivery.promised_on}

    def act(self, delivery, data):
        services.delivery_propose_date(delivery=delivery, by=self.request.user, **data)


class PortalShipView(PortalDeliveryActionView):
    form_class = ShipForm

    @property
    def title(self):
        return _("Record a shipment")

    @property
    def success(self):
        return _("Shipment recorded.")

    def initial(self, delivery):
        return {"shipped_on": timezone.localdate(), "quantity_shipped": delivery.quantity_planned}

    def act(self, delivery, data):
        services.delivery_ship(delivery=delivery, by=self.request.user, **data)
