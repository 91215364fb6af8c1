"""Portal invitations: the invited contact's welcome page (choose a password), and a primary contact inviting
colleagues of its own company."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import PortalRequiredMixin
from core.views import submit
from suppliers import invitations, selectors
from suppliers.invitation_forms import InviteForm, SetPasswordForm
from suppliers.models import Contact

# What an unusable link answers: a link that never existed (or was altered) is "not found"; one that did exist
# but is used, revoked or expired is "gone".
UNUSABLE_STATUS = {"unknown": 404, "used": 410, "revoked": 410, "expired": 410}


def _unusable(request, reason: str):
    return render(
        request, "portal/invitation_unusable.html", {"reason": reason}, status=UNUSABLE_STATUS[reason]
    )


@method_decorator(login_not_required, name="dispatch")
class InvitationAcceptView(View):
    """The invitation link: the contact chooses a password and lands on the portal home, signed in."""

    def get(self, request, token):
        try:
            invitation = invitations.invitation_for_token(token=token)
        except invitations.InvitationUnusable as exc:
            return _unusable(request, exc.reason)
        with self.language(request, invitation):
            return self.render(request, SetPasswordForm(), invitation)

    def post(self, request, token):
        try:
            invitation = invitations.invitation_for_token(token=token)
        except invitations.InvitationUnusable as exc:
            return _unusable(request, exc.reason)
        with self.language(request, invitation):
            form = SetPasswordForm(request.POST)
            try:
                done = submit(
                    request,
                    form,
                    lambda data: invitations.invitation_accept(
                        token=token,
                        password=data["password1"],
                        # A language chosen on this page becomes the account's.
                        language=request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME),
                    ),
                )
            except invitations.InvitationUnusable as exc:
                return _unusable(request, exc.reason)
            if not done:
                return self.render(request, form, invitation, status=400)
        user = done.result
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        with translation.override(user.language):
            messages.success(request, _("Welcome to the supplier portal."))
        return redirect("portal:home")

    @staticmethod
    def language(request, invitation):
        """Speak the invitation's language, unless the reader chose another one."""
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return translation.override(translation.get_language())
        return translation.override(invitation.language)

    @staticmethod
    def render(request, form, invitation, status=200):
        return render(
            request,
            "portal/invitation_accept.html",
            {"form": form, "invitation": invitation, "languages": settings.LANGUAGES},
            status=status,
        )


class PortalContactInviteView(PortalRequiredMixin, View):
    """The primary contact invites a colleague of its own company; the supplier's owner is told."""

    def contact(self, pk):
        # Another company's contact answers 404 (like a missing one) before we say who may invite.
        contact = get_object_or_404(Contact.objects.visible_to(self.request.user), pk=pk)
        if not invitations.user_is_primary_contact(self.request.user):
            raise PermissionDenied(_("Only your company's primary contact may invite colleagues."))
        return contact

    def get(self, request, pk):
        contact = self.contact(pk)
        initial = {"email": contact.email, "language": invitations.language_for_contact(contact)}
        return self.render(InviteForm(initial=initial), contact)

    def post(self, request, pk):
        contact = self.contact(pk)
        form = InviteForm(request.POST)
        if submit(
            request,
            form,
            lambda data: invitations.contact_invite(
                contact=contact,
                by=request.user,
                email=data["email"],
                language=data["language"],
                supplier_id=request.user.supplier_id,
            ),
            _("Invitation sent to %(name)s.") % {"name": contact.name},
        ):
            return redirect("portal:contacts")
        return self.render(form, contact, status=400)

    def render(self, form, contact, status=200):
        return render(
            self.request,
            "portal/contact_invite.html",
            {"form": form, "contact": contact},
            status=status,
        )


def portal_contacts_context(request, supplier) -> dict:
    """Return the portal contacts page's context: contacts with their portal status, and whether to offer invites."""
    return {
        "supplier": supplier,
        "contacts": selectors.contacts_with_portal_status(
            user=request.user, supplier=supplier, now=timezone.now()
        ),
        "may_invite": invitations.user_is_primary_contact(request.user),
    }
