"""The factory hears of a red flag about it, when its portal shows that flag (never one about a hidden row)."""

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from communications.services.notifications import notify_messages

from .models import RedFlag


def flags_notify_factory(raised) -> None:
    """Tell each flagged supplier's contacts of the flags just raised that their portal shows them.

    An overdue corrective action is told as such, with a link to it; any other flag links to the scorecard, which
    says what it means in the partner's words. The portal's own rule (portal_only(), the rule visible_to() applies
    for a factory contact) picks the flags, so one about a row the portal hides (a corrective action of an
    unannounced audit) is never announced. A constant number of queries, however many flags or suppliers.
    """
    if not raised:
        return
    flags = list(
        RedFlag.objects.filter(pk__in=[flag.pk for flag in raised])
        .portal_only()
        .select_related("corrective_action")
        .order_by("pk")
    )
    contacts: dict[int, list[User]] = {}
    for user in User.objects.filter(
        supplier_id__in={flag.supplier_id for flag in flags}, role=Role.SUPPLIER, is_active=True
    ).order_by("pk"):
        contacts.setdefault(user.supplier_id, []).append(user)
    items = []
    for flag in flags:
        action = flag.corrective_action
        if flag.rule == RedFlag.Rule.CAPA_OVERDUE and action is not None:
            key, url = "capa_overdue", reverse("portal:capa_detail", args=[action.pk])
            params = {"title": action.title, "due_on": str(action.due_on)}
        else:
            key, url, params = "red_flag", reverse("portal:scorecard"), {"rule": flag.rule}
        items += [(user, key, params, url) for user in contacts.get(flag.supplier_id, [])]
    notify_messages(items)
