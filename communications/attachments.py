"""Files attached to a notification's email, rendered when the email is sent (by the worker, never in the request).

A notification names its attachment by kind and object id; the renderer reads the object as the recipient may see
it and in the recipient's language, so the file is the one they would download themselves. Add a kind here.
"""

from collections.abc import Callable

from django.conf import settings
from django.utils import translation

from accounts.models import User

# kind -> render(object_id, user) -> (file name, bytes, MIME type)
RENDERERS: dict[str, Callable[[int, User], tuple[str, bytes, str]]] = {}


def _order_pdf(object_id: int, user: User) -> tuple[str, bytes, str]:
    from orders.models import PurchaseOrder
    from orders.pdf import order_pdf, order_pdf_filename

    order = PurchaseOrder.objects.visible_to(user).select_related("supplier", "buyer").get(pk=object_id)
    return order_pdf_filename(order), order_pdf(order=order), "application/pdf"


RENDERERS["order_pdf"] = _order_pdf


def _checkin_ics(object_id: int, user: User) -> tuple[str, bytes, str]:
    from .feeds import checkin_invitation
    from .models import CheckIn

    checkin = CheckIn.objects.visible_to(user).select_related("supplier", "schedule").get(pk=object_id)
    return (
        f"check-in-{checkin.date:%Y-%m-%d}.ics",
        checkin_invitation(checkin=checkin, user=user),
        "text/calendar",
    )


# A check-in invitation: the event with the same UID as in the calendar feed, so a newer one moves it.
RENDERERS["checkin_ics"] = _checkin_ics


def attachment_render(*, kind: str, object_id: int, user: User) -> tuple[str, bytes, str]:
    """Return (file name, content, MIME type) of an attachment, rendered for `user` in their language."""
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return RENDERERS[kind](object_id, user)
