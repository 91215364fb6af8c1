"""What the communications app adds to portal invitations: the supplier's owner hears of colleagues invited
and of contacts who joined."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .notifications import notify


def owner_notify_colleague_invited(*, invitation, by) -> None:
    """Tell the supplier's owner, in their language, that a factory contact invited a colleague to the portal."""
    owner = invitation.supplier.owner
    with translation.override(owner.language):
        title = _("%(person)s invited %(colleague)s to the portal of %(supplier)s") % {
            "person": by,
            "colleague": invitation.contact.name,
            "supplier": invitation.supplier.name,
        }
        body = _("The invitation went to %(email)s; the link works for 7 days.") % {"email": invitation.email}
    url = reverse("suppliers:tab", kwargs={"pk": invitation.supplier_id, "tab": "contacts"})
    notify(users=[owner], title=title, body=body, url=url)


def owner_notify_contact_joined(*, invitation, by) -> None:
    """Tell the supplier's owner, in their language, that an invited contact has joined the portal."""
    owner = invitation.supplier.owner
    with translation.override(owner.language):
        title = _("%(colleague)s of %(supplier)s joined the portal") % {
            "colleague": invitation.contact.name,
            "supplier": invitation.supplier.name,
        }
    url = reverse("suppliers:tab", kwargs={"pk": invitation.supplier_id, "tab": "contacts"})
    notify(users=[owner], title=title, url=url)
