"""What the communications app adds to factory registrations and bank details: staff hear of a registration
submitted for review, and a supplier's owner of every change of bank details requested."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .notifications import notify


def inviter_notify_registration_submitted(*, registration) -> None:
    """Tell whoever invited the factory, in their language, that its registration waits for review."""
    inviter = registration.invited_by
    with translation.override(inviter.language):
        title = _("%(company)s submitted its registration for review") % {
            "company": registration.company_name
        }
    url = reverse("suppliers:registration_detail", kwargs={"pk": registration.pk})
    notify(users=[inviter], title=title, url=url)


def owner_notify_bank_change_requested(*, change) -> None:
    """Tell the supplier's owner, in their language, that someone asked to change its bank details."""
    owner = change.supplier.owner
    with translation.override(owner.language):
        title = _("Change of bank details requested for %(supplier)s") % {"supplier": change.supplier.name}
        body = _(
            "%(person)s asked to pay %(supplier)s into %(bank)s %(account)s. Nothing changes until someone "
            "other than the requester verifies it, by calling the supplier on a number you already hold."
        ) % {
            "person": change.requested_by,
            "supplier": change.supplier.name,
            "bank": change.bank_name,
            "account": change.account_masked,
        }
    url = reverse("suppliers:bank_details", kwargs={"pk": change.supplier_id})
    notify(users=[owner], title=title, body=body, url=url)
