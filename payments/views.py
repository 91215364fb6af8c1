"""Staff pages for invoices (with the three-way match), payments, the due list and payment-term changes."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.inputs import is_id
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow
from suppliers.models import Supplier
from suppliers.selectors import supplier_filter_label

from . import selectors, services
from .exports import INVOICE_COLUMNS, PAYMENT_COLUMNS
from .forms import (
    AgreementForm,
    InvoiceChargeFormSet,
    InvoiceForm,
    InvoiceLineFormSet,
    PaymentForm,
    RejectForm,
    ResolveForm,
    TermChangeForm,
)
from .models import Invoice, InvoiceDiscrepancy, PaymentTermChange


def _suppliers(user):
    return Supplier.objects.visible_to(user).only("pk", "name").order_by("name")


# --- Invoices -------------------------------------------------------------------------------------------------


class InvoiceListView(StaffRequiredMixin, View):
    """Invoices, filtered by supplier, status or number."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status", "q")}
        invoices = waiting_narrow(request, selectors.invoice_list(user=request.user, filters=filters))
        if export := export_response(request, rows=invoices, columns=INVOICE_COLUMNS, name="invoices"):
            return export
        page, query = paginate(request, invoices)
        return render(
            request,
            "payments/invoice_list.html",
            {
                "page": page,
                "query": query,
                "columns": INVOICE_COLUMNS,
                "filters": filters,
                "statuses": Invoice.Status.choices,
                "supplier_label": supplier_filter_label(user=request.user, value=filters["supplier"]),
                "today": business_today(),  # overdue as payment timeliness counts it
            },
        )


class PaymentListView(StaffRequiredMixin, View):
    """Payments made, latest first, filtered by supplier, number or reference, and payment dates."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "q", "paid_from", "paid_to")}
        payments = selectors.payment_list(user=request.user, filters=filters)
        if export := export_response(request, rows=payments, columns=PAYMENT_COLUMNS, name="payments"):
            return export
        page, query = paginate(request, payments, per_page=50)
        return render(
            request,
            "payments/payment_list.html",
            {
                "page": page,
                "filters": filters,
                "query": query,
                "columns": PAYMENT_COLUMNS,
                "supplier_label": supplier_filter_label(user=request.user, value=filters["supplier"]),
            },
        )


class InvoiceDueView(StaffRequiredMixin, View):
    """Unpaid invoices due in the next 14 days, and the overdue ones: what to pay next."""

    def get(self, request):
        today = business_today()  # overdue as payment timeliness counts it
        page, query = paginate(request, selectors.invoices_due(user=request.user, today=today), per_page=50)
        for invoice in page:
            invoice.days_overdue = (today - invoice.due_on).days
        return render(
            request,
            "payments/invoice_due.html",
            {"page": page, "query": query, "today": today, "window": selectors.DUE_WINDOW_DAYS},
        )


class InvoiceCreateView(StaffRequiredMixin, View):
    """Record an invoice that came by mail: pick the order, then bill its lines."""

    capability = "invoice.edit"

    def get_order(self):
        order_id = self.request.GET.get("order", "")
        if not order_id:
            return None
        if not is_id(order_id):
            raise Http404
        return get_object_or_404(selectors.orders_to_invoice(user=self.request.user), pk=order_id)

    def get(self, request):
        order = self.get_order()
        if order is None:
            orders = selectors.orders_to_invoice(user=request.user)[:300]
            return render(request, "payments/invoice_pick_order.html", {"orders": orders})
        today = timezone.localdate()
        form = InvoiceForm(initial={"invoice_date": today, "received_on": today})
        return self.render(
            order,
            form,
            InvoiceLineFormSet(order_lines=order.lines.all()),
            InvoiceChargeFormSet(prefix="charges"),
        )

    def post(self, request):
        order = self.get_order()
        if order is None:
            raise Http404
        form = InvoiceForm(request.POST, request.FILES)
        formset = InvoiceLineFormSet(request.POST, order_lines=order.lines.all())
        charges = InvoiceChargeFormSet(request.POST, prefix="charges")
        record = lambda data: services.invoice_record(  # noqa: E731
            order=order, by=request.user, lines=formset.lines(), charges=charges.charges(), **data
        )
        if done := submit(request, form, record, also=(formset, charges)):
            invoice = done.result
            if invoice.status == Invoice.Status.DISPUTED:
                messages.warning(
                    request,
                    _("Invoice %(number)s recorded; the three-way match found discrepancies to resolve.")
                    % {"number": invoice.number},
                )
            else:
                messages.success(
                    request,
                    _("Invoice %(number)s recorded; it matches the order and the receipts.")
                    % {"number": invoice.number},
                )
            return redirect(invoice)
        return self.render(order, form, formset, charges, status=400)

    def render(self, order, form, formset, charges, status=200):
        return render(
            self.request,
            "payments/invoice_form.html",
            {
                "order": order,
                "form": form,
                "formset": formset,
                "charges": charges,
                "agreed_charges": order.charges.all(),
                "invoicing": selectors.order_invoicing(order=order),
            },
            status=status,
        )


def _detail(request, invoice, *, status=200, **forms):
    """Render an invoice's page; a refused form comes back bound, with its errors, in place."""
    today = business_today()  # overdue and days late as payment timeliness counts them
    context = {
        "invoice": invoice,
        "lines": selectors.invoice_lines(invoice=invoice),
        "invoice_charges": selectors.invoice_charges(invoice=invoice),
        "discrepancies": selectors.invoice_discrepancies(invoice=invoice),
        "payments": selectors.invoice_payments(invoice=invoice),
        "invoicing": selectors.order_invoicing(order=invoice.order),
        "outstanding": invoice.outstanding,
        "days_late": invoice.days_late(today),
        "today": today,
        # A date the user types: their own local day.
        "payment_form": PaymentForm(initial={"paid_on": timezone.localdate(), "amount": invoice.outstanding}),
        "resolve_form": ResolveForm(),
        "resolve_target": None,
        "reject_form": RejectForm(),
    }
    context.update(forms)
    return render(request, "payments/invoice_detail.html", context, status=status)


