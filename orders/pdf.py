"""The purchase order PDF, one renderer for the staff page, the portal and the "order sent" email: our company's
header, the supplier, Incoterm, lines with their required dates, payment terms and the changes accepted since."""

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from core.clock import business_today
from core.pdf import render_pdf

from . import selectors
from .models import DateProposal, PurchaseOrder


def order_pdf_filename(order: PurchaseOrder) -> str:
    """Return the PDF's file name: the PO number, kept to safe characters."""
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in order.number)
    return f"{safe or order.pk}.pdf"


def order_pdf(*, order: PurchaseOrder) -> bytes:
    """Render an order (already fetched through visible_to) as a PDF in the active language."""
    today = business_today()
    accepted_dates = (
        DateProposal.objects.filter(delivery__order=order, status=DateProposal.Status.ACCEPTED)
        .select_related("delivery")
        .order_by("decided_at")
    )
    return render_pdf(
        template_name="pdf/purchase_order.html",
        context={
            "order": order,
            "company_name": settings.FORGELINE_COMPANY_NAME,
            "company_address": settings.FORGELINE_COMPANY_ADDRESS,
            "lines": order.lines.all(),
            "totals": selectors.order_totals(order=order),
            "contract": selectors.supplier_contract(supplier=order.supplier, today=today),
            "changes": selectors.order_changes_applied(order=order),
            "accepted_dates": accepted_dates,
            "generated_at": timezone.now(),
        },
    )


def order_pdf_response(order: PurchaseOrder) -> HttpResponse:
    """Answer the order's PDF as a download (staff, or the order's own factory in the portal)."""
    response = HttpResponse(order_pdf(order=order), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{order_pdf_filename(order)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
