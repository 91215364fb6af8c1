from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationsConfig(AppConfig):
    name = "communications"
    verbose_name = _("Communications")

    def ready(self):
        # The suppliers app sits below this one: it calls this hook when a factory contact invites a colleague.
        from suppliers.invitations import register_colleague_invited_hook

        from .services.invitations import owner_notify_colleague_invited

        register_colleague_invited_hook(owner_notify_colleague_invited)
