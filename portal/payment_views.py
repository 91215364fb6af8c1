"""Portal pages for payments: the factory's invoices with their status, expected payment date and payments;
submitting an invoice against an order; and answering proposed payment terms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.views import paginate, submit
from core.waiting import waiting_narrow
from payments import selectors, services
from payments.exports import PORTAL_INVOICE_COLUMNS
from payments.forms import InvoiceChargeFormSet, InvoiceLineFormSet, PortalInvoiceForm, TermAnswerForm
from payments.models import Invoice, PaymentTermChange
from scorecards import kpis, periods


class PortalInvoiceListView(PortalRequiredMixin, View):
    """The factory's invoices, the orders it can invoice, and how promptly the buyer pays it."""

    def get(self, request):
        today = business_today()
        invoices = selectors.invoice_list(
            user=request.user, filters={"status": request.GET.get("status", "")}
        )
        invoices = waiting_narrow(request, invoices)
        if export := export_response(request, rows=invoices, columns=PORTAL_INVOICE_COLUMNS, name="invoices"):
            return export
        page, query = paginate(request, invoices)
        timeliness = kpis.payment_timeliness(
            start=periods.rolling(today).start,
            end=today,
            today=today,
            invoices=Invoice.objects.visible_to(request.user),
        ).get(self.supplier.pk, kpis.EMPTY_INVOICES)
        return render(
            request,
            "portal/payments_invoice_list.html",
            {
                "page": page,
                "query": query,
                "today": today,
                "orders": selectors.orders_to_invoice(user=request.user, shipped=True)[:100],
                "timeliness": timeliness,
                "kpi_days": periods.ROLLING_DAYS,
                "waiting_terms": selectors.term_change_list(
                    user=request.user, filters={"status": PaymentTermChange.Status.PROPOSED}
                ).count(),
            },
        )


class PortalInvoiceDetailView(PortalRequiredMixin, View):
    """One invoice: status, expected payment date, lines with what the match found, and payments."""

    def get(self, request, pk):
        invoice = selectors.invoice_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/payments_invoice_detail.html",
            {
                "invoice": invoice,
                "lines": selectors.invoice_lines(invoice=invoice),
                "invoice_charges": selectors.invoice_charges(invoice=invoice),
                "discrepancies": selectors.invoice_discrepancies(invoice=invoice),
                "payments": selectors.invoice_payments(invoice=invoice),
                "today": business_today(),  # overdue as payment timeliness counts it
            },
        )


class PortalInvoiceSubmitView(PortalRequiredMixin, View):
    """Submit an invoice against one of the factory's orders: the lines billed and the invoice PDF."""

    def get_order(self, pk):
        return get_object_or_404(selectors.orders_to_invoice(user=self.request.user), pk=pk)

    def get(self, request, pk):
        order = self.get_order(pk)
        form = PortalInvoiceForm(initial={"invoice_date": timezone.localdate()})
        return self.render(
            order,
            form,
            InvoiceLineFormSet(order_lines=order.lines.all()),
            InvoiceChargeFormSet(prefix="charges"),
        )

    def post(self, request, pk):
        order = self.get_order(pk)
        form = PortalInvoiceForm(request.POST, request.FILES)
        formset = InvoiceLineFormSet(request.POST, order_lines=order.lines.all())
        charges = InvoiceChargeFormSet(request.POST, prefix="charges")
        record = lambda data: services.invoice_record(  # noqa: E731
            order=order, by=request.user, lines=formset.lines(), charges=charges.charges(), **data
        )
        if done := submit(request, form, record, also=(formset, charges)):
            invoice = done.result
            messages.success(
                request,
                _("Invoice %(number)s submitted. Expected payment date: %(day)s.")
                % {"number": invoice.number, "day": invoice.due_on.isoformat()},
            )
            return redirect("portal:invoice_detail", pk=invoice.pk)
        return self.render(order, form, formset, charges, status=400)

    def render(self, order, form, formset, charges, status=200):
        return render(
            self.request,
            "portal/payments_invoice_form.html",
            {
                "order": order,
                "form": form,
                "formset": formset,
                "charges": charges,
                "agreed_charges": order.charges.all(),
                "invoicing": selectors.order_invoicing(order=order),
                "terms": selectors.payment_terms_for(supplier=self.supplier, on=timezone.localdate()),
            },
            status=status,
        )


class PortalTermChangeListView(PortalRequiredMixin, View):
    """Payment terms the buyer proposed, and the factory's answers."""

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "portal/payments_terms.html",
            {
                "changes": waiting_narrow(request, selectors.term_change_list(user=request.user))[:100],
                "terms": selectors.payment_terms_for(supplier=self.supplier, on=today),
            },
        )


class PortalTermChangeAnswerView(PortalRequiredMixin, View):
    """Accept or dispute (with a comment) one proposal of new payment terms."""

    def get(self, request, pk):
        change = selectors.term_change_get(user=request.user, pk=pk)
        return self.render(change, TermAnswerForm())

    def post(self, request, pk):
        change = selectors.term_change_get(user=request.user, pk=pk)
        form = TermAnswerForm(request.POST)

        def answer(data):
            service = (
                services.term_change_accept if data["decision"] == "accept" else services.term_change_dispute
            )
            return service(change=change, by=request.user, comment=data["comment"])

        if submit(request, form, answer):
            messages.success(
                request,
                _("Thank you: the new terms apply from %(day)s.") % {"day": change.effective_on.isoformat()}
                if form.cleaned_data["decision"] == "accept"
                else _("Your objection was sent to the buyer; the terms stay as they are."),
            )
            return redirect("portal:payment_terms")
        return self.render(change, form, status=400)

    def render(self, change, form, status=200):
        return render(
            self.request, "portal/payments_term_answer.html", {"change": change, "form": form}, status=status
        )
