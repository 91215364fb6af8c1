"""The order lists' columns (staff and portal), for their pages and their CSV/XLSX exports (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display

ORDER_COLUMNS = [
    Column(_("PO"), attr("number")),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Ordered"), attr("ordered_on"), "date"),
    Column(_("Status"), display("status")),
    Column(_("Lines"), attr("line_count"), "number"),
    Column(_("Next promised date"), attr("next_promised"), "date"),
]

PORTAL_ORDER_COLUMNS = [
    Column(_("PO"), attr("number")),
    Column(_("Ordered"), attr("ordered_on"), "date"),
    Column(_("Status"), display("status")),
    Column(_("Next promised date"), attr("next_promised"), "date"),
]

DELIVERY_COLUMNS = [
    Column(_("Delivery"), lambda d: f"{d.order.number}/{d.sequence}"),
    Column(_("Supplier"), attr("supplier.name")),
    Column(_("Promised"), attr("promised_on"), "date"),
    Column(_("Originally promised"), attr("original_promised_on"), "date"),
    Column(_("Quantity"), attr("quantity_planned"), "number"),
    Column(_("Status"), display("status")),
    Column(_("Shipped"), attr("shipped_on"), "date"),
    Column(_("Received"), attr("received_on"), "date"),
    Column(_("Quantity received"), attr("quantity_received"), "number"),
]

PORTAL_DELIVERY_COLUMNS = [
    Column(_("Delivery"), lambda d: f"{d.order.number}/{d.sequence}"),
    Column(_("Promised"), attr("promised_on"), "date"),
    Column(_("Quantity"), attr("quantity_planned"), "number"),
    Column(_("Status"), display("status")),
    Column(_("Shipped"), attr("shipped_on"), "date"),
    Column(_("Received"), attr("received_on"), "date"),
]
