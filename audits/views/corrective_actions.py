"""Staff pages for corrective actions."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.exports import export_response
from core.inputs import is_id
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow
from suppliers.models import Supplier

from .. import selectors, services
from ..exports import CAPA_COLUMNS
from ..forms import (
    CapaRaiseForm,
    ReviewForm,
)
from ..models import CorrectiveAction, Finding, QCInspection


class CapaListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "status")}
        rows = waiting_narrow(request, selectors.capa_list(user=request.user, filters=filters))
        if export := export_response(request, rows=rows, columns=CAPA_COLUMNS, name="corrective-actions"):
            return export
        page, query = paginate(request, rows)
        return render(
            request,
            "audits/capa_list.html",
            {
                "page": page,
                "query": query,
                "columns": CAPA_COLUMNS,
                "filters": filters,
                "statuses": CorrectiveAction.Status.choices,
                "today": timezone.localdate(),
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


def capa_problem_from_inspection(inspection: QCInspection) -> str:
    """Describe an inspection's outcome for the factory: the facts, never QC's internal notes or override reason."""
    return _(
        "%(checkpoint)s inspection on %(date)s, lot %(lot)s: %(critical)s critical, %(major)s major and "
        "%(minor)s minor defects in a sample of %(sample)s (lot size %(lot_size)s). Result: %(result)s."
    ) % {
        "checkpoint": inspection.get_checkpoint_display(),
        "date": inspection.inspected_on.isoformat(),
        "lot": inspection.lot_number or "—",
        "critical": inspection.critical_defects,
        "major": inspection.major_defects,
        "minor": inspection.minor_defects,
        "sample": inspection.sample_size,
        "lot_size": inspection.lot_size,
        "result": inspection.get_result_display(),
    }


class CapaRaiseView(StaffRequiredMixin, View):
    """Request a corrective action from a finding or a failed inspection."""

    capability = "capa.edit"

    def source(self, request):
        finding = inspection = None
        if is_id(request.GET.get("finding")):
            finding = get_object_or_404(
                Finding.objects.visible_to(request.user).select_related("audit__supplier"),
                pk=request.GET["finding"],
            )
        elif is_id(request.GET.get("inspection")):
            inspection = get_object_or_404(
                QCInspection.objects.visible_to(request.user).select_related("supplier"),
                pk=request.GET["inspection"],
            )
        else:
            raise PermissionDenied(_("Raise a corrective action from a finding or an inspection."))
        return finding, inspection

    def get(self, request):
        finding, inspection = self.source(request)
        source = finding or inspection
        # The problem is what the factory reads: a finding's description (shown in the portal with its audit),
        # or an inspection's facts; an inspection's notes are QC's own and may belong to an unshared report.
        initial = {
            "due_on": timezone.localdate() + timezone.timedelta(days=14),
            "problem": finding.description
            if finding
            else (capa_problem_from_inspection(inspection) if inspection else ""),
        }
        return render(
            request, "audits/capa_form.html", {"form": CapaRaiseForm(initial=initial), "source": source}
        )

    def post(self, request):
        finding, inspection = self.source(request)
        form = CapaRaiseForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: services.capa_raise(by=request.user, finding=finding, inspection=inspection, **data),
            _("Corrective action requested from the supplier."),
        )
        if done:
            return redirect(done.result)
        return render(
            request, "audits/capa_form.html", {"form": form, "source": finding or inspection}, status=400
        )


class CapaDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        action = selectors.capa_get(user=request.user, pk=pk)
        return render(
            request,
            "audits/capa_detail.html",
            {
                "action": action,
                "evidence": selectors.capa_evidence(user=request.user, action=action),
                "review_form": ReviewForm(),
                "today": timezone.localdate(),
            },
        )


@require_POST
def capa_verify(request, pk):
    require_staff(request, "capa.edit")
    action = selectors.capa_get(user=request.user, pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        run_service(
            request,
            lambda: services.capa_verify(
                action=action, by=request.user, accept=accept, note=form.cleaned_data["note"]
            ),
            _("Corrective action verified and closed.") if accept else _("Sent back to the supplier."),
        )
    return redirect(action)
