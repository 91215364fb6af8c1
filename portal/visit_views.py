"""The factory's part of a visit report in the portal: it adds challenges, ideas and follow-ups to the shared part."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from audits import selectors, services
from audits.forms import PortalVisitNoteForm
from core.views import submit


def visit_context(*, user, audit, note_form=None) -> dict:
    """Return what the portal's audit page shows of the visit report (the shared part only)."""
    return {
        "people_met": selectors.visit_people(user=user, audit=audit),
        "visit_notes": selectors.visit_notes(user=user, audit=audit),
        "visit_note_form": note_form or PortalVisitNoteForm(),
    }


class PortalVisitNoteView(PortalRequiredMixin, View):
    """Add to the shared part of a visit report of the factory's own company."""

    def post(self, request, pk):
        audit = selectors.audit_get(user=request.user, pk=pk)
        form = PortalVisitNoteForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.visit_note_add(audit=audit, by=request.user, **data),
            _("Added to the visit report."),
        )
        if done:
            return redirect("portal:audit_detail", pk=audit.pk)
        context = {
            "audit": audit,
            "findings": selectors.audit_findings(user=request.user, audit=audit),
            **visit_context(user=request.user, audit=audit, note_form=form),
        }
        return render(request, "portal/audit_detail.html", context, status=400)
