"""Staff pages for QC inspections, batch tests, audits, findings, corrective actions and hold proposals."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.inputs import is_id
from core.views import paginate, require_staff, run_service, submit
from suppliers.models import Supplier

from . import selectors, services
from .forms import (
    AuditCompleteForm,
    AuditPlanForm,
    CapaRaiseForm,
    FindingForm,
    HoldDecisionForm,
    InspectionForm,
    ReviewForm,
)
from .models import Audit, BatchTest, ChecklistQuestion, CorrectiveAction, Finding, HoldProposal, QCInspection
from .reports import audit_report_response
from .sampling import sampling_plan

# --- Inspections ----------------------------------------------------------------------------------------------


class InspectionListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "checkpoint", "result")}
        page, query = paginate(request, selectors.inspection_list(user=request.user, filters=filters))
        return render(
            request,
            "audits/inspection_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "checkpoints": QCInspection.Checkpoint.choices,
                "suppliers": Supplier.objects.only("pk", "name").order_by("name"),
            },
        )


class InspectionCreateView(StaffRequiredMixin, View):
    """Record an inspection; the sampling plan shows as lot size, level and AQLs are entered."""

    capability = "inspection.edit"

    def get(self, request):
        initial = {"inspected_on": timezone.localdate(), "checkpoint": QCInspection.Checkpoint.PRE_SHIPMENT}
        order_id, supplier_id = request.GET.get("order"), request.GET.get("supplier")
        if is_id(supplier_id):
            initial["supplier"] = int(supplier_id)
        if is_id(order_id):
            from orders.models import PurchaseOrder

            order = get_object_or_404(PurchaseOrder.objects.visible_to(request.user), pk=order_id)
            initial.update(order=order, supplier=order.supplier_id)
        return self.render(InspectionForm(initial=initial))

    def render(self, form, status=200):
        # The plan is in the page as sent (a re-shown form keeps it beside the lot size); HTMX refreshes it.
        values = form.data if form.is_bound else {}
        plan = None
        try:
            lot_size, level = int(values.get("lot_size", "")), values.get("level") or "II"
            plan = {
                "major": sampling_plan(lot_size, level, values.get("aql_major") or "2.5"),
                "minor": sampling_plan(lot_size, level, values.get("aql_minor") or "4.0"),
            }
        except (ValueError, ArithmeticError):
            pass
        return render(
            self.request, "audits/inspection_form.html", {"form": form, "plan": plan}, status=status
        )

    def post(self, request):
        form = InspectionForm(request.POST, request.FILES)
        done = submit(
            request,
            form,
            lambda data: services.inspection_record(
                by=request.user, **{**data, "result": data.get("result") or None}
            ),
        )
        if done:
            inspection = done.result
            messages.success(
                request, _("Inspection recorded: %(result)s.") % {"result": inspection.get_result_display()}
            )
            return redirect(inspection)
        return self.render(form, status=400)


def inspection_choices(request):
    """Render the order and delivery choices of the supplier being chosen (an HTMX fragment of the form)."""
    require_staff(request, "inspection.edit")
    form = InspectionForm(initial={"supplier": request.GET.get("supplier")})
    return render(request, "audits/_inspection_choices.html", {"form": form})


def sampling_plan_preview(request):
    """Render the ISO 2859-1 plan for the lot size, level and AQLs being typed (an HTMX fragment)."""
    require_staff(request)
    context = {}
    try:
        try:
            lot_size = int(request.GET.get("lot_size", ""))
        except ValueError:
            raise ValueError(_("Enter the lot size as a whole number of units.")) from None
        level = request.GET.get("level", "II")
        context["major"] = sampling_plan(lot_size, level, request.GET.get("aql_major", "2.5"))
        context["minor"] = sampling_plan(lot_size, level, request.GET.get("aql_minor", "4.0"))
    except ValueError as exc:
        context["error"] = str(exc) if request.GET.get("lot_size") else ""
    return render(request, "audits/_sampling_plan.html", context)


class InspectionDetailView(StaffRequiredMixin, View):
    def get(self, request, pk):
        inspection = selectors.inspection_get(user=request.user, pk=pk)
        return render(
            request,
            "audits/inspection_detail.html",
            {
                "inspection": inspection,
                "actions": inspection.corrective_actions.all(),
            },
        )


# --- Batch tests ----------------------------------------------------------------------------------------------


class BatchTestListView(StaffRequiredMixin, View):
    def get(self, request):
        page, query = paginate(request, selectors.batch_test_list(user=request.user))
        return render(request, "audits/batch_test_list.html", {"page": page, "query": query})


@require_POST
def batch_test_review(request, pk):
    require_staff(request, "inspection.edit")
    test = get_object_or_404(BatchTest.objects.visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.batch_test_review(
                test=test,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
            ),
            _("Review saved."),
        )
    return redirect("audits:batch_test_list")


# --- Audits ---------------------------------------------------------------------------------------------------


class AuditListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "status", "audit_type")}
        page, query = paginate(request, selectors.audit_list(user=request.user, filters=filters))
        return render(
            request,
            "audits/audit_list.html",
            {
                "page": page,
                "query": query,
                "filters": filters,
                "types": Audit.Type.choices,
                "statuses": Audit.Status.choices,
                "holds": selectors.hold_proposals_open(user=request.user),
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

    def get(self, request, pk, complete_form=None, finding_form=None, status=200):
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


# --- Corrective actions ---------------------------------------------------------------------------------------


class CapaListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "status")}
        page, query = paginate(request, selectors.capa_list(user=request.user, filters=filters))
        return render(
            request,
            "audits/capa_list.html",
            {
                "page": page,
                "query": query,
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
