from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        from orders import hooks

        from .services.orders import order_change_notify, orders_sent_notify_factory

        # Orders sits below communications: it calls these hooks when an order is sent, and when a change of a
        # sent order is proposed or answered, without importing us.
        hooks.register_order_sent(orders_sent_notify_factory)
        hooks.register_order_event(order_change_notify)

        from core.partner_calendar import register_day_off_lookup

        from . import search
        from .calendar import day_off_reason

        # Forms of lower apps (audits, orders) warn about the supplier's holidays and closures through this hook.
        register_day_off_lookup(day_off_reason)
        # The suppliers app sits below this one: it calls these when a factory contact invites a colleague, and
        # when an invited contact joins the portal; the supplier's owner is told.
        from suppliers.invitations import register_invitation_hook

        from .services.invitations import owner_notify_colleague_invited, owner_notify_contact_joined

        register_invitation_hook("colleague_invited", owner_notify_colleague_invited)
        register_invitation_hook("accepted", owner_notify_contact_joined)
        # Every workflow event of the lower apps reaches the other side (services/workflow.py).
        from .services import workflow

        workflow.register()

        # Factory registrations and bank details (suppliers app): staff hear of a registration to review, the
        # supplier's owner of a change of bank details requested.
        from suppliers.registrations import register_registration_hook
        from suppliers.services.banking import register_bank_change_hook

        from .services.registrations import (
            inviter_notify_registration_submitted,
            owner_notify_bank_change_requested,
        )

        register_registration_hook("submitted", inviter_notify_registration_submitted)
        register_bank_change_hook(owner_notify_bank_change_requested)
        # And what the global search finds among issues.
        search.register()
