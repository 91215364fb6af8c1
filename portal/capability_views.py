"""The factory's capability statement in the portal: what it claims (editable, kept with its history) next to
what audits observed (read-only; the auditors' internal notes are never shown)."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from audits.capability_selectors import capability_comparison
from core.views import submit
from suppliers import services
from suppliers.capability_views import statement_form


class PortalCapabilityView(PortalRequiredMixin, View):
    """Claimed vs observed of the factory's own company, and the form to update what it claims."""

    def get(self, request):
        return self.render(statement_form(self.supplier))

    def post(self, request):
        form = statement_form(self.supplier, request.POST)
        done = submit(
            request,
            form,
            lambda data: services.capability_statement_save(
                supplier=self.supplier, by=request.user, **form.service_arguments()
            ),
            _("Your capability statement is saved."),
        )
        if done:
            return redirect("portal:capability")
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "supplier": self.supplier,
            "form": form,
            "rows": capability_comparison(user=self.request.user, supplier=self.supplier),
        }
        return render(self.request, "portal/capability.html", context, status=status)
