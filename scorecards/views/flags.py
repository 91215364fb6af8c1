"""The red-flag inbox and one flag's page, where staff acknowledge, resolve or assign it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from accounts.permissions import StaffRequiredMixin
from accounts.roles import STAFF_ROLES
from core.exports import export_response
from core.views import paginate, require_staff, run_service
from core.waiting import waiting_narrow
from suppliers.selectors import supplier_filter_label

from .. import selectors, services
from ..exports import FLAG_COLUMNS
from ..forms import FlagActionForm, FlagBulkForm
from ..models import RedFlag
from ..playbooks import selectors as playbook_selectors
from ..playbooks import services as playbook_services
from ..playbooks.forms import ContractReviewDecisionForm, PlaybookActionForm
from ..playbooks.models import PlaybookAction


class FlagListView(StaffRequiredMixin, View):
    """The alerts inbox: open and acknowledged red flags, filtered; mine; resolved."""

    def get(self, request):
        filters = {k: request.GET.get(k, "") for k in ("state", "supplier", "rule", "severity", "mine")}
        flags = waiting_narrow(request, selectors.flag_list(user=request.user, filters=filters))
        if export := export_response(request, rows=flags, columns=FLAG_COLUMNS, name="red-flags"):
            return export
        page, query = paginate(request, flags)
        return render(
            request,
            "scorecards/flag_list.html",
            {
                "page": page,
                "query": query,
                "columns": FLAG_COLUMNS,
                "filters": filters,
                "rules": RedFlag.Rule.choices,
                "states": RedFlag.State.choices,
                "supplier_label": supplier_filter_label(user=request.user, value=filters["supplier"]),
                "staff": User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name"),
            },
        )


class FlagDetailView(StaffRequiredMixin, View):
    """One red flag: what was observed against which target, the recommended action, and its workflow."""

    def get(self, request, pk):
        flag = get_object_or_404(
            RedFlag.objects.visible_to(request.user).select_related(
                "supplier", "owner", "acknowledged_by", "resolved_by"
            ),
            pk=pk,
        )
        return render(
            request,
            "scorecards/flag_detail.html",
            {
                "flag": flag,
                "notes": selectors.flag_notes(flag=flag),
                "staff": User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("full_name"),
                **_playbook_context(flag),
            },
        )

    def post(self, request, pk):
        require_staff(request, "flag.handle")
        flag = get_object_or_404(RedFlag.objects.visible_to(request.user), pk=pk)
        form = FlagActionForm(request.POST)
        if not form.is_valid():
            # A stale page (a colleague left, an unknown action): say so on the flag, change nothing.
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect(flag)
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        if action == "acknowledge":
            run_service(
                request,
                lambda: services.flag_acknowledge(flag=flag, by=request.user, note=note),
                _("Acknowledged."),
            )
        elif action == "resolve":
            run_service(
                request, lambda: services.flag_resolve(flag=flag, by=request.user, note=note), _("Resolved.")
            )
        elif form.cleaned_data["owner"] is not None:
            owner = form.cleaned_data["owner"]
            run_service(
                request,
                lambda: services.flag_assign(flag=flag, by=request.user, owner=owner),
                _("Assigned to %(name)s.") % {"name": owner},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = flag.get_absolute_url()
        return redirect(target)


class FlagBulkView(StaffRequiredMixin, View):
    """Acknowledge or assign the flags ticked in the inbox, all of them or none."""

    http_method_names = ["post"]

    def post(self, request):
        require_staff(request, "flag.handle")
        form = FlagBulkForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            run_service(
                request,
                lambda: services.flags_bulk_handle(
                    flags=data["flags"],
                    by=request.user,
                    action=data["action"],
                    owner=data["owner"],
                    note=data["note"],
                ),
                _("%(count)s flags updated.") % {"count": len(data["flags"])},
            )
        else:
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("scorecards:flag_list")
        return redirect(target)


def _playbook_context(flag: RedFlag) -> dict:
    """Return what the flag's playbook card shows: the steps offered and not yet taken, the form, the actions."""
    actions = list(playbook_selectors.flag_playbook_actions(flag=flag))
    taken = {a.kind for a in actions}
    offered = [
        (k, PlaybookAction.Kind(k).label) for k in playbook_services.playbook_kinds(flag) if k not in taken
    ]
    return {
        "playbook_actions": actions,
        "playbook_offered": offered,
        "playbook_form": PlaybookActionForm(flag=flag, initial={"sku": playbook_services.flag_sku(flag)}),
        "general_manager": playbook_selectors.general_manager_for(supplier=flag.supplier)
        if any(kind in playbook_services.COPIED_TO_GM for kind, _label in offered)
        else None,
        "contract_review_form": ContractReviewDecisionForm(),
        "review_weeks": playbook_services.REVIEW_WEEKS,
    }
