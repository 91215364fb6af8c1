"""Staff pages for QC inspections and batch tests."""

from django.contrib import messages
from django.db import transaction
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
from orders.models import PurchaseOrder
from suppliers.models import Supplier

from .. import selectors, services
from ..exports import INSPECTION_COLUMNS
from ..forms import (
    InspectionForm,
    ReviewForm,
)
from ..models import (
    BatchTest,
    QCInspection,
    Severity,
)
from ..sampling import lot_plans
from ..severity_selectors import severity_in_force


class InspectionListView(StaffRequiredMixin, View):
    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("supplier", "checkpoint", "result")}
        rows = selectors.inspection_list(user=request.user, filters=filters)
        if export := export_response(request, rows=rows, columns=INSPECTION_COLUMNS, name="inspections"):
            return export
        page, query = paginate(request, rows)
        return render(
            request,
            "audits/inspection_list.html",
            {
                "page": page,
                "query": query,
                "columns": INSPECTION_COLUMNS,
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
        if lot := " ".join(request.GET.get("lot", "").split())[:64]:
            initial["lot_number"] = lot
        if is_id(supplier_id):
            initial["supplier"] = int(supplier_id)
        if is_id(order_id):
            order = get_object_or_404(PurchaseOrder.objects.visible_to(request.user), pk=order_id)
            initial.update(order=order, supplier=order.supplier_id)
        return self.render(InspectionForm(initial=initial))

    def render(self, form, status=200):
        # The plan is in the page as sent (a re-shown form keeps it beside the lot size); HTMX refreshes it.
        values = form.data if form.is_bound else {}
        context = _plan_context(
            self.request.user,
            {**_initial_ids(form.initial), **values.dict()} if values else _initial_ids(form.initial),
        )
        return render(
            self.request, "audits/inspection_form.html", {"form": form, "plan": context}, status=status
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


def _initial_ids(initial: dict) -> dict:
    """Return the supplier, order and lot of a form's initial values as strings (ids for the objects)."""
    return {
        name: str(getattr(initial.get(name), "pk", initial.get(name)) or "")
        for name in ("supplier", "order", "lot_number")
        if initial.get(name)
    }


def _plan_context(user, values) -> dict:
    """Return the severity in force for the supplier, order and lot being entered, and the ISO 2859-1 plan at that
    severity for the lot size, level and AQLs (or the error to show)."""
    context = {}
    supplier_id, order_id = values.get("supplier", ""), values.get("order", "")
    supplier = Supplier.objects.filter(pk=supplier_id).first() if is_id(supplier_id) else None
    if supplier is not None:
        order = (
            PurchaseOrder.objects.visible_to(user).filter(pk=order_id, supplier=supplier).first()
            if is_id(order_id)
            else None
        )
        context["state"] = severity_in_force(
            supplier=supplier, order=order, lot_number=str(values.get("lot_number", ""))[:64]
        )
    state = context.get("state")
    severity = state.severity if state is not None else Severity.NORMAL
    if severity == Severity.DISCONTINUED:
        return context
    try:
        try:
            lot_size = int(values.get("lot_size", ""))
        except ValueError:
            raise ValueError(_("Enter the lot size as a whole number of units.")) from None
        level = values.get("level") or "II"
        plans = lot_plans(
            lot_size, level, values.get("aql_major") or "2.5", values.get("aql_minor") or "4.0", severity
        )
        # both or neither (the error alone otherwise); the note says why a lot on reduced is on the normal plan
        context["major"], context["minor"], context["fallback"] = (
            plans.major,
            plans.minor,
            plans.fallback_note,
        )
    except ValueError as exc:
        context["error"] = str(exc) if values.get("lot_size") else ""
    return context


@transaction.non_atomic_requests  # a read fired on every keystroke: no transaction (and savepoint) per request
def sampling_plan_preview(request):
    """Render the severity in force and the ISO 2859-1 plan at it for the lot being entered (an HTMX fragment)."""
    require_staff(request)
    return render(request, "audits/_sampling_plan.html", _plan_context(request.user, request.GET))


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


class BatchTestListView(StaffRequiredMixin, View):
    def get(self, request):
        page, query = paginate(request, waiting_narrow(request, selectors.batch_test_list(user=request.user)))
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
