"""The supplier list's columns, for its page and its CSV/XLSX export (core/exports.py)."""

from django.utils.translation import gettext_lazy as _

from core.exports import Column, attr, display

SUPPLIER_COLUMNS = [
    Column(_("Name"), attr("name")),
    Column(_("Country"), lambda supplier: supplier.country.name),
    Column(_("Stage"), display("stage")),
    Column(_("Segment"), display("segment")),
    Column(_("Categories"), lambda supplier: ", ".join(c.name for c in supplier.categories.all())),
    Column(_("Owner"), lambda supplier: str(supplier.owner) if supplier.owner else ""),
    Column(_("Next certificate expiry"), attr("next_cert_expiry"), "date"),
]
