"""Portal pages of new-product invitations: the factory reads the specification, answers interested or declines,
asks the buyer questions (a thread only its own company sees) and records the samples it sent."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.clock import business_today
from core.views import submit
from core.waiting import waiting_narrow
from partnership.forms.invitations import InvitationAnswerForm, InvitationMessageForm, SampleForm
from partnership.selectors import invitations as selectors
from partnership.services import invitations as services
from partnership.services import samples as sample_services


class PortalInvitationListView(PortalRequiredMixin, View):
    """The new products this factory is invited to, newest first, with its own answer."""

    def get(self, request):
        invitations = waiting_narrow(request, selectors.invitation_list(user=request.user))[:100]
        return render(
            request,
            "portal/partnership_invitations.html",
            {"invitations": invitations, "today": business_today()},
        )


class PortalInvitationDetailView(PortalRequiredMixin, View):
    """One invitation: specification and files, the factory's answer, its Q&A thread and its samples."""

    def get(self, request, pk):
        return self.render(selectors.invitation_get(user=request.user, pk=pk))  # 404 unless invited

    def post(self, request, pk):
        return self._post(
            InvitationAnswerForm,
            services.invitation_respond,
            _("Thank you: your answer was sent to the buyer."),
            "answer_form",
        )

    def _post(self, form_class, service, message, form_name):
        """Fetch the invitation and this factory's place in it, hand the form's data to `service`, and redirect;
        a refused form is shown again under `form_name` on the page, with the invitation already fetched."""
        invitation = selectors.invitation_get(user=self.request.user, pk=self.kwargs["pk"])
        invitee = selectors.invitee_own(user=self.request.user, invitation=invitation)
        form = form_class(self.request.POST)
        if submit(
            self.request, form, lambda data: service(invitee=invitee, by=self.request.user, **data), message
        ):
            return redirect("portal:invitation_detail", pk=invitation.pk)
        return self.render(invitation, **{form_name: form}, status=400)

    def render(self, invitation, *, answer_form=None, message_form=None, sample_form=None, status=200):
        # The invitee is read afresh: a refused service may have changed the fetched one in memory.
        invitee = selectors.invitee_own(user=self.request.user, invitation=invitation)
        open_ = not invitation.is_withdrawn and business_today() <= invitation.respond_by
        return render(
            self.request,
            "portal/partnership_invitation_detail.html",
            {
                "invitation": invitation,
                "invitee": invitee,
                "files": selectors.invitation_files(invitation=invitation),
                "thread": selectors.invitee_thread(invitee=invitee),
                "samples": selectors.invitee_samples(invitee=invitee),
                "open": open_,
                "answer_form": answer_form
                or InvitationAnswerForm(initial={"status": invitee.status, "reason": invitee.reason}),
                "message_form": message_form or InvitationMessageForm(),
                "sample_form": sample_form or SampleForm(initial={"sent_on": business_today()}),
            },
            status=status,
        )


class PortalInvitationAskView(PortalInvitationDetailView):
    """Ask the buyer a question about an invitation (only this factory and the buyer see it)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return self._post(
            InvitationMessageForm,
            services.invitation_message_post,
            _("Your question was sent to the buyer."),
            "message_form",
        )


class PortalInvitationSampleView(PortalInvitationDetailView):
    """Record samples sent to the buyer for an invitation."""

    http_method_names = ["post"]

    def post(self, request, pk):
        return self._post(
            SampleForm,
            sample_services.sample_record,
            _("Samples recorded; the buyer was told."),
            "sample_form",
        )
