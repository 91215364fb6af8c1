"""Staff pages of factory registrations (invite, list, review, ask for changes, accept, revoke) and of a
supplier's bank details (masked; changes requested and verified)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, run_service, submit

from . import registrations, selectors
from .models import BankDetailsChange
from .registration_forms import BankChangeForm, BankDecideForm, RegistrationInviteForm, RequestChangesForm
from .services import banking

STATUS_FILTERS = [
    ("", gettext_lazy("All")),
    ("invited", gettext_lazy("Invited")),
    ("in_progress", gettext_lazy("In progress")),
    ("submitted", gettext_lazy("Submitted")),
    ("changes_requested", gettext_lazy("Changes requested")),
    ("accepted", gettext_lazy("Accepted")),
    ("expired", gettext_lazy("Expired")),
    ("revoked", gettext_lazy("Revoked")),
]


class RegistrationListView(StaffRequiredMixin, View):
    """Every registration, by status: who was invited, who is filling in, what waits for review."""

    def get(self, request):
        now = timezone.now()
        status = request.GET.get("status", "")
        page, query = paginate(
            request, selectors.registration_list(user=request.user, status=status, now=now)
        )
        rows = [(registration, registration.display_status(now=now)) for registration in page]
        return render(
            request,
            "suppliers/registration_list.html",
            {
                "page": page,
                "rows": rows,
                "query": query,
                "status": status,
                "filters": STATUS_FILTERS,
                "now": now,
            },
        )


class RegistrationInviteView(StaffRequiredMixin, View):
    """Invite a new factory to register itself."""

    capability = "supplier.edit"

    def get(self, request):
        return self.render(RegistrationInviteForm(initial={"language": request.LANGUAGE_CODE}))

    def post(self, request):
        form = RegistrationInviteForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: registrations.registration_invite(by=request.user, **data),
            _("Registration invitation sent."),
        )
        if done:
            return redirect("suppliers:registration_detail", pk=done.result.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "suppliers/registration_invite.html", {"form": form}, status=status)


class RegistrationDetailView(StaffRequiredMixin, View):
    """The review page: everything the factory submitted, with "ask for changes" and "accept as prospect"."""

    def get(self, request, pk):
        return self.render(selectors.registration_get(user=request.user, pk=pk), RequestChangesForm())

    def render(self, registration, changes_form, status=200):
        now = timezone.now()
        return render(
            self.request,
            "suppliers/registration_detail.html",
            {
                "registration": registration,
                "shown_status": registration.display_status(now=now),
                "shown_status_label": registration.display_status_label(now=now),
                "changes_form": changes_form,
                "missing": registrations.registration_missing(registration),
            },
            status=status,
        )


class RegistrationRequestChangesView(RegistrationDetailView):
    """Send the registration back to the factory with a comment."""

    capability = "supplier.edit"

    def get(self, request, pk):
        return redirect("suppliers:registration_detail", pk=pk)

    def post(self, request, pk):
        registration = selectors.registration_get(user=request.user, pk=pk)
        form = RequestChangesForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: registrations.registration_request_changes(
                registration=registration, by=request.user, comment=data["comment"]
            ),
            _("The factory was asked for changes by email."),
        )
        if done:
            return redirect("suppliers:registration_detail", pk=pk)
        return self.render(registration, form, status=400)


@require_POST
def registration_accept(request, pk):
    """Accept a submitted registration as a prospect and open the new supplier."""
    require_staff(request, "supplier.edit")
    registration = selectors.registration_get(user=request.user, pk=pk)
    supplier = run_service(
        request,
        lambda: registrations.registration_accept(registration=registration, by=request.user),
        _("Accepted as a prospect; the factory's contact was invited to the portal."),
    )
    if supplier is not None:
        return redirect("suppliers:detail", pk=supplier.pk)
    return redirect("suppliers:registration_detail", pk=pk)


@require_POST
def registration_resend(request, pk):
    """Email the factory a new link (for one that expired or got lost); what it filled in is kept."""
    require_staff(request, "supplier.edit")
    registration = selectors.registration_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: registrations.registration_resend(registration=registration, by=request.user),
        _("A new link was emailed to the factory; the previous one no longer works."),
    )
    return redirect("suppliers:registration_detail", pk=pk)


@require_POST
def registration_revoke(request, pk):
    """Stop a registration's link (not once accepted)."""
    require_staff(request, "supplier.edit")
    registration = selectors.registration_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: registrations.registration_revoke(registration=registration, by=request.user),
        _("The registration was revoked; its link no longer works."),
    )
    return redirect("suppliers:registration_detail", pk=pk)


class SupplierBankDetailsView(StaffRequiredMixin, View):
    """A supplier's bank details, masked, with the changes requested; staff may request one too."""

    def get(self, request, pk):
        return self.render(selectors.supplier_get(user=request.user, pk=pk), BankChangeForm())

    def post(self, request, pk):
        supplier = selectors.supplier_get(user=request.user, pk=pk)
        form = BankChangeForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: banking.bank_change_request(supplier=supplier, by=request.user, **data),
            _("Change requested; it applies once someone else has verified it."),
        )
        if done:
            return redirect("suppliers:bank_details", pk=pk)
        return self.render(supplier, form, status=400)

    def render(self, supplier, form, status=200):
        context = {
            "supplier": supplier,
            "form": form,
            "decide_form": BankDecideForm(),
            **selectors.supplier_bank_details(user=self.request.user, supplier=supplier),
        }
        return render(self.request, "suppliers/bank_details.html", context, status=status)


@require_POST
def bank_change_decide(request, pk, child_pk):
    """Verify (and apply) or reject a requested change of bank details."""
    require_staff(request, "supplier.edit")
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    change = get_object_or_404(
        BankDetailsChange.objects.visible_to(request.user), pk=child_pk, supplier=supplier
    )
    form = BankDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and say how the change was verified."))
        return redirect("suppliers:bank_details", pk=pk)
    run_service(
        request,
        lambda: banking.bank_change_decide(change=change, by=request.user, **form.cleaned_data),
        _("Decision recorded."),
    )
    return redirect("suppliers:bank_details", pk=pk)
