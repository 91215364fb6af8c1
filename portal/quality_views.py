"""Portal pages for quality: shared inspection reports, lab reports, audits and corrective actions."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from audits import selectors, services
from audits.exports import PORTAL_AUDIT_COLUMNS, PORTAL_CAPA_COLUMNS, PORTAL_INSPECTION_COLUMNS
from audits.forms import BatchTestForm, CapaAnswerForm, EvidenceForm
from audits.models import CorrectiveAction
from audits.reports import audit_report_response
from audits.severity_selectors import severity_list
from core.exports import export_response
from core.views import submit
from core.waiting import waiting_narrow

from .visit_views import visit_context


class PortalInspectionListView(PortalRequiredMixin, View):
    """QC inspections whose reports the buyer shared."""

    def get(self, request):
        inspections = selectors.inspection_list(user=request.user)
        if export := export_response(
            request, rows=inspections, columns=PORTAL_INSPECTION_COLUMNS, name="inspections"
        ):
            return export
        return render(
            request,
            "portal/inspection_list.html",
            {"inspections": inspections[:200], "severities": severity_list(user=request.user)[:100]},
        )


class PortalBatchTestView(PortalRequiredMixin, View):
    """The factory's lab reports, and the form to upload one for a lot."""

    def get(self, request, form=None, status=200):
        return render(
            request,
            "portal/batch_tests.html",
            {
                "tests": selectors.batch_test_list(user=request.user)[:200],
                "form": form or BatchTestForm(supplier=self.supplier, initial=self.initial(request)),
            },
            status=status,
        )

    def initial(self, request) -> dict:
        """Today, and the order and lot the production page's "Add lab report" names (only choices of the form)."""
        initial = {"tested_on": timezone.localdate(), "lot_number": request.GET.get("lot", "")[:64]}
        if (order := request.GET.get("order", "")).isdecimal() and len(order) < 18:
            initial["order"] = order
        return initial

    def post(self, request):
        form = BatchTestForm(request.POST, request.FILES, supplier=self.supplier)
        if submit(
            request,
            form,
            lambda data: services.batch_test_submit(supplier=self.supplier, by=request.user, **data),
            _("Lab report uploaded; our QC team will review it."),
        ):
            return redirect("portal:batch_tests")
        return self.get(request, form=form, status=400)


class PortalAuditListView(PortalRequiredMixin, View):
    """Audits the factory knows of: announced ones, and unannounced ones once performed."""

    def get(self, request):
        audits = selectors.audit_list(user=request.user)
        if export := export_response(request, rows=audits, columns=PORTAL_AUDIT_COLUMNS, name="audits"):
            return export
        return render(request, "portal/audit_list.html", {"audits": audits[:200]})


class PortalAuditDetailView(PortalRequiredMixin, View):
    def get(self, request, pk):
        audit = selectors.audit_get(user=request.user, pk=pk)
        return render(
            request,
            "portal/audit_detail.html",
            {
                "audit": audit,
                "findings": selectors.audit_findings(user=request.user, audit=audit),
                **visit_context(user=request.user, audit=audit),
            },
        )


def portal_audit_pdf(request, pk):
    """The audit report PDF for the audited factory (404 for a hidden or another supplier's audit)."""
    audit = selectors.audit_get(user=request.user, pk=pk)
    return audit_report_response(audit, user=request.user)


class PortalCapaListView(PortalRequiredMixin, View):
    def get(self, request):
        actions = waiting_narrow(request, selectors.capa_list(user=request.user))
        if export := export_response(
            request, rows=actions, columns=PORTAL_CAPA_COLUMNS, name="corrective-actions"
        ):
            return export
        return render(
            request,
            "portal/capa_list.html",
            {
                "actions": actions[:200],
                "today": timezone.localdate(),
            },
        )


class PortalCapaDetailView(PortalRequiredMixin, View):
    """The factory answers a corrective action: containment, root cause, actions, evidence."""

    def attach(self, request, action):
        """Attach an evidence file. From the page (htmx) only the summary and evidence part is redrawn, so the
        answer being typed in the form next to it is never lost; without htmx the whole page reloads."""
        evidence_form = EvidenceForm(request.POST, request.FILES)
        done = submit(
            request,
            evidence_form,
            lambda data: services.capa_add_evidence(action=action, by=request.user, **data),
            None if request.htmx else _("Evidence attached."),
        )
        if not request.htmx:
            if done:
                return redirect("portal:capa_detail", pk=action.pk)
            return self.get(request, action.pk, evidence_form=evidence_form, status=400)
        context = {
            "action": action,
            "today": timezone.localdate(),
            "evidence": selectors.capa_evidence(user=request.user, action=action),
            "evidence_form": EvidenceForm() if done else evidence_form,
            "attached": bool(done),
        }
        # 200 either way: htmx swaps only successful answers, and a refused file must show its error in place.
        return render(request, "portal/_capa_summary.html", context)

    def get(self, request, pk, form=None, evidence_form=None, status=200):
        action = selectors.capa_get(user=request.user, pk=pk)
        answerable = action.status in (CorrectiveAction.Status.OPEN, CorrectiveAction.Status.REJECTED)
        return render(
            request,
            "portal/capa_detail.html",
            {
                "action": action,
                "answerable": answerable,
                "today": timezone.localdate(),
                "form": form or CapaAnswerForm(instance=action),
                "evidence_form": evidence_form or EvidenceForm(),
                "evidence": selectors.capa_evidence(user=request.user, action=action),
            },
            status=status,
        )

    def post(self, request, pk):
        action = selectors.capa_get(user=request.user, pk=pk)
        if "file" in request.FILES or request.POST.get("kind") == "evidence":
            return self.attach(request, action)
        form = CapaAnswerForm(request.POST, instance=action)
        if submit(
            request,
            form,
            lambda data: services.capa_submit(action=action, by=request.user, **data),
            _("Your answer was sent to our QC team."),
        ):
            return redirect("portal:capa_detail", pk=pk)
        return self.get(request, pk, form=form, status=400)
