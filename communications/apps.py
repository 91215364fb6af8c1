from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        # The suppliers app sits below this one: it calls these when a factory contact invites a colleague, and
        # when an invited contact joins the portal; the supplier's owner is told.
        from suppliers.invitations import register_invitation_hook

        from .services.invitations import owner_notify_colleague_invited, owner_notify_contact_joined

        register_invitation_hook("colleague_invited", owner_notify_colleague_invited)
        register_invitation_hook("accepted", owner_notify_contact_joined)
