"""Staff pages of verification policies: the list, and a form to add, change or remove one."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import require_staff, submit

from .. import selectors, services
from ..forms import VerificationPolicyForm
from ..models import VerificationPolicy


class VerificationPolicyListView(StaffRequiredMixin, View):
    """Every policy, readable by all staff; managers change them."""

    def get(self, request):
        return render(
            request,
            "audits/verification_policy_list.html",
            {"policies": selectors.verification_policy_list(user=request.user)},
        )


class VerificationPolicyEditView(StaffRequiredMixin, View):
    """Add a policy (no pk) or change one."""

    capability = "policy.edit"

    def _policy(self, pk):
        return get_object_or_404(VerificationPolicy, pk=pk) if pk else None

    def get(self, request, pk=None):
        policy = self._policy(pk)
        return self._render(request, VerificationPolicyForm(instance=policy), policy)

    def post(self, request, pk=None):
        policy = self._policy(pk)
        form = VerificationPolicyForm(request.POST, instance=policy or VerificationPolicy())
        if submit(
            request,
            form,
            lambda data: services.verification_policy_save(by=request.user, policy=policy, **data),
            _("Verification policy saved."),
        ):
            return redirect("audits:policy_list")
        return self._render(request, form, policy, status=400)

    def _render(self, request, form, policy, status=200):
        return render(
            request, "audits/verification_policy_form.html", {"form": form, "policy": policy}, status=status
        )


@require_POST
def verification_policy_delete(request, pk):
    """Remove a policy."""
    require_staff(request, "policy.edit")
    policy = get_object_or_404(VerificationPolicy, pk=pk)
    services.verification_policy_delete(by=request.user, policy=policy)
    return redirect("audits:policy_list")
