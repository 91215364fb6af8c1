"""Staff pages for audits, findings, audit reports and hold proposals."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.clock import business_today
from core.exports import export_response
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow
from suppliers.models import Supplier

from .. import selectors, services
from ..capability_selectors import audit_capability_observations
from ..exports import AUDIT_COLUMNS
from ..forms import (
    AuditCompleteForm,
    AuditPlanForm,
    CapabilityObservationForm,
    FindingForm,
    HoldDecisionForm,
    VisitNoteForm,
    VisitPersonForm,
)
from ..models import (
    Audit,
    ChecklistQuestion,
    HoldProposal,
)
from ..reports import audit_report_response


class AuditListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "status", "audit_type")}
        rows = waiting_narrow(request, selectors.audit_list(user=request.user, filters=filters))
        if export := export_response(request, rows=rows, columns=AUDIT_COLUMNS, name="audits"):
            return export
        page, query = paginate(request, rows)
        return render(
            request,
            "audits/audit_list.html",
            {
                "page": page,
                "query": query,
                "columns": AUDIT_COLUMNS,
                "filters": filters,
                "types": Audit.Type.choices,
                "statuses": Audit.Status.choices,
                "holds": selectors.hold_proposals_open(user=request.user),
                "visits_due": selectors.visits_due(user=request.user, today=business_today()),
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


class AuditPlanView(StaffRequiredMixin, View):
    capability = "audit.edit"

    def get(self, request):
        initial = {"supplier": request.GET.get("supplier"), "lead_auditor": request.user}
        return render(request, "audits/audit_form.html", {"form": AuditPlanForm(initial=initial)})

    def post(self, request):
        form = AuditPlanForm(request.POST)

        def plan(data):
            data = dict(data)
            if data.get("lead_auditor") is None:
                data.pop("lead_auditor")
            return services.audit_plan(by=request.user, **data)

        if done := submit(request, form, plan, _("Audit planned.")):
            return redirect(done.result)
        return render(request, "audits/audit_form.html", {"form": form}, status=400)


class AuditDetailView(StaffRequiredMixin, View):
    """An audit: checklist (scored when completing), findings, corrective actions, hold proposal, report."""

    def questions(self, audit):
        if audit.template_id is None:
            return []
        return list(
            ChecklistQuestion.objects.filter(section__template=audit.template_id).order_by(
                "section__position", "section_id", "position", "pk"
            )
        )

    def get(
        self,
        request,
        pk,
        complete_form=None,
        finding_form=None,
        capability_form=None,
        person_form=None,
        note_form=None,
        status=200,
    ):
        audit = selectors.audit_get(user=request.user, pk=pk)
        if complete_form is None and audit.status == Audit.Status.PLANNED:
            complete_form = AuditCompleteForm(
                questions=self.questions(audit), initial={"performed_on": timezone.localdate()}
            )
        hold = HoldProposal.objects.filter(audit=audit).first()
        checklist = selectors.audit_checklist(audit=audit)
        if complete_form is not None:
            # The score and note fields bound to the form, so a refused POST keeps what was entered.
            for section in checklist:
                for row in section["questions"]:
                    row["score_field"] = complete_form[f"score_{row['question'].pk}"]
                    row["note_field"] = complete_form[f"note_{row['question'].pk}"]
        return render(
            request,
            "audits/audit_detail.html",
            {
                "audit": audit,
                "checklist": checklist,
                "findings": selectors.audit_findings(user=request.user, audit=audit),
                "complete_form": complete_form,
                "finding_form": finding_form or FindingForm(),
                "hold": hold,
                "hold_form": HoldDecisionForm(),
                "auditors": audit.auditors.all(),
                "capability_observations": audit_capability_observations(user=request.user, audit=audit),
                "people_met": selectors.visit_people(user=request.user, audit=audit),
                "visit_notes": selectors.visit_notes(user=request.user, audit=audit),
                "person_form": person_form or VisitPersonForm(),
                "note_form": note_form or VisitNoteForm(),
                "capability_form": capability_form
                or CapabilityObservationForm(audit=audit, initial={"observed_on": audit.performed_on}),
            },
            status=status,
        )

    def post(self, request, pk):
        """Complete the audit (scores, date, summary, report)."""
        require_staff(request, "audit.edit")
        audit = selectors.audit_get(user=request.user, pk=pk)
        form = AuditCompleteForm(request.POST, request.FILES, questions=self.questions(audit))
        done = submit(
            request,
            form,
            lambda data: services.audit_complete(
                audit=audit,
                by=request.user,
                performed_on=data["performed_on"],
                scores=form.scores(),
                summary=data["summary"],
                report=data["report"],
            ),
        )
        if done:
            messages.success(
                request, _("Audit recorded: %(result)s.") % {"result": done.result.get_result_display()}
            )
            return redirect(done.result)
        return self.get(request, pk, complete_form=form, status=400)


@require_POST
def audit_cancel(request, pk):
    require_staff(request, "audit.edit")
    audit = selectors.audit_get(user=request.user, pk=pk)
    run_service(request, lambda: services.audit_cancel(audit=audit, by=request.user), _("Audit cancelled."))
    return redirect(audit)


@require_POST
def finding_add(request, pk):
    require_staff(request, "audit.edit")
    audit = selectors.audit_get(user=request.user, pk=pk)
    form = FindingForm(request.POST, request.FILES)
    if submit(
        request,
        form,
        lambda data: services.finding_add(audit=audit, by=request.user, **data),
        _("Finding recorded."),
    ):
        return redirect(audit)
    view = AuditDetailView()
    view.setup(request, pk=pk)
    return view.get(request, pk, finding_form=form, status=400)


def audit_report_pdf(request, pk):
    """The audit report as a PDF: checklist, findings and the status of their corrective actions."""
    require_staff(request)
    audit = selectors.audit_get(user=request.user, pk=pk)
    return audit_report_response(audit, user=request.user)


@require_POST
def hold_decide(request, pk):
    require_staff(request, "hold.decide")
    proposal = get_object_or_404(HoldProposal.objects.visible_to(request.user), pk=pk)
    form = HoldDecisionForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        run_service(
            request,
            lambda: services.hold_decide(
                proposal=proposal, by=request.user, accept=accept, note=form.cleaned_data["note"]
            ),
            _("The supplier is on hold.") if accept else _("Proposal dismissed."),
        )
    else:
        messages.error(request, _("Write down the reason for the decision."))
    return redirect(proposal.audit)
