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
    # Only what the notices need, not the flags again: which ones the portal shows, with their corrective action.
    shown = (
        RedFlag.objects.filter(pk__in=[flag.pk for flag in raised])
        .portal_only()
        .order_by("pk")
        .values_list(
            "supplier_id",
            "rule",
            "corrective_action_id",
            "corrective_action__title",
            "corrective_action__due_on",
        )
    )
    flags = list(shown)
    contacts: dict[int, list[User]] = {}
    for user in User.objects.filter(
        supplier_id__in={supplier_id for supplier_id, *_rest in flags}, role=Role.SUPPLIER, is_active=True
    ).order_by("pk"):
        contacts.setdefault(user.supplier_id, []).append(user)
    scorecard = reverse("portal:scorecard")
    items = []
    for supplier_id, rule, action_id, title, due_on in flags:
        if rule == RedFlag.Rule.CAPA_OVERDUE and action_id is not None:
            key, url = "capa_overdue", reverse("portal:capa_detail", args=[action_id])
            params = {"title": title, "due_on": str(due_on)}
        else:
            key, url, params = "red_flag", scorecard, {"rule": rule}
        items += [(user, key, params, url) for user in contacts.get(supplier_id, [])]
    notify_messages(items)
