"""Visibility of payments rows: invoices, payments, discrepancies and term changes belong to one supplier, whose
factory contacts see them (SupplierOwnedQuerySet); invoice lines are scoped through their invoice."""

from datetime import date

from django.db.models import F, Q

from suppliers.querysets import SupplierOwnedQuerySet


class InvoiceQuerySet(SupplierOwnedQuerySet):
    """Invoices; `counted_for_payment_timeliness` is the one definition of the invoices that KPI counts."""

    # Paid in full on or before the due date: the KPI's numerator.
    PAID_ON_TIME = Q(paid_on__isnull=False, paid_on__lte=F("due_on"))

    def counted_for_payment_timeliness(self, start: date, end: date, *, today: date):
        """Return the invoices due in [start, end]: paid in full, or past their due date; rejected ones never."""
        return (
            self.filter(due_on__gte=start, due_on__lte=end)
            .exclude(status=self.model.Status.REJECTED)
            .filter(Q(paid_on__isnull=False) | Q(due_on__lt=today))
        )


class InvoiceChildQuerySet(SupplierOwnedQuerySet):
    """Rows of an invoice (its lines): visible to whoever may see the invoice."""

    supplier_lookup = "invoice__supplier_id"
