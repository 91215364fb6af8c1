"""The invoice lists' columns (staff and portal), for their pages and their CSV/XLSX exports (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display

INVOICE_COLUMNS = [
    Column(_("Invoice"), attr("number")),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("PO"), attr("order.number")),
    Column(_("Invoice date"), attr("invoice_date"), "date"),
    Column(_("Amount"), attr("amount"), "number"),
    Column(_("Currency"), attr("currency")),
    Column(_("Paid"), attr("paid_total"), "number"),
    Column(_("Due"), attr("due_on"), "date"),
    Column(_("Status"), display("status")),
]

PORTAL_INVOICE_COLUMNS = [
    Column(_("Invoice"), attr("number")),
    Column(_("Order"), attr("order.number")),
    Column(_("Invoice date"), attr("invoice_date"), "date"),
    Column(_("Amount"), attr("amount"), "number"),
    Column(_("Currency"), attr("currency")),
    Column(_("Paid"), attr("paid_total"), "number"),
    Column(_("Expected payment date"), lambda i: i.paid_on or i.due_on, "date"),
    Column(_("Status"), display("status")),
]

PAYMENT_COLUMNS = [
    Column(_("Paid on"), attr("paid_on"), "date"),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Invoice"), attr("invoice.number")),
    Column(_("PO"), attr("invoice.order.number")),
    Column(_("Amount"), attr("amount"), "number"),
    Column(_("Currency"), attr("invoice.currency")),
    Column(_("Payment reference"), attr("reference")),
]
