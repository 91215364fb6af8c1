"""The factory's bank details in the portal: shown masked; a change is a request that the buyer verifies."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from suppliers import selectors
from suppliers.registration_forms import BankChangeForm
from suppliers.services import banking


class PortalBankDetailsView(PortalRequiredMixin, View):
    """Where the company is paid (masked), and the form to ask for a change."""

    def get(self, request):
        return self.render(BankChangeForm())

    def post(self, request):
        form = BankChangeForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: banking.bank_change_request(supplier=self.supplier, by=request.user, **data),
            _("Change requested. Your customer will verify it with you before paying into the new account."),
        )
        if done:
            return redirect("portal:bank_details")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "supplier": self.supplier,
            "form": form,
            **selectors.supplier_bank_details(user=self.request.user, supplier=self.supplier),
        }
        return render(self.request, "portal/bank_details.html", context, status=status)
