"""A red flag's playbook: take its recommended action in one step, decide a contract review, and see which
actions worked (staff only)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import StaffRequiredMixin
from core.views import require_staff, run_service

from ..models import RedFlag
from ..playbooks import selectors, services
from ..playbooks.forms import ContractReviewDecisionForm, PlaybookActionForm
from ..playbooks.models import ContractReview, PlaybookAction


def _errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


class FlagPlaybookView(StaffRequiredMixin, View):
    """Take one step of a flag's playbook (the button and short form on the flag's page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        require_staff(request, "flag.handle")
        flag = get_object_or_404(RedFlag.objects.visible_to(request.user), pk=pk)
        form = PlaybookActionForm(request.POST, flag=flag)
        if not form.is_valid():
            _errors(request, form)
            return redirect(flag)
        data = dict(form.cleaned_data)
        kind = data.pop("kind")
        run_service(
            request,
            lambda: services.playbook_action_take(flag=flag, by=request.user, kind=kind, **data),
            _("Done: %(action)s.") % {"action": PlaybookAction.Kind(kind).label},
        )
        return redirect(flag)


class ContractReviewDecideView(StaffRequiredMixin, View):
    """Record what the contract review a flag opened decided."""

    http_method_names = ["post"]

    def post(self, request, pk):
        require_staff(request, "flag.handle")
        flag = get_object_or_404(RedFlag.objects.visible_to(request.user), pk=pk)
        review = get_object_or_404(ContractReview, actions__flag=flag)
        form = ContractReviewDecisionForm(request.POST)
        if not form.is_valid():
            _errors(request, form)
            return redirect(flag)
        run_service(
            request,
            lambda: services.contract_review_decide(
                review=review,
                by=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            ),
            _("Contract review decided."),
        )
        return redirect(flag)


class PlaybookEffectivenessView(StaffRequiredMixin, View):
    """Which playbook actions worked, per flag kind: taken, recovered, not recovered, pending."""

    def get(self, request):
        return render(
            request,
            "scorecards/playbooks.html",
            {
                "rows": selectors.playbook_effectiveness(),
                "recent": selectors.playbook_action_list(user=request.user)[:20],
                "weeks": services.REVIEW_WEEKS,
            },
        )
