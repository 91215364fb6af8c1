"""Staff pages of new-product invitations: the list, inviting, one invitation with its invitees, one invitee's
answer, Q&A thread and samples (with the evaluation), attaching files and withdrawing."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import paginate, require_staff, run_service, submit
from core.waiting import waiting_narrow

from ..forms.invitations import InvitationForm, InvitationMessageForm, SampleEvaluationForm, SpecFileForm
from ..selectors import invitations as selectors
from ..services import invitations as services
from ..services import samples as sample_services


class InvitationListView(StaffRequiredMixin, View):
    """New-product invitations, newest first, with how many suppliers were invited and how they answered."""

    def get(self, request):
        page, query = paginate(request, waiting_narrow(request, selectors.invitation_list(user=request.user)))
        return render(
            request,
            "partnership/announcements_invitations/list.html",
            {"page": page, "query": query, "can_edit": request.user.can(services.EDIT)},
        )


class InvitationCreateView(StaffRequiredMixin, View):
    """Invite suppliers to a new product: specification, optional targets and file, an answer deadline."""

    capability = services.EDIT

    def get(self, request):
        return self.render(InvitationForm(user=request.user))

    def post(self, request):
        form = InvitationForm(request.POST, request.FILES, user=request.user)

        def create(data):
            spec_file = data.pop("spec_file", None)
            return services.invitation_create(by=request.user, files=[spec_file] if spec_file else [], **data)

        done = submit(request, form, create, _("Invitation sent: each invited factory was notified."))
        if done:
            return redirect(done.result)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request, "partnership/announcements_invitations/form.html", {"form": form}, status=status
        )


class InvitationDetailView(StaffRequiredMixin, View):
    """One invitation: its specification and files, and each invited supplier's answer; attach more files."""

    def get(self, request, pk):
        invitation = selectors.invitation_get(user=request.user, pk=pk)
        return self.render(invitation, SpecFileForm())

    def post(self, request, pk):
        require_staff(request, services.EDIT)
        invitation = selectors.invitation_get(user=request.user, pk=pk)
        form = SpecFileForm(request.POST, request.FILES)
        if submit(
            request,
            form,
            lambda data: services.invitation_add_files(
                invitation=invitation, by=request.user, files=[data["file"]]
            ),
            _("File attached."),
        ):
            return redirect(invitation)
        return self.render(invitation, form, status=400)

    def render(self, invitation, form, status=200):
        return render(
            self.request,
            "partnership/announcements_invitations/detail.html",
            {
                "invitation": invitation,
                "files": selectors.invitation_files(invitation=invitation),
                "invitees": selectors.invitation_invitees(invitation=invitation),
                "file_form": form,
                "can_edit": self.request.user.can(services.EDIT),
            },
            status=status,
        )


class InviteeDetailView(StaffRequiredMixin, View):
    """One invited supplier: its answer, the Q&A thread with it (answer here) and its samples (evaluate here)."""

    def get(self, request, pk):
        invitee = selectors.invitee_get(user=request.user, pk=pk)
        return self.render(invitee, InvitationMessageForm())

    def post(self, request, pk):
        require_staff(request, services.EDIT)
        invitee = selectors.invitee_get(user=request.user, pk=pk)
        form = InvitationMessageForm(request.POST)
        if submit(
            request,
            form,
            lambda data: services.invitation_message_post(
                invitee=invitee, by=request.user, text=data["text"]
            ),
            _("Answer sent to the factory."),
        ):
            return redirect("partnership:invitee_detail", pk=invitee.pk)
        return self.render(invitee, form, status=400)

    def render(self, invitee, form, status=200):
        return render(
            self.request,
            "partnership/announcements_invitations/invitee.html",
            {
                "invitee": invitee,
                "invitation": invitee.invitation,
                "thread": selectors.invitee_thread(invitee=invitee),
                "samples": selectors.invitee_samples(invitee=invitee),
                "form": form,
                "evaluation_form": SampleEvaluationForm(),
                "can_edit": self.request.user.can(services.EDIT),
            },
            status=status,
        )


@require_POST
def sample_evaluate(request, pk):
    """Record the evaluation of samples: passed or failed, with a note."""
    require_staff(request, services.EDIT)
    sample = selectors.sample_get(user=request.user, pk=pk)
    form = SampleEvaluationForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: sample_services.sample_evaluate(
                sample=sample,
                by=request.user,
                result=form.cleaned_data["result"],
                note=form.cleaned_data["evaluation_note"],
            ),
            _("Evaluation recorded; the factory was told."),
        )
    else:
        messages.error(request, _("Choose passed or failed."))
    return redirect("partnership:invitee_detail", pk=sample.invitee_id)


@require_POST
def invitation_withdraw(request, pk):
    """Withdraw an invitation: the factories are told and can no longer answer."""
    require_staff(request, services.EDIT)
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    run_service(
        request,
        lambda: services.invitation_withdraw(invitation=invitation, by=request.user),
        _("Invitation withdrawn; the factories were told."),
    )
    return redirect(invitation)
