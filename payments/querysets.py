"""Visibility of payments rows: invoices, payments, discrepancies and term changes belong to one supplier, whose
factory contacts see them (SupplierOwnedQuerySet); invoice lines are scoped through their invoice."""

from suppliers.querysets import SupplierOwnedQuerySet


class InvoiceChildQuerySet(SupplierOwnedQuerySet):
    """Rows of an invoice (its lines): visible to whoever may see the invoice."""

    supplier_lookup = "invoice__supplier_id"
