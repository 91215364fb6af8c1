"""Staff pages of portal invitations: invite a contact, send the link again, revoke it."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from accounts.permissions import StaffRequiredMixin
from core.views import require_staff, run_service, submit

from . import invitations, selectors
from .invitation_forms import InviteForm
from .models import Contact


def _contact(request, pk, child_pk):
    supplier = selectors.supplier_get(user=request.user, pk=pk)
    contact = get_object_or_404(Contact.objects.visible_to(request.user), pk=child_pk, supplier=supplier)
    return supplier, contact


class ContactInviteView(StaffRequiredMixin, View):
    """Invite a contact to the portal: their address and the language of the email (preset, editable)."""

    capability = "contact.edit"

    def get(self, request, pk, child_pk):
        supplier, contact = _contact(request, pk, child_pk)
        initial = {"email": contact.email, "language": invitations.language_for_contact(contact)}
        return self.render(InviteForm(initial=initial), supplier, contact)

    def post(self, request, pk, child_pk):
        supplier, contact = _contact(request, pk, child_pk)
        form = InviteForm(request.POST)
        done = submit(
            request,
            form,
            lambda data: invitations.contact_invite(
                contact=contact,
                by=request.user,
                email=data["email"],
                language=data["language"],
                supplier_id=supplier.pk,
            ),
            _("Invitation sent to %(name)s.") % {"name": contact.name},
        )
        if done:
            return redirect("suppliers:tab", pk=supplier.pk, tab="contacts")
        return self.render(form, supplier, contact, status=400)

    def render(self, form, supplier, contact, status=200):
        return render(
            self.request,
            "suppliers/contact_invite.html",
            {"form": form, "supplier": supplier, "contact": contact, "tab": "contacts"},
            status=status,
        )


@require_POST
def contact_invitation_resend(request, pk, child_pk):
    """Send the contact a new link; the previous one stops working."""
    require_staff(request, "contact.edit")
    supplier, contact = _contact(request, pk, child_pk)
    run_service(
        request,
        lambda: invitations.contact_invitation_resend(contact=contact, by=request.user),
        _("A new invitation link was sent to %(name)s; the previous link no longer works.")
        % {"name": contact.name},
    )
    return redirect("suppliers:tab", pk=supplier.pk, tab="contacts")


@require_POST
def contact_invitation_revoke(request, pk, child_pk):
    """Make the contact's pending invitation link stop working."""
    require_staff(request, "contact.edit")
    supplier, contact = _contact(request, pk, child_pk)
    run_service(
        request,
        lambda: invitations.contact_invitation_revoke(contact=contact, by=request.user),
        _("The invitation of %(name)s was revoked.") % {"name": contact.name},
    )
    return redirect("suppliers:tab", pk=supplier.pk, tab="contacts")
