"""Staff actions of claimed vs observed: record what an audit saw, propose a finding for a large shortfall."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import require_staff, run_service, submit

from .. import selectors, services
from ..forms import CapabilityObservationForm
from ..models import CapabilityObservation


@require_POST
def capability_observe(request, pk):
    """Record one observed value of the capability statement on an audit."""
    from .audits import AuditDetailView

    require_staff(request, "audit.edit")
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = CapabilityObservationForm(request.POST, audit=audit)
    if submit(
        request,
        form,
        lambda data: services.capability_observe(audit=audit, by=request.user, **data),
        _("Observed value recorded."),
    ):
        return redirect(audit)
    view = AuditDetailView()
    view.setup(request, pk=pk)
    return view.get(request, pk, capability_form=form, status=400)


@require_POST
def capability_finding_propose(request, pk):
    """Raise the pre-filled finding for a large shortfall of what was observed against what was claimed."""
    require_staff(request, "audit.edit")
    observation = get_object_or_404(
        CapabilityObservation.objects.visible_to(request.user).select_related("audit"), pk=pk
    )
    run_service(
        request,
        lambda: services.capability_finding_propose(observation=observation, by=request.user),
        _("Finding raised on the audit."),
    )
    return redirect(observation.audit)
