"""Staff actions of a visit report: the people met, and the challenges, ideas and follow-ups raised."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.clock import business_today
from core.views import require_staff, submit
from suppliers.selectors import supplier_get

from .. import selectors, services
from ..forms import VisitCadenceForm, VisitNoteForm, VisitPersonForm


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


def visit_cadence(request, pk):
    """Show and set how often a supplier is visited on site, with its last visit and when the next falls due."""
    require_staff(request)
    supplier = supplier_get(user=request.user, pk=pk)
    current = selectors.visit_cadence_get(user=request.user, supplier=supplier, today=business_today())
    status = 200
    if request.method == "POST":
        require_staff(request, "supplier.edit")
        form = VisitCadenceForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.visit_cadence_set(
                supplier=supplier, by=request.user, every_months=data["every_months"]
            ),
            _("Visit cadence saved."),
        ):
            return redirect("audits:visit_cadence", pk=supplier.pk)
        status = 400
    else:
        form = VisitCadenceForm(initial={"every_months": current["every_months"]})
    return render(
        request,
        "audits/visit_cadence.html",
        {
            "supplier": supplier,
            "current": current,
            "form": form,
            "can_edit": request.user.can("supplier.edit"),
        },
        status=status,
    )
