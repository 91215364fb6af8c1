"""Staff actions of a visit report: the people met, and the challenges, ideas and follow-ups raised."""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import require_staff, submit

from .. import selectors, services
from ..forms import VisitNoteForm, VisitPersonForm


def _refused(request, pk, **forms):
    from .audits import AuditDetailView

    view = AuditDetailView()
    view.setup(request, pk=pk)
    return view.get(request, pk, status=400, **forms)


@require_POST
def visit_person_add(request, pk):
    """Record someone met on the factory side during the visit."""
    require_staff(request, "audit.edit")
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = VisitPersonForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.visit_person_add(audit=audit, by=request.user, **data),
        _("Person recorded."),
    ):
        return redirect(audit)
    return _refused(request, pk, person_form=form)


@require_POST
def visit_note_add(request, pk):
    """Add a challenge, an idea or a follow-up to the visit report."""
    require_staff(request, "audit.edit")
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = VisitNoteForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.visit_note_add(audit=audit, by=request.user, **data),
        _("Added to the visit report."),
    ):
        return redirect(audit)
    return _refused(request, pk, note_form=form)
