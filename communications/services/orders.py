"""The factory hears of the orders sent to it: an email in each contact's language, the PO PDF attached."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User

from ..models import Family, Notification
from .notifications import notify


def order_sent_notify_factory(*, order, by: User) -> list[Notification]:
    """Notify the supplier's portal contacts of a sent order; each email carries the PO PDF (rendered when sent)."""
    url = reverse("portal:order_detail", args=[order.pk])
    created = []
    for user in order.supplier.portal_users.filter(is_active=True):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            created += notify(
                users=[user],
                title=_("New purchase order %(number)s") % {"number": order.number},
                body=_(
                    "%(company)s sent you purchase order %(number)s; the PO is attached as a PDF. "
                    "Please acknowledge it in the portal, and propose a new date there if a required date "
                    "cannot be met."
                )
                % {"company": settings.FORGELINE_COMPANY_NAME, "number": order.number},
                url=url,
                attachment=("order_pdf", order.pk),
                family=Family.ORDERS,
            )
    return created