class InvoiceDetailView(StaffRequiredMixin, View):
    """An invoice: lines with the match results, discrepancies, payments, and the actions on it."""

    def get(self, request, pk):
        return _detail(request, selectors.invoice_get(user=request.user, pk=pk))


class _InvoiceActionView(StaffRequiredMixin, View):
    """A form posted from an invoice's page: on success back to it, on refusal the page with the errors."""

    form_class = None
    form_name = ""

    def post(self, request, pk, **kwargs):
        invoice = selectors.invoice_get(user=request.user, pk=pk)
        form = self.form_class(request.POST)
        if done := submit(request, form, lambda data: self.act(invoice, data, **kwargs)):
            messages.success(request, done.result)
            return redirect(invoice)
        return _detail(request, invoice, status=400, **{self.form_name: form}, **self.extra(**kwargs))

    def extra(self, **kwargs):
        return {}


class PaymentRecordView(_InvoiceActionView):
    """Record a payment (or a part payment) against an approved invoice."""

    capability = "payment.record"
    form_class = PaymentForm
    form_name = "payment_form"

    def act(self, invoice, data):
        payment = services.payment_record(invoice=invoice, by=self.request.user, **data)
        if payment.invoice.status == Invoice.Status.PAID:
            return _("Payment recorded; the invoice is paid in full.")
        return _("Part payment recorded.")


class InvoiceRejectView(_InvoiceActionView):
    """Reject an invoice not yet approved, with a reason the supplier sees."""

    capability = "invoice.edit"
    form_class = RejectForm
    form_name = "reject_form"

    def act(self, invoice, data):
        services.invoice_reject(invoice=invoice, by=self.request.user, reason=data["reason"])
        return _("Invoice rejected; the supplier sees the reason.")


class DiscrepancyResolveView(_InvoiceActionView):
    """Close one discrepancy of an invoice with a note."""

    capability = "invoice.edit"
    form_class = ResolveForm
    form_name = "resolve_form"

    def post(self, request, pk):
        discrepancy = get_object_or_404(InvoiceDiscrepancy.objects.visible_to(request.user), pk=pk)
        return super().post(request, discrepancy.invoice_id, discrepancy=discrepancy)

    def act(self, invoice, data, discrepancy):
        services.discrepancy_resolve(discrepancy=discrepancy, by=self.request.user, note=data["note"])
        return _("Discrepancy resolved.")

    def extra(self, discrepancy):
        return {"resolve_target": discrepancy.pk}


@require_POST
def invoice_approve(request, pk):
    """Approve a matched invoice for payment."""
    require_staff(request, "invoice.edit")
    invoice = selectors.invoice_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.invoice_approve(invoice=invoice, by=request.user),
        _("Invoice approved for payment."),
    )
    return redirect(invoice)


# --- Payment-term changes -------------------------------------------------------------------------------------


class TermChangeListView(StaffRequiredMixin, View):
    """Payment-term changes proposed to suppliers and their answers."""

    def get(self, request):
        filters = {key: request.GET.get(key, "") for key in ("supplier", "status")}
        page, query = paginate(
            request, waiting_narrow(request, selectors.term_change_list(user=request.user, filters=filters))
        )
        return render(
            request,
            "payments/term_change_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "statuses": PaymentTermChange.Status.choices,
                "suppliers": _suppliers(request.user),
            },
        )


class TermChangeCreateView(StaffRequiredMixin, View):
    """Propose new payment terms to a supplier."""

    capability = "terms.propose"

    def get(self, request):
        initial = {"effective_on": timezone.localdate(), "supplier": request.GET.get("supplier")}
        return self.render(TermChangeForm(initial=initial, user=request.user))

    def post(self, request):
        form = TermChangeForm(request.POST, user=request.user)
        if done := submit(request, form, lambda data: services.term_change_propose(by=request.user, **data)):
            messages.success(
                request,
                _("Proposal sent to %(supplier)s. The terms change only once they accept it.")
                % {"supplier": done.result.supplier.name},
            )
            return redirect("payments:term_change_list")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "payments/term_change_form.html", {"form": form}, status=status)


class TermChangeAgreeView(StaffRequiredMixin, View):
    """A manager records that the supplier agreed to the new terms another way."""

    capability = "terms.record_agreement"

    def get(self, request, pk):
        change = selectors.term_change_get(user=request.user, pk=pk)
        return self.render(change, AgreementForm())

    def post(self, request, pk):
        change = selectors.term_change_get(user=request.user, pk=pk)
        form = AgreementForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.term_change_record_agreement(
                change=change, by=request.user, note=data["note"]
            ),
            _("Agreement recorded; the new terms apply from their effective date."),
        )
        if done:
            return redirect("payments:term_change_list")
        return self.render(change, form, status=400)

    def render(self, change, form, status=200):
        return render(
            self.request, "payments/term_change_agree.html", {"change": change, "form": form}, status=status
        )


@require_POST
def term_change_withdraw(request, pk):
    """Withdraw a proposal still waiting or disputed."""
    require_staff(request, "terms.propose")
    change = selectors.term_change_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.term_change_withdraw(change=change, by=request.user),
        _("Proposal withdrawn; the terms stay as they are."),
    )
    return redirect("payments:term_change_list")
