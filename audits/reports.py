"""The audit report PDF, one renderer for the staff page and the portal (each passes its own user, so the
findings listed are those that user may see)."""

from django.http import HttpResponse
from django.utils import timezone

from core.pdf import render_pdf

from . import selectors
from .models import Audit


def audit_report_response(audit: Audit, *, user) -> HttpResponse:
    """Render an audit's report PDF for a user (staff or the audited factory) as a download."""
    pdf = render_pdf(
        template_name="pdf/audit_report.html",
        context={
            "audit": audit,
            "checklist": selectors.audit_checklist(audit=audit),
            "findings": selectors.audit_findings(user=user, audit=audit),
            "generated_at": timezone.now(),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="audit-{audit.pk}-{audit.supplier_id}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
